/// Accumulates one CSV column, deciding on the way whether it is numeric or text.
///
/// A column starts numeric. The first non-numeric, non-missing value turns it into text;
/// if numbers had already been stored, their original spelling is lost, so the reader is
/// told to read the file again with this column taken as text from the start.
struct ColumnBuilder {
    let name: String
    private(set) var numbers: [Float] = []
    /// The numbers at double precision, when asked for (`Column.doubles`).
    private var doubles: [Double]?
    private var codes: [Int32] = []
    private var levelCodes: [String: Int32] = [:]
    private var levels: [String] = []
    /// The line each level first appeared on, to say where infinity is (`firstInfinity`).
    private var levelLines: [Int] = []
    private(set) var isText: Bool
    private var sawNumber = false
    /// Set when the column turned to text after numbers were stored.
    private(set) var needsRereadAsText = false

    init(name: String, text: Bool, keepingDoubles: Bool) {
        self.name = name
        self.isText = text
        if keepingDoubles { doubles = [] }
    }

    /// An empty builder of the same column, kind and precision.
    var emptyCopy: ColumnBuilder {
        ColumnBuilder(name: name, text: isText, keepingDoubles: doubles != nil)
    }

    mutating func reserve(_ rows: Int) {
        if isText {
            codes.reserveCapacity(rows)
        } else {
            numbers.reserveCapacity(rows)
            doubles?.reserveCapacity(rows)
        }
    }

    /// Stores a numeric field that is a number in range or missing; otherwise stores nothing
    /// and returns false.
    mutating func appendNumberIfValid(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        switch NumberParser.parse(field) {
        case .missing:
            appendParsed(.nan)
            return true
        case .value(let value):
            guard Float(value).isFinite else { return false }
            appendParsed(value)
            return true
        case .notANumber:
            return false
        }
    }

    /// Stores a number already parsed and checked to be within Float32's range (NaN for
    /// missing) in a numeric column.
    mutating func appendParsed(_ value: Double) {
        numbers.append(Float(value))
        doubles?.append(value)
        if !value.isNaN { sawNumber = true }
    }

    /// Stores a field, read on `line`, as text; the first call on a numeric column converts it.
    mutating func appendText(_ text: String, isMissing: Bool, line: Int) {
        if !isText { convertToText() }
        codes.append(isMissing ? Column.missingCode : code(for: text, line: line))
    }

    /// Appends the rows another builder of the same column read (the next part of the file,
    /// whose line 1 is this file's line `lineOffset + 1`).
    mutating func append(_ other: ColumnBuilder, lineOffset: Int) {
        if other.isText && !isText { convertToText() }
        if isText {
            if other.isText {
                let recode = other.levels.indices.map { code(for: other.levels[$0], line: other.levelLines[$0] + lineOffset) }
                codes += other.codes.map { $0 == Column.missingCode ? $0 : recode[Int($0)] }
                needsRereadAsText = needsRereadAsText || other.needsRereadAsText
            } else {
                // The other part saw only numbers and missing values; numbers lose their spelling.
                needsRereadAsText = needsRereadAsText || other.sawNumber
                codes += [Int32](repeating: Column.missingCode, count: other.numbers.count)
            }
        } else {
            numbers += other.numbers
            doubles? += other.doubles ?? []
        }
        sawNumber = sawNumber || other.sawNumber
    }

    private mutating func convertToText() {
        isText = true
        needsRereadAsText = sawNumber
        codes = Array(repeating: Column.missingCode, count: numbers.count)
        numbers = []
        if doubles != nil { doubles = [] }
    }

    private mutating func code(for level: String, line: Int) -> Int32 {
        if let code = levelCodes[level] { return code }
        let code = Int32(levels.count)
        levelCodes[level] = code
        levels.append(level)
        levelLines.append(line)
        return code
    }

    /// The first infinity of a text column whose other levels are all numbers: a numeric
    /// column that infinity alone turned to text. Nil for a numeric column, or for one that
    /// holds real text, where "inf" is a level like any other.
    func firstInfinity() -> (line: Int, value: String)? {
        guard isText else { return nil }
        var first: (line: Int, value: String)?
        for (index, level) in levels.enumerated() {
            switch NumberParser.kind(of: level) {
            case .infinity:
                if first.map({ levelLines[index] < $0.line }) ?? true { first = (levelLines[index], level) }
            case .numeric:
                continue
            case .text:
                return nil
            }
        }
        return first
    }

    /// The finished column; text levels are sorted so that row order does not change them.
    func column() -> Column {
        guard isText else { return Column(name: name, values: .numeric(numbers), doubles: doubles) }
        let sorted = levels.indices.sorted { levels[$0] < levels[$1] }
        var remap = [Int32](repeating: 0, count: levels.count)
        for (newCode, oldCode) in sorted.enumerated() {
            remap[oldCode] = Int32(newCode)
        }
        let recoded = codes.map { $0 == Column.missingCode ? $0 : remap[Int($0)] }
        return Column(name: name, values: .categorical(codes: recoded, levels: sorted.map { levels[$0] }))
    }
}
