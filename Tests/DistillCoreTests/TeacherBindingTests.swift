import Foundation
import Testing

@testable import DistillCore

/// How model inputs bind to feature columns: by name, by an exporter's renaming, one wide
/// input taking the columns left over, and `--input`.
@Suite("Teacher binding")
struct TeacherBindingTests {
    /// Numeric columns named `names`, column c holding 10·c + row; then a text column `cat`.
    func data(_ names: [String], cat: Bool = false, rows: Int = 2) -> Dataset {
        var features = names.enumerated().map { c, name in
            Column(name: name, values: .numeric((0..<rows).map { Float(10 * c + $0) }))
        }
        if cat { features.append(Column(name: "cat", values: .categorical(codes: (0..<rows).map { Int32($0 % 2) }, levels: ["a", "b"]))) }
        return Dataset(features: features, rowCount: rows)
    }

    func input(_ name: String, _ width: Int?, _ type: TeacherElementType = .float) -> TeacherInput {
        TeacherInput(name: name, elementType: type, width: width, acceptsMissing: false)
    }

    func values(_ batch: TeacherBatch, _ name: String) -> TensorValues? {
        batch.inputs.first { $0.name == name }?.values
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch let e as TeacherError { return e.description } catch { return "unexpected \(error)" }
        return "no error"
    }

    @Test("a wide numeric input beside a named text input takes the numeric columns in order")
    func wideAndCategorical() throws {
        let d = data(["a", "b", "c"], cat: true)
        let binding = try TeacherBinding(teacher: .tensors([input("x_num", 3), input("cat", 1, .string)]), data: d)
        let batch = try binding.batch(d, rows: 0..<2)
        #expect(values(batch, "x_num") == .float([0, 10, 20, 1, 11, 21]))
        #expect(values(batch, "cat") == .string(["a", "b"]))
        #expect(binding.notes.isEmpty)
    }

    @Test("the leftover input's declared width must match the columns left over")
    func leftoverWidth() {
        let m = message { _ = try TeacherBinding(teacher: .tensors([input("x_num", 4), input("cat", 1, .string)]), data: data(["a", "b", "c"], cat: true)) }
        #expect(m.contains("the model's input 'x_num' takes 4 values per row, but 3 feature column(s) are left for it ('a', 'b', 'c')"))
        #expect(m.contains("--input x_num="))
    }

    @Test("two inputs no column names: the error asks for --input")
    func twoUnnamed() {
        let m = message { _ = try TeacherBinding(teacher: .tensors([input("left", 2), input("right", 2)]), data: data(["a", "b", "c", "d"])) }
        #expect(m.contains("the model's inputs 'left', 'right' have no feature column of their name"))
        #expect(m.contains("bind them with --input NAME=col1,col2,…"))
    }

    @Test("--input binds inputs to the columns it lists, in its order")
    func explicit() throws {
        let d = data(["a", "b", "c", "d"])
        let assignments = try ["left=c,a", "right=b,d"].map(TeacherInputAssignment.init(parsing:))
        let binding = try TeacherBinding(teacher: .tensors([input("left", 2), input("right", nil)]), data: d, assignments: assignments)
        let batch = try binding.batch(d, rows: 0..<2)
        #expect(values(batch, "left") == .float([20, 0, 21, 1]))
        #expect(values(batch, "right") == .float([10, 30, 11, 31]))
    }

    @Test("--input with one assignment leaves the other input to take what is left")
    func explicitAndLeftover() throws {
        let d = data(["a", "b", "c", "d"])
        let binding = try TeacherBinding(teacher: .tensors([input("left", 2), input("right", 2)]), data: d,
                                         assignments: [try TeacherInputAssignment(parsing: "right=d,a")])
        #expect(values(try binding.batch(d, rows: 0..<1), "left") == .float([10, 20]))
    }

    @Test("bad --input options are refused naming the option", arguments: [
        (["left=a,b,a"], "--input 'left=a,b,a' names column 'a' twice"),
        (["left=a,zz"], "--input left=a,zz: there is no feature column 'zz'"),
        (["nope=a,b"], "--input nope=a,b: the model has no input 'nope'; its inputs are 'left', 'right'"),
        (["left=a,b", "right=b,c"], "--input right=b,c: column 'b' is already given to input 'left'"),
        (["left=a,b", "left=c,d"], "--input left=c,d: input 'left' is given by --input twice"),
        (["left=a"], "--input left=a: the model's input 'left' takes 2 values per row, the option gives 1 column(s)"),
        (["left"], "--input 'left': expected NAME=col1,col2,…"),
        (["left=a,,b"], "a column name is empty"),
    ])
    func badOptions(options: [String], expected: String) {
        let m = message {
            _ = try TeacherBinding(teacher: .tensors([input("left", 2), input("right", 2)]), data: data(["a", "b", "c", "d"]),
                                   assignments: try options.map(TeacherInputAssignment.init(parsing:)))
        }
        #expect(m.contains(expected), "\(m)")
    }

    @Test("an input named like a column that --input gives to another input is refused")
    func nameClaimedByOption() {
        let m = message {
            _ = try TeacherBinding(teacher: .tensors([input("a", 1), input("rest", 3)]), data: data(["a", "b", "c"]),
                                   assignments: [try TeacherInputAssignment(parsing: "rest=a,b,c")])
        }
        #expect(m.contains("the model's input 'a' is named like column 'a', which --input gives to input 'rest'"))
    }

    @Test("inputs renamed by an exporter match their columns, with a note", arguments: [
        ("mean_radius__µm_", "mean radius (µm)"),  // skl2onnx keeps Unicode letters
        ("mean_radius___m_", "mean radius (µm)"),  // an ASCII-only exporter
        ("_2nd_dose", "2nd dose"),  // a leading digit gets an underscore
        ("a+b", "a+b"),
    ])
    func renamed(inputName: String, column: String) throws {
        let d = data([column, "other"])
        let binding = try TeacherBinding(teacher: .tensors([input(inputName, 1), input("other", 1)]), data: d)
        #expect(values(try binding.batch(d, rows: 1..<2), inputName) == .float([1]))
        if inputName == column {
            #expect(binding.notes.isEmpty)
        } else {
            #expect(binding.notes == ["note: the model's input '\(inputName)' takes column '\(column)', matched after the renaming exporters do (characters other than letters, digits and _ become _)"])
        }
    }

    @Test("a renamed input matching two columns asks for --input")
    func renamedAmbiguous() {
        let m = message { _ = try TeacherBinding(teacher: .tensors([input("a_b", 1)]), data: data(["a b", "a-b"])) }
        #expect(m.contains("matches the columns 'a b', 'a-b' after the renaming exporters do; say which with --input a_b=COLUMN"))
    }

    @Test("int64 inputs take integer-valued columns; a fraction names the column and row")
    func integers() throws {
        let d = Dataset(features: [Column(name: "k", values: .numeric([3, -2, 2.5])), Column(name: "n", values: .numeric([1, 2, 3]))], rowCount: 3)
        let binding = try TeacherBinding(teacher: .tensors([input("both", 2, .int64)]), data: d)
        #expect(try binding.batch(d, rows: 0..<2).inputs[0].values == .int64([3, 1, -2, 2]))
        let m = message { _ = try binding.batch(d, rows: 1..<3) }
        #expect(m.contains("the model's input 'both' takes integers, but column 'k' has 2.5 at data row 3"))
        let huge = Dataset(features: [Column(name: "k", values: .numeric([1e30]))], rowCount: 1)
        let m2 = message { _ = try TeacherBinding(teacher: .tensors([input("k", 1, .int64)]), data: huge).batch(huge, rows: 0..<1) }
        #expect(m2.contains("column 'k' has 1e+30 at data row 1"))
    }
}
