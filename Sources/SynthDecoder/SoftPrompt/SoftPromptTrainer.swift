import Foundation
import SynthTensor

/// One target example for SoftSRV: its tokens (with the end token appended) and its context embedding.
package struct SoftPromptExample: Sendable, Equatable {
    package var tokens: [Int32]
    /// The sequence embedder's vector for the example (e.g. MiniLM); unused by the `shared` variant.
    package var context: [Float]
    package init(tokens: [Int32], context: [Float]) {
        self.tokens = tokens
        self.context = context
    }
}

/// Everything a SoftSRV training run needs to resume: prompt, optimizer moments, step, RNG, loss history.
package struct SoftPromptState: Sendable, Equatable, Codable {
    package var prompt: SoftPrompt
    package var optimizer: PromptOptimizer
    package var generator: SeededGenerator
    /// Mean next-token loss of each step taken (nats/token).
    package var losses: [Double]
    package var step: Int { losses.count }

    package init(prompt: SoftPrompt, learningRate: Float, weightDecay: Float = 0, seed: UInt64) {
        self.prompt = prompt
        optimizer = PromptOptimizer(learningRate: learningRate, weightDecay: weightDecay)
        generator = SeededGenerator(seed: seed)
        losses = []
    }
}

/// Trains a ``SoftPrompt`` by next-token loss on target examples through a frozen decoder (SoftSRV).
///
/// Objective (DeSalvo et al. 2024): `min_θ Σᵢ −log p_LM(xᵢ | P_θ(zᵢ))`, where `zᵢ` is the example's own context
/// embedding. Each step draws `batchSize` examples (with replacement, from the state's seeded generator),
/// lays out `[P_θ(zᵢ) ; embed(xᵢ)]` (right-padded), runs ``FrozenDecoder/lossAndInputGradient(_:checkpointing:)``,
/// sends the prompt rows' gradient back through the parameterisation on a SynthTensor ``Tape`` and takes an
/// AdamW step. The LM's weights never receive gradients.
package struct SoftPromptTrainer: Sendable {
    package var decoder: FrozenDecoder
    package var batchSize: Int
    /// Target sequences are cut to this many tokens.
    package var maxTokens: Int

    package init(decoder: FrozenDecoder, batchSize: Int = 8, maxTokens: Int = 48) {
        self.decoder = decoder
        self.batchSize = batchSize
        self.maxTokens = maxTokens
    }

    /// The loss and prompt-parameter gradients for `batch` examples (no update).
    package func gradients(_ prompt: SoftPrompt, batch: [SoftPromptExample]) -> (loss: Double, gradients: [String: Tensor]) {
        let tape = Tape()
        let prompts = prompt.prompts(on: tape, contexts: batch.map(\.context))
        let P = prompt.length, d = prompt.width
        let sequences = batch.map { Array($0.tokens.prefix(maxTokens)) }
        let T = P + (sequences.map(\.count).max() ?? 0)
        let embeddings = FloatMatrix(rows: batch.count * T, columns: d)
        var labels = [Int32](repeating: -1, count: batch.count * T)
        prompts.value.withUnsafeBufferPointer { source in
            for b in 0..<batch.count {
                (embeddings.row(b * T)).update(from: source.baseAddress! + b * P * d, count: P * d)
            }
        }
        for (b, tokens) in sequences.enumerated() where !tokens.isEmpty {
            embeddings.copyRows(tokens.count, from: decoder.embed(tokens), to: b * T + P)
            for (j, token) in tokens.enumerated() { labels[b * T + P - 1 + j] = token }
        }
        let result = decoder.lossAndInputGradient(
            DecoderBatch(embeddings: embeddings, batch: batch.count, sequence: T, labels: labels))
        guard let input = result.inputGradient else { return (result.loss, [:]) }
        var seed: [Float] = []
        seed.reserveCapacity(batch.count * P * d)
        withExtendedLifetime(input) {
            for b in 0..<batch.count { seed += UnsafeBufferPointer(start: input.row(b * T), count: P * d) }
        }
        tape.backward(from: prompts, seed: Tensor(shape: prompts.shape, values: seed))
        return (result.loss, tape.parameterGradients())
    }

    /// Takes one training step on a batch drawn from `examples`; returns its loss.
    @discardableResult
    package func step(_ state: inout SoftPromptState, examples: [SoftPromptExample]) throws -> Double {
        precondition(!examples.isEmpty, "soft-prompt training needs examples")
        let batch = (0..<min(batchSize, max(1, examples.count))).map { _ in
            examples[Int(state.generator.next() % UInt64(examples.count))]
        }
        let (loss, gradients) = self.gradients(state.prompt, batch: batch)
        try state.optimizer.update(&state.prompt.parameters, gradients: gradients)
        state.losses.append(loss)
        return loss
    }

    /// Mean next-token loss of `examples` under `prompt` (forward only; batches of ``batchSize``).
    package func evaluate(_ prompt: SoftPrompt, examples: [SoftPromptExample]) -> Double {
        var total = 0.0, tokens = 0
        var start = 0
        while start < examples.count {
            let batch = Array(examples[start..<min(examples.count, start + batchSize)])
            start += batchSize
            let P = prompt.length, d = prompt.width
            let sequences = batch.map { Array($0.tokens.prefix(maxTokens)) }
            let T = P + (sequences.map(\.count).max() ?? 0)
            let embeddings = FloatMatrix(rows: batch.count * T, columns: d)
            var labels = [Int32](repeating: -1, count: batch.count * T)
            for (b, example) in batch.enumerated() {
                embeddings.copyRows(P, from: prompt.prompt(for: example.context), to: b * T)
                if !sequences[b].isEmpty {
                    embeddings.copyRows(sequences[b].count, from: decoder.embed(sequences[b]), to: b * T + P)
                }
                for (j, token) in sequences[b].enumerated() { labels[b * T + P - 1 + j] = token }
            }
            let result = decoder.loss(DecoderBatch(embeddings: embeddings, batch: batch.count, sequence: T, labels: labels))
            total += result.loss * Double(result.tokens)
            tokens += result.tokens
        }
        return total / Double(max(tokens, 1))
    }
}
