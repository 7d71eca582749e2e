import Foundation
import SynthTensor

/// Adam with decoupled weight decay (Loshchilov & Hutter, 2019), matching `torch.optim.AdamW`.
///
/// For each parameter `θ` with gradient `g` at step `t` (1-based) and learning rate `η`:
///
///     θ ← θ − η λ θ                      (decoupled decay; skipped for biases and LayerNorm)
///     m ← β₁ m + (1 − β₁) g
///     v ← β₂ v + (1 − β₂) g²
///     θ ← θ − η (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
///
/// Parameters without a gradient this step are left untouched (their moments too).
package struct AdamW: Sendable {
    /// Adam's β₁, β₂ and ε.
    package var beta1: Float, beta2: Float, epsilon: Float
    /// Decoupled weight decay λ.
    package var weightDecay: Float
    /// Number of steps taken.
    package private(set) var step: Int = 0
    /// First and second moment estimates by parameter name.
    package private(set) var firstMoments: [String: Tensor] = [:]
    package private(set) var secondMoments: [String: Tensor] = [:]

    /// Creates an optimizer (defaults: torch's betas and ε, sentence-transformers' weight decay 0.01).
    package init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Whether weight decay applies to a parameter (not to biases or LayerNorm, as sentence-transformers' `fit`).
    package static func decays(_ name: String) -> Bool {
        !(name.hasSuffix(".bias") || name.contains("LayerNorm"))
    }

    /// Applies one update to `parameters` with `gradients` at learning rate `learningRate`.
    package mutating func update(
        _ parameters: inout [String: Tensor], gradients: [String: Tensor], learningRate: Float
    ) {
        step += 1
        let correction1 = 1 - Float(Foundation.pow(Double(beta1), Double(step)))
        let correction2 = 1 - Float(Foundation.pow(Double(beta2), Double(step)))
        let stepSize = learningRate / correction1
        let inverseRootCorrection2 = 1 / correction2.squareRoot()
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for name in gradients.keys.sorted() {
            guard var parameter = parameters[name], let gradient = gradients[name] else { continue }
            precondition(parameter.shape == gradient.shape, "gradient \(gradient.shape) for \(name) of \(parameter.shape)")
            var m = firstMoments[name] ?? Tensor(shape: parameter.shape, repeating: 0)
            var v = secondMoments[name] ?? Tensor(shape: parameter.shape, repeating: 0)
            let decay = Self.decays(name) ? 1 - learningRate * weightDecay : 1
            parameters[name] = nil  // let the parameter's storage be uniquely referenced
            parameter.withUnsafeMutableBufferPointer { p in
                m.withUnsafeMutableBufferPointer { mb in
                    v.withUnsafeMutableBufferPointer { vb in
                        gradient.withUnsafeBufferPointer { g in
                            let pp = p.baseAddress!, mp = mb.baseAddress!, vp = vb.baseAddress!, gp = g.baseAddress!
                            Parallel.forRanges(p.count, costPerItem: 8) { range in
                                for i in range {
                                    let gi = gp[i]
                                    let mi = b1 * mp[i] + (1 - b1) * gi
                                    let vi = b2 * vp[i] + (1 - b2) * gi * gi
                                    mp[i] = mi
                                    vp[i] = vi
                                    pp[i] = pp[i] * decay - stepSize * mi / (vi.squareRoot() * inverseRootCorrection2 + eps)
                                }
                            }
                        }
                    }
                }
            }
            parameters[name] = parameter
            firstMoments[name] = m
            secondMoments[name] = v
        }
    }

    /// Restores state saved by a checkpoint.
    package mutating func restore(step: Int, firstMoments: [String: Tensor], secondMoments: [String: Tensor]) {
        self.step = step
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }
}
