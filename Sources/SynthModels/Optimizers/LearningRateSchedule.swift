import SynthTensor

/// Linear warm-up from 0 to the peak rate, then linear decay to 0 (transformers'
/// `get_linear_schedule_with_warmup`, the sentence-transformers default `WarmupLinear`).
package struct LearningRateSchedule: Sendable, Equatable, Codable {
    /// The peak learning rate.
    package var peak: Float
    /// Steps of linear warm-up.
    package var warmupSteps: Int
    /// Total optimizer steps.
    package var totalSteps: Int

    /// Creates a schedule.
    package init(peak: Float, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The rate used for the update that follows `step` completed steps (0-based).
    package func rate(atStep step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step) / Float(max(1, warmupSteps)) }
        let remaining = Float(max(0, totalSteps - step)) / Float(max(1, totalSteps - warmupSteps))
        return peak * remaining
    }
}

/// Scales gradients so their global L2 norm is at most `maxNorm` (as `torch.nn.utils.clip_grad_norm_`).
///
/// - Returns: the norm before clipping.
@discardableResult
package func clipGradientNorm(_ gradients: inout [String: SynthTensor.Tensor], maxNorm: Float) -> Float {
    var total = 0.0
    for name in gradients.keys.sorted() {
        gradients[name]!.withUnsafeBufferPointer { buffer in
            for value in buffer { total += Double(value) * Double(value) }
        }
    }
    let norm = Float(total.squareRoot())
    let factor = maxNorm / (norm + 1e-6)
    guard factor < 1 else { return norm }
    for name in gradients.keys.sorted() {
        gradients[name]!.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] *= factor }
        }
    }
    return norm
}
