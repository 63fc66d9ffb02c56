/// The version of the Churn tools, recorded in every model bundle's lineage.
public enum ChurnVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
