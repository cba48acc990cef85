import ArgumentParser
import DistillCore

@main
struct Distill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "Distil a neural network (the teacher) into models a person can read.",
        version: DistillVersion.current,
        subcommands: [TeacherCommand.self, LabelCommand.self, TreeCommand.self, LinearCommand.self, FidelityCommand.self, PredictCommand.self, ExportCommand.self,
                      ExplainCommand.self, ReportCommand.self, RulesCommand.self]
    )

    /// Interrupted by a signal, a command removes its half-written files and stops its
    /// teacher program before it ends.
    static func main() {
        InterruptCleanup.install()
        main(nil)
    }
}
