import ArgumentParser
import DistillCore
import Foundation

struct TeacherCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teacher",
        abstract: "Look at a teacher.",
        subcommands: [Inspect.self]
    )

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a teacher's inputs, outputs, classes, operators and size."
        )

        @OptionGroup var teacherOptions: TeacherOptions

        func run() throws {
            let teacher: any Teacher
            do {
                teacher = try teacherOptions.load()
            } catch let e as ONNXError where e.kind == .unsupportedOperator {
                // Still show what the model holds, so every missing operator is seen at once.
                guard let path = teacherOptions.teacher,
                      let table = try? ONNXModelSummary.operators(ofModelAt: URL(fileURLWithPath: path)) else { throw e }
                print("model: \(path)")
                print(ONNXModelSummary.operatorTable(table).joined(separator: "\n"))
                print("this model cannot be used as a teacher: \(e)")
                return
            }
            print(teacher.inspection)
        }
    }
}
