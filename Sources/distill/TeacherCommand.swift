import ArgumentParser
import DistillCore

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
            print(try teacherOptions.load().inspection)
        }
    }
}
