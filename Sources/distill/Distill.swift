import ArgumentParser

@main
struct Distill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "Distil a neural network (the teacher) into models a person can read.",
        version: "0.1.0",
        subcommands: [TeacherCommand.self, LabelCommand.self, TreeCommand.self, FidelityCommand.self, PredictCommand.self,
                      ExplainCommand.self]
    )
}
