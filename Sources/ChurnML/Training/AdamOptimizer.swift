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
        let m = firstMoment.pointer
        let v = secondMoment.pointer
        let count = min(count, firstMoment.count)
        // Eight parameters at a time; the moments live in separate buffers, so nothing aliases.
        let beta1 = SIMD8<Float>(repeating: configuration.beta1)
        let beta2 = SIMD8<Float>(repeating: configuration.beta2)
        let oneMinusBeta1 = SIMD8<Float>(repeating: 1 - configuration.beta1)
        let oneMinusBeta2 = SIMD8<Float>(repeating: 1 - configuration.beta2)
        let epsilon = SIMD8<Float>(repeating: configuration.epsilon)
        let stepVector = SIMD8<Float>(repeating: stepSize)
        var index = 0
        while index + 8 <= count {
            let g = UnsafeRawPointer(gradients + index).loadUnaligned(as: SIMD8<Float>.self)
            let mOld = UnsafeRawPointer(m + index).loadUnaligned(as: SIMD8<Float>.self)
            let vOld = UnsafeRawPointer(v + index).loadUnaligned(as: SIMD8<Float>.self)
            let theta = UnsafeRawPointer(parameters + index).loadUnaligned(as: SIMD8<Float>.self)
            let mNew = beta1 * mOld + oneMinusBeta1 * g
            let vNew = beta2 * vOld + oneMinusBeta2 * g * g
            UnsafeMutableRawPointer(m + index).storeBytes(of: mNew, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(v + index).storeBytes(of: vNew, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(parameters + index).storeBytes(
                of: theta - stepVector * mNew / (vNew.squareRoot() + epsilon), as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            let g = gradients[index]
            let mNew = configuration.beta1 * m[index] + (1 - configuration.beta1) * g
            let vNew = configuration.beta2 * v[index] + (1 - configuration.beta2) * g * g
            m[index] = mNew
            v[index] = vNew
            parameters[index] -= stepSize * mNew / (vNew.squareRoot() + configuration.epsilon)
            index += 1
        }
    }
}
