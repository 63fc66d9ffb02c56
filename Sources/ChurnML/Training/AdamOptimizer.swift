import LinearAlgebra

/// Adam over one flat parameter vector, in the form Keras uses:
///
///     m ← β1·m + (1−β1)·g
///     v ← β2·v + (1−β2)·g²
///     θ ← θ − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)
///
/// The moment vectors are preallocated, so a step allocates nothing.
final class AdamOptimizer: @unchecked Sendable {
    private let configuration: AdamConfiguration
    private let firstMoment: FloatBuffer
    private let secondMoment: FloatBuffer
    private var beta1Power: Double = 1
    private var beta2Power: Double = 1
    /// Number of steps taken so far.
    private(set) var step = 0

    /// An optimiser for `parameterCount` parameters with zeroed moments.
    init(configuration: AdamConfiguration, parameterCount: Int) {
        self.configuration = configuration
        firstMoment = FloatBuffer(count: parameterCount)
        secondMoment = FloatBuffer(count: parameterCount)
    }

    /// Applies one update to `parameters` from `gradients` (both `count` long).
    func update(parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, count: Int) {
        step += 1
        beta1Power *= Double(configuration.beta1)
        beta2Power *= Double(configuration.beta2)
        let stepSize = Float(Double(configuration.learningRate) * (1 - beta2Power).squareRoot() / (1 - beta1Power))
        let beta1 = configuration.beta1
        let beta2 = configuration.beta2
        let oneMinusBeta1 = 1 - beta1
        let oneMinusBeta2 = 1 - beta2
        let epsilon = configuration.epsilon
        let m = firstMoment.pointer
        let v = secondMoment.pointer
        for index in 0..<min(count, firstMoment.count) {
            let g = gradients[index]
            let mNew = beta1 * m[index] + oneMinusBeta1 * g
            let vNew = beta2 * v[index] + oneMinusBeta2 * g * g
            m[index] = mNew
            v[index] = vNew
            parameters[index] -= stepSize * mNew / (vNew.squareRoot() + epsilon)
        }
    }
}
