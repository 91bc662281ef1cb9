/// The one place that names tumulte's version; `tumulte --version`, `/health` and logs read it.
public enum TumulteVersion {
    /// The semantic version of this build.
    public static let current = "0.1.0"
}
