/// What `distill export` writes a student as.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// The tree's indented rules (as `rules.txt`) or the linear equation (as `equation.txt`).
    case text
    /// A document for people: the leaves as a table of rules, or the terms as a table of weights.
    case markdown
    /// The model without how it was made (`distill.export/v1`, see `ExportJSON`).
    case json
    /// One `SELECT` that answers every row of a table as `distill predict` does.
    case sql
    /// A Python module with `predict(row: dict) -> dict`, needing nothing outside the standard library.
    case python
}

extension Student {
    /// The student written in `format`; `sql` says how for the SQL format and is unused otherwise.
    /// - Throws: `DataError` when the student cannot be written so: a name SQL cannot carry,
    ///   or options that do not fit the student.
    public func exported(as format: ExportFormat, sql: SQLExportOptions = SQLExportOptions()) throws -> String {
        switch (format, self) {
        case (.text, .tree(let tree)): tree.text()
        case (.text, .linear(let model)): model.equation
        case (.markdown, .tree(let tree)): MarkdownText.document(tree)
        case (.markdown, .linear(let model)): MarkdownText.document(model)
        case (.json, _): try ExportJSON(self).encoded()
        case (.sql, .tree(let tree)): try TreeSQL(tree: tree, options: sql).statement()
        case (.sql, .linear(let model)): try LinearSQL(model: model, options: sql).statement()
        case (.python, _): try PythonCode(student: self).module()
        }
    }
}
