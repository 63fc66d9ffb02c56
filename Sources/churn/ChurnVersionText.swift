import ChurnML

/// The version string `churn --version` prints.
enum ChurnVersionText {
    static let current = ChurnVersion.current
}
