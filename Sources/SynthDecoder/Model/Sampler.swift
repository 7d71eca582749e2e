import Foundation
import SynthTensor

/// Chooses the next token from logits: greedy (argmax), or temperature with top-k / top-p (nucleus) filtering.
///
/// Sampling is reproducible: the same seed and logits give the same tokens.
///
/// ```swift
/// var sampler = Sampler.greedy
/// var creative = Sampler(temperature: 0.8, topP: 0.95, seed: 42)
/// ```
package struct Sampler: Sendable {
    /// Softmax temperature; `0` means greedy.
    package var temperature: Float
    /// Keep the smallest set of most probable tokens whose probability reaches `topP` (1 = off).
    package var topP: Float
    /// Keep only the `topK` most probable tokens (0 = off).
    package var topK: Int
    private var generator: SeededGenerator

    /// A sampler; `temperature <= 0` is greedy.
    package init(temperature: Float, topP: Float = 1, topK: Int = 0, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        generator = SeededGenerator(seed: seed)
    }

    /// Argmax decoding (ties: the lowest token id, like llama.cpp).
    package static let greedy = Sampler(temperature: 0)

    /// The next token id for one row of logits.
    package mutating func sample(_ logits: UnsafeBufferPointer<Float>) -> Int32 {
        if temperature <= 0 { return Int32(Self.argmax(logits)) }
        var candidates = Array(0..<logits.count)
        candidates.sort { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        if topK > 0 && topK < candidates.count { candidates.removeLast(candidates.count - topK) }
        let maximum = logits[candidates[0]]
        var probabilities = candidates.map { exp(Double((logits[$0] - maximum) / temperature)) }
        let total = probabilities.reduce(0, +)
        for index in probabilities.indices { probabilities[index] /= total }
        var keep = probabilities.count
        if topP < 1 {
            var cumulative = 0.0
            for (index, p) in probabilities.enumerated() {
                cumulative += p
                if cumulative >= Double(topP) {
                    keep = index + 1
                    break
                }
            }
        }
        let kept = probabilities[..<keep].reduce(0, +)
        var draw = Double(generator.nextUniform()) * kept
        for index in 0..<keep {
            draw -= probabilities[index]
            if draw < 0 { return Int32(candidates[index]) }
        }
        return Int32(candidates[keep - 1])
    }

    /// Index of the largest value (first on ties).
    package static func argmax(_ values: UnsafeBufferPointer<Float>) -> Int {
        var best = 0
        for index in 1..<values.count where values[index] > values[best] { best = index }
        return best
    }
}
