import Foundation

/// The SQL dialects the `sql` export writes. They differ only in the names of the
/// two-argument minimum and maximum and in how a backslash is written safely.
public enum SQLDialect: String, CaseIterable, Sendable {
    case sqlite
    case postgres
}

/// How the `sql` export is asked for.
public struct SQLExportOptions: Sendable, Equatable {
    public var dialect: SQLDialect
    /// The table the rows are in, as one identifier (not schema-qualified).
    public var table: String
    /// Also a `student_p_<class>` column per class.
    public var probabilities: Bool
    /// A key column passed through first, so answers can be joined back to their rows.
    public var id: String?

    public init(dialect: SQLDialect = .sqlite, table: String = "data", probabilities: Bool = false, id: String? = nil) {
        self.dialect = dialect
        self.table = table
        self.probabilities = probabilities
        self.id = id
    }
}

/// Writes names and numbers into SQL, and the statement every SQL export shares: the
/// model's working columns computed per row in an inner query, the answers over them.
///
/// Every name (table, column, output column) is a double-quoted identifier and every
/// level or class a single-quoted literal, each with its quote character doubled; in
/// standard SQL nothing else inside them is special. The one exception is PostgreSQL with
/// `standard_conforming_strings` off, where a backslash in '…' escapes; a literal holding
/// a backslash is therefore written as E'…' with the backslash doubled, which means the
/// same under either setting. NUL cannot be carried by either database's text, so a
/// name holding one is refused rather than cut short.
struct SQLText {
    let options: SQLExportOptions

    func identifier(_ name: String) throws -> String {
        try refuseNUL(name)
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    func literal(_ text: String) throws -> String {
        try refuseNUL(text)
        let quoted = text.replacingOccurrences(of: "'", with: "''")
        if options.dialect == .postgres, quoted.contains("\\") {
            return "E'" + quoted.replacingOccurrences(of: "\\", with: "\\\\") + "'"
        }
        return "'" + quoted + "'"
    }

    /// `expression` limited to [−bound, bound], written so that no `--` (a comment) can form.
    func clamped(_ expression: String, to bound: Double) -> String {
        let (low, high) = options.dialect == .sqlite ? ("MAX", "MIN") : ("GREATEST", "LEAST")
        return "\(high)(\(low)(\(expression), -\(bound)), \(bound))"
    }

    /// `SELECT [id,] answers FROM (SELECT [id,] working columns FROM table) AS distill_rows;`
    /// - Parameters:
    ///   - working: the per-row columns the answers are made from, named; an expression
    ///     over several lines indents its later lines by four spaces (it is not re-indented,
    ///     as that would change a literal holding a line break).
    ///   - answers: the output columns, named, as expressions over the working columns.
    /// - Throws: `DataError` when `--id` is one of the query's own column names, or a name holds NUL.
    func statement(comment: [String], working: [(name: String, expression: String)],
                   answers: [(name: String, expression: String)]) throws -> String {
        var passed: [String] = []
        if let id = options.id {
            let taken = working.map(\.name) + answers.map(\.name)
            guard !taken.contains(id) else {
                throw DataError("--id '\(id)' is also the name of a column the query makes (\(taken.joined(separator: ", "))); rename it in a view first")
            }
            passed = [try identifier(id)]
        }
        guard !options.table.isEmpty else { throw DataError("--table must name a table") }
        let inner = try passed + working.map { "\($0.expression) AS \(try identifier($0.name))" }
        let outer = try passed + answers.map { "\($0.expression) AS \(try identifier($0.name))" }
        return comment.map { "-- " + $0 }.joined(separator: "\n") + "\n"
            + "SELECT\n  " + outer.joined(separator: ",\n  ") + "\n"
            + "FROM (\n  SELECT\n    " + inner.joined(separator: ",\n    ") + "\n"
            + "  FROM \(try identifier(options.table))\n) AS \"distill_rows\";\n"
    }

    /// `condition` on `column`, written to be TRUE or FALSE for every row and never NULL:
    /// the missing case is decided first, so no comparison with NULL is left for `CASE` or
    /// `NOT` to interpret.
    func condition(_ condition: ExportCondition, column: String) throws -> String {
        let test: String
        switch condition.present {
        case .always(let passes):
            switch (passes, condition.missingPasses) {
            case (true, true): return "TRUE"
            case (true, false): return "\(column) IS NOT NULL"
            case (false, true): return "\(column) IS NULL"
            case (false, false): return "FALSE"
            }
        case .number(let split, let above):
            test = "\(column) \(split.comparison(above: above)) \(try CodeText.number(split.midpoint))"
        case .levels(let split):
            test = "\(column) \(split.negated ? "NOT IN" : "IN") (\(try split.listed.map(literal).joined(separator: ", ")))"
        }
        return condition.missingPasses ? "\(column) IS NULL OR \(test)" : "\(column) IS NOT NULL AND \(test)"
    }

    /// SQLite parses `c1 AND c2 AND …` into an expression one level deeper per condition,
    /// and refuses one deeper than 1,000 levels (SQLITE_MAX_EXPR_DEPTH): 997 conditions as
    /// written here parse and 998 do not (SQLite 3.40). PostgreSQL flattens the `AND`s.
    static let sqliteConditionLimit = 500

    /// `CASE WHEN <part 1> THEN <its number> … ELSE <the last part's number> END`, a searched
    /// `CASE` whose first `WHEN` that holds answers: a rule list's rules in order, a tree's
    /// leaves (which never overlap). A condition per line, so that a threshold's comment can
    /// end it. The last part's conditions are not written, as every row left gets it.
    /// - Parameters:
    ///   - parts: each part's conditions, its number, and its name for the error ("rule 3").
    ///   - names: the student's feature names, by index.
    /// - Throws: `DataError` naming the part when it holds more conditions than SQLite
    ///   takes (`--dialect sqlite`), or a name holds NUL.
    func firstMatch(_ parts: [(conditions: [ExportCondition], number: Int, name: String)], names: [String]) throws -> String {
        // `CASE ELSE … END` is not SQL: a single part is its number.
        guard let last = parts.last, parts.count > 1 else { return "\(parts.last?.number ?? 1)" }
        var text = "CASE\n"
        for part in parts.dropLast() {
            if options.dialect == .sqlite, part.conditions.count > Self.sqliteConditionLimit {
                throw DataError("\(part.name) has \(part.conditions.count) conditions: SQLite refuses an expression more than 1,000 levels deep "
                                + "and each condition joined by AND adds one, so --dialect sqlite writes at most \(Self.sqliteConditionLimit) "
                                + "(--dialect postgres has no such limit)")
            }
            let lines = try part.conditions.map { condition in
                let written = try self.condition(condition, column: try identifier(names[condition.feature]))
                return (part.conditions.count > 1 ? "(\(written))" : written) + (condition.comment.map { " -- " + $0 } ?? "")
            }
            text += "      WHEN " + lines.joined(separator: "\n       AND ") + "\n      THEN \(part.number)\n"
        }
        return text + "      ELSE \(last.number)\n    END"
    }

    /// The answer columns of a student that answers a row by the part of the data it falls
    /// in (a tree's leaf, a rule): per output, a `CASE` over the part's number in `column`.
    /// - Parameters:
    ///   - parts: each part's number, its value (class probabilities or the value) and, for
    ///     a classifier, its class.
    ///   - student: what the student is, for the error ("tree", "rule list").
    /// - Throws: `DataError` when `--probabilities` is asked of a regression, or a class name holds NUL.
    func answers(task: TeacherTask, column: String, parts: [(number: Int, value: [Float], topClass: Int)],
                 student: String) throws -> [(name: String, expression: String)] {
        func byPart(_ answer: ((number: Int, value: [Float], topClass: Int)) throws -> String) throws -> String {
            try "CASE \"\(column)\"" + parts.map { " WHEN \($0.number) THEN \(try answer($0))" }.joined() + " END"
        }
        switch task {
        case .classification(let classes):
            var answers: [(name: String, expression: String)] = []
            if options.probabilities {
                for (k, name) in classes.enumerated() {
                    answers.append(("student_p_\(name)", try byPart { "\($0.value[k])" }))
                }
            }
            answers.append(("student_class", try byPart { try literal(classes[$0.topClass]) }))
            return answers
        case .regression:
            guard !options.probabilities else { throw DataError("--probabilities needs a classification student; this \(student) is a regression") }
            return [("student_value", try byPart { "\($0.value[0])" })]
        }
    }

    private func refuseNUL(_ text: String) throws {
        guard !text.unicodeScalars.contains("\0") else {
            throw DataError("the name '\(text.replacingOccurrences(of: "\0", with: "\\0"))' holds a NUL character, which SQL text cannot carry; rename it")
        }
    }
}
