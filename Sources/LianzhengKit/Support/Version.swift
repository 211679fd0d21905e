/// Program identity recorded with every run.
public enum Version {
    /// Bumped whenever a computed output could change.
    public static let program = "0.1.0"
}
