import ArgumentParser
import DistillCore

/// Where the rows come from and which columns are features.
struct DataOptions: ParsableArguments {
    @Option(help: "The CSV file of rows (header row required).")
    var data: String?

    @Option(help: "The field separator of the CSV files.")
    var delimiter: String = ","

    @Option(help: "The ground-truth column; it is never a feature.")
    var label: String?

    @Option(help: "Only these feature columns, comma separated.")
    var features: String?

    @Option(help: "Columns to leave out, comma separated.")
    var drop: String?

    @Option(help: "Fill missing values before they reach the teacher: median, mean or zero (text columns get their most frequent level).")
    var impute: ImputeStrategy?

    func validate() throws {
        guard delimiter.count == 1, let character = delimiter.first, character.isASCII,
              character != "\"", character != "\n", character != "\r" else {
            throw ValidationError("--delimiter must be one ASCII character other than a quote or a line end, not '\(delimiter)'")
        }
    }

    var selection: DataSelection {
        DataSelection(label: label, features: features.map(Self.names), drop: drop.map(Self.names) ?? [])
    }

    /// Reads `--data` and applies the column choice.
    /// - Parameter teacher: the teacher the rows go to; numbers stay at double precision
    ///   for one with float64 or int64 inputs.
    func load(for teacher: (any Teacher)?) throws -> Dataset {
        guard let data else { throw ValidationError("give the rows with --data FILE") }
        return try load(path: data, for: teacher)
    }

    func load(path: String, for teacher: (any Teacher)?) throws -> Dataset {
        let table = try CSVReader.read(path, delimiter: Character(delimiter),
                                       keepingDoubles: teacher?.inputs.wantsDoubles ?? false)
        return try selection.apply(to: table)
    }

    /// The rows as the teacher should see them: with `--impute`, missing values filled
    /// from these rows' own statistics.
    func imputed(_ data: Dataset) -> Dataset {
        guard let impute else { return data }
        return Imputation(strategy: impute, learningFrom: data).apply(to: data)
    }

    private static func names(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

extension ImputeStrategy: ExpressibleByArgument {}
