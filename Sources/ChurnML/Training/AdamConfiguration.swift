/// Hyperparameters of the Adam optimiser (Kingma & Ba), defaulting to Keras's values.
public struct AdamConfiguration: Codable, Sendable, Equatable {
    /// Step size.
    public var learningRate: Float = 0.001
    /// Decay of the first-moment (mean) estimate.
    public var beta1: Float = 0.9
    /// Decay of the second-moment (uncentred variance) estimate.
    public var beta2: Float = 0.999
    /// Added to the square root of the second moment, as Keras does (its default 1e-7).
    public var epsilon: Float = 1e-7

    /// The defaults of the reference recipe.
    public init() {}

    /// Snake-case keys, as written into bundles and JSON output.
    enum CodingKeys: String, CodingKey {
        case learningRate = "learning_rate"
        case beta1 = "beta_1"
        case beta2 = "beta_2"
        case epsilon
    }
}
