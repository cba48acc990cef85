/// The checks of a versioned file's fields, each error naming the file and the field.
struct FieldChecks {
    let path: String

    func fail(_ field: String, _ problem: String) -> DataError {
        DataError("\(path): \(field) \(problem)")
    }

    /// A count of rows, queries, leaves…: from 0 to `StudentFile.maximumRows`.
    func count(_ value: Int, at field: String, what: String = "") throws {
        guard (0...StudentFile.maximumRows).contains(value) else {
            throw fail(field, "is \(value)\(what.isEmpty ? "" : " " + what); a count is from 0 to 2^53")
        }
    }

    /// A share, when there is one: from 0 to 1.
    func share(_ value: Double?, at field: String) throws {
        guard let value, !(0...1).contains(value) else { return }
        throw fail(field, "is \(value); a share is from 0 to 1")
    }
}
