/// What `distill export` writes a student as.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// The tree's indented rules or the rule list's `IF … THEN` lines (each as its `rules.txt`), or the linear equation (as `equation.txt`).
    case text
    /// A document for people: a table of the leaves' conditions, of the rules in order, or of the terms' weights.
    case markdown
    /// The model without how it was made (`distill.export/v1`, see `ExportJSON`).
    case json
    /// One `SELECT` that answers every row of a table as `distill predict` does.
    case sql
    /// A Python module with `predict(row: dict) -> dict`, needing nothing outside the standard library.
    case python
    /// A C function and its header (see `cHeader`), named after `CodeExportOptions.name`.
    case c
    /// Swift source: an enum holding `Input`, `Output` and `predict(_:)`, named after `CodeExportOptions.name`.
    case swift
    /// An ONNX model (binary) that onnxruntime runs; see `ONNXExport` and `Student.onnxModel()`.
    case onnx
    /// A PMML 4.4 document: a TreeModel for a tree or a rule list, a RegressionModel for a linear student.
    case pmml
}

extension Student {
    /// The student written in `format` (for C, the source); `sql` says how for the SQL format,
    /// `code` for the code formats.
    /// - Throws: `DataError` when the student cannot be written so: a name SQL, C or XML cannot
    ///   carry, or options that do not fit the student.
    public func exported(as format: ExportFormat, sql: SQLExportOptions = SQLExportOptions(),
                         code: CodeExportOptions = CodeExportOptions()) throws -> String {
        switch (format, self) {
        case (.text, .tree(let tree)): tree.text()
        case (.text, .linear(let model)): model.equation
        case (.text, .rules(let list)): list.text()
        case (.markdown, .tree(let tree)): MarkdownText.document(tree)
        case (.markdown, .linear(let model)): MarkdownText.document(model)
        case (.markdown, .rules(let list)): MarkdownText.document(list)
        case (.json, _): try ExportJSON(self).encoded()
        case (.onnx, _): throw DataError("ONNX is a binary format, not text: write it with onnxModel()")
        case (.sql, .tree(let tree)): try TreeSQL(tree: tree, options: sql).statement()
        case (.sql, .linear(let model)): try LinearSQL(model: model, options: sql).statement()
        case (.sql, .rules(let list)): try RuleListSQL(list: list, options: sql).statement()
        case (.python, _): try PythonCode(student: self).module()
        case (.c, _): try CCode(student: self, options: code).source()
        case (.swift, _): try SwiftCode(student: self, options: code).source()
        case (.pmml, .tree(let tree)): try PMMLTree(tree: tree).document()
        case (.pmml, .linear(let model)): try PMMLRegression(model: model).document()
        case (.pmml, .rules(let list)): try PMMLRuleList(list: list).document()
        }
    }

    /// The header the C export's source includes, as `code.header`.
    public func cHeader(code: CodeExportOptions = CodeExportOptions()) throws -> String {
        try CCode(student: self, options: code).header()
    }
}
