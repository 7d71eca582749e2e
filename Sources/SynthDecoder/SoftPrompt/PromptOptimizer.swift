import Foundation
import SynthTensor

/// AdamW (Loshchilov & Hutter 2019) for soft-prompt parameters, as `torch.optim.AdamW`:
///
///     θ ← θ(1 − ηλ);  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − η m̂ / (√v̂ + ε)
///
/// (SynthModels has the encoder trainer's AdamW; SynthDecoder cannot depend on SynthModels.)
package struct PromptOptimizer: Sendable, Codable, Equatable {
    package var learningRate: Float
    package var weightDecay: Float
    package var beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
    package private(set) var step = 0
    var first: [String: TensorData] = [:]
    var second: [String: TensorData] = [:]

    package init(learningRate: Float, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// Applies one update to `parameters`.
    package mutating func update(_ parameters: inout [String: Tensor], gradients: [String: Tensor]) throws {
        step += 1
        let c1 = 1 - Float(Foundation.pow(Double(beta1), Double(step)))
        let c2 = 1 - Float(Foundation.pow(Double(beta2), Double(step)))
        for name in gradients.keys.sorted() {
            guard var p = parameters[name], let g = gradients[name] else { continue }
            var m = try first[name]?.tensor().scalars ?? Array(repeating: 0, count: p.count)
            var v = try second[name]?.tensor().scalars ?? Array(repeating: 0, count: p.count)
            let gs = g.scalars
            let (lr, wd, b1, b2, eps) = (learningRate, weightDecay, beta1, beta2, epsilon)
            parameters[name] = nil
            p.withUnsafeMutableBufferPointer { values in
                for i in 0..<values.count {
                    values[i] *= 1 - lr * wd
                    m[i] = b1 * m[i] + (1 - b1) * gs[i]
                    v[i] = b2 * v[i] + (1 - b2) * gs[i] * gs[i]
                    values[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
                }
            }
            parameters[name] = p
            first[name] = TensorData(Tensor(shape: p.shape, values: m))
            second[name] = TensorData(Tensor(shape: p.shape, values: v))
        }
    }
}
