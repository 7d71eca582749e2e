import Foundation
import SynthTensor

/// One generated sample and how it was made.
package struct SoftPromptSample: Sendable, Equatable {
    package var tokens: [Int32]
    /// The target example whose context seeded it (nil for `shared`).
    package var contextIndex: Int?
    /// The sampler seed of this sample.
    package var seed: UInt64
}

/// Generation from a trained soft prompt with varied contexts (SoftSRV's generation step).
///
/// Sample `i` draws a target example `j` uniformly (seeded by `seed` and `i`), perturbs its context
/// `z ← (z + σ·‖z‖/√c · ε) · ‖z‖ / ‖·‖` with standard normal `ε` (so the prompt is near, not equal to, one
/// that reconstructs example `j`), builds `P_θ(z)` and samples with temperature / top-p. The `shared` variant
/// has one prompt; its samples differ only by the sampler.
package struct SoftPromptSampler: Sendable {
    package var temperature: Float = 0.8
    package var topP: Float = 0.95
    package var maxTokens: Int = 48
    /// σ, the relative context noise.
    package var noise: Float = 0.2
    /// Sequences decoded together.
    package var batch: Int = 8
    package var seed: UInt64 = 0

    package init(temperature: Float = 0.8, topP: Float = 0.95, maxTokens: Int = 48, noise: Float = 0.2, batch: Int = 8, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.noise = noise
        self.batch = batch
        self.seed = seed
    }

    /// The context and example index sample `index` uses.
    package func context(_ index: Int, contexts: [[Float]]) -> (context: [Float], source: Int)? {
        guard !contexts.isEmpty else { return nil }
        var generator = SeededGenerator(seed: seed &+ 0x9E37_79B9 &* UInt64(index + 1))
        let source = Int(generator.next() % UInt64(contexts.count))
        let z = contexts[source]
        let norm = z.map { $0 * $0 }.reduce(0, +).squareRoot()
        let scale = noise * norm / Float(max(z.count, 1)).squareRoot()
        var noisy = z.map { $0 + scale * generator.nextNormal() }
        let newNorm = noisy.map { $0 * $0 }.reduce(0, +).squareRoot()
        if newNorm > 0 { noisy = noisy.map { $0 * norm / newNorm } }
        return (noisy, source)
    }

    /// `count` samples from `prompt` (contexts ignored by `shared`) on `decoder`, stopping at `stop` tokens.
    ///
    /// - Parameter progress: called with the number of samples done.
    package func sample(
        _ prompt: SoftPrompt, contexts: [[Float]], count: Int, decoder: FrozenDecoder, stop: Set<Int32>,
        progress: (Int) -> Void = { _ in }
    ) -> [SoftPromptSample] {
        let shared = prompt.variant == .shared
        return generate(count: count, decoder: decoder, stop: stop, progress: progress) { index in
            if shared { return (prompt.prompt(for: []), nil) }
            let (z, source) = context(index, contexts: contexts)!
            return (prompt.prompt(for: z), source)
        }
    }

    /// `count` samples all starting from the same `prefix` embeddings (a hand-written text prompt).
    package func sample(
        prefix: FloatMatrix, count: Int, decoder: FrozenDecoder, stop: Set<Int32>, progress: (Int) -> Void = { _ in }
    ) -> [SoftPromptSample] {
        generate(count: count, decoder: decoder, stop: stop, progress: progress) { _ in (prefix, nil) }
    }

    private func generate(
        count: Int, decoder: FrozenDecoder, stop: Set<Int32>, progress: (Int) -> Void,
        prefix: (Int) -> (FloatMatrix, Int?)
    ) -> [SoftPromptSample] {
        let generator = DecoderGenerator(model: decoder)
        var samples: [SoftPromptSample] = []
        var start = 0
        while start < count {
            let indices = Array(start..<min(count, start + max(1, batch)))
            start += indices.count
            let prefixes = indices.map(prefix)
            let seeds = indices.map { seed &* 1_000_003 &+ UInt64($0) }
            let tokens = generator.generate(
                prefixes: prefixes.map(\.0), maxTokens: maxTokens,
                samplers: seeds.map { Sampler(temperature: temperature, topP: topP, seed: $0) }, stop: stop)
            for (offset, index) in indices.enumerated() {
                _ = index
                samples.append(SoftPromptSample(tokens: tokens[offset], contextIndex: prefixes[offset].1, seed: seeds[offset]))
            }
            progress(samples.count)
        }
        return samples
    }
}
