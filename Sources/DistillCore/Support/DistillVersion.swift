/// The version of Distill, shown by `distill --version` and recorded in every run.
public enum DistillVersion {
    public static let current = "0.1.0"
}
