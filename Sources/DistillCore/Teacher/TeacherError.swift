/// A teacher that cannot be used or failed while answering, said with where.
public struct TeacherError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// The data and the teacher's inputs do not fit together.
    public static func binding(_ message: String) -> TeacherError {
        TeacherError(message)
    }
}
