/// What the values of a model's output are, as `--teacher-output-kind` declares them.
public enum TeacherOutputKind: String, Sendable, Codable, CaseIterable {
    /// One probability per class (or one probability p of the second class, answered as
    /// [1 − p, p]).
    case probabilities
    /// Unnormalised class scores z, answered as softmax(z / T) (one column: the sigmoid
    /// pair [1 − σ(z/T), σ(z/T)]), the soft targets of knowledge distillation (Hinton,
    /// Vinyals & Dean, "Distilling the Knowledge in a Neural Network", 2015).
    case logits
    /// One regression value per row.
    case value
}
