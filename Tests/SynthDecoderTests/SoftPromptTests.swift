import Foundation
import SynthTensor
import Testing

@testable import SynthDecoder

/// Not serialized: cases share only the read-only `model`. (The worse or NaN losses once blamed on concurrent
/// cases came from `evaluate` reading a freed matrix; see `evaluationMatchesTheTrainingLoss`.)
@Suite("SoftSRV soft prompts on the tiny random decoder")
struct SoftPromptTests {
    static let model = FrozenDecoder.random(.tiny, seed: 21)

    static func examples() -> [SoftPromptExample] {
        (0..<6).map { i in
            var generator = SeededGenerator(seed: UInt64(100 + i))
            let tokens = (0..<(3 + i % 3)).map { _ in Int32(generator.next() % 40) }
            return SoftPromptExample(tokens: tokens, context: (0..<5).map { _ in generator.nextNormal() })
        }
    }

    static func prompt(_ variant: SoftPromptVariant) -> SoftPrompt {
        SoftPrompt(
            variant: variant, initial: model.embed([1, 2, 3]), contextWidth: 5, components: 3, hidden: 4, seed: 2)
    }

    @Test(arguments: SoftPromptVariant.allCases)
    func parameterGradientsMatchFiniteDifferences(variant: SoftPromptVariant) {
        let trainer = SoftPromptTrainer(decoder: Self.model, batchSize: 3)
        let batch = Array(Self.examples().prefix(3))
        var prompt = Self.prompt(variant)
        let analytic = trainer.gradients(prompt, batch: batch).gradients
        #expect(Set(analytic.keys) == Set(prompt.parameters.keys))
        var worst = 0.0
        for name in prompt.parameters.keys.sorted() {
            let original = prompt.parameters[name]!
            for element in stride(from: 0, to: original.count, by: max(1, original.count / 12)) {
                func loss(_ delta: Float) -> Double {
                    var changed = original
                    changed.withUnsafeMutableBufferPointer { $0[element] += delta }
                    prompt.parameters[name] = changed
                    return trainer.gradients(prompt, batch: batch).loss
                }
                let step: Float = 3e-3
                let numeric = (loss(step) - loss(-step)) / (2 * Double(step))
                prompt.parameters[name] = original
                let a = Double(analytic[name]!.scalars[element])
                worst = max(worst, abs(a - numeric) / max(1, abs(a), abs(numeric)))
            }
        }
        #expect(worst < 5e-3, "\(variant): worst relative error \(worst)")
    }

    @Test(arguments: SoftPromptVariant.allCases)
    func trainingLowersTheTargetLoss(variant: SoftPromptVariant) throws {
        let trainer = SoftPromptTrainer(decoder: Self.model, batchSize: 6)
        let examples = Self.examples()
        var state = SoftPromptState(prompt: Self.prompt(variant), learningRate: 0.05, seed: 3)
        let before = trainer.evaluate(state.prompt, examples: examples)
        for _ in 0..<25 { try trainer.step(&state, examples: examples) }
        let after = trainer.evaluate(state.prompt, examples: examples)
        #expect(after < before - 0.2, "\(variant): \(before) → \(after)")
        #expect(state.step == 25)
    }

    /// `evaluate` (forward only) and `gradients` (the training path) lay out the same batch and must agree on its
    /// loss. `evaluate` once copied token embeddings from a freed temporary (`decoder.embed(…).pointer`), so its
    /// loss was off by several nats, NaN in some runs.
    @Test(arguments: SoftPromptVariant.allCases)
    func evaluationMatchesTheTrainingLoss(variant: SoftPromptVariant) {
        let examples = Self.examples()
        let trainer = SoftPromptTrainer(decoder: Self.model, batchSize: examples.count)
        let prompt = Self.prompt(variant)
        let evaluated = trainer.evaluate(prompt, examples: examples)
        let trained = trainer.gradients(prompt, batch: examples).loss
        #expect(abs(evaluated - trained) < 1e-9 * trained, "\(variant): evaluate \(evaluated), gradients \(trained)")
    }

    @Test func stateRoundTripsAndResumesIdentically() throws {
        let trainer = SoftPromptTrainer(decoder: Self.model, batchSize: 2)
        let examples = Self.examples()
        var state = SoftPromptState(prompt: Self.prompt(.mlp), learningRate: 0.05, seed: 4)
        for _ in 0..<3 { try trainer.step(&state, examples: examples) }
        let restored = try JSONDecoder().decode(SoftPromptState.self, from: JSONEncoder().encode(state))
        #expect(restored == state)
        var continued = state, resumed = restored
        for _ in 0..<2 {
            try trainer.step(&continued, examples: examples)
            try trainer.step(&resumed, examples: examples)
        }
        #expect(continued == resumed)
    }

    @Test func samplingVariesContextsAndIsSeeded() {
        let prompt = Self.prompt(.mixture)
        let contexts = Self.examples().map(\.context)
        let sampler = SoftPromptSampler(temperature: 30, topP: 1, maxTokens: 5, noise: 0.3, batch: 3, seed: 9)
        let a = sampler.sample(prompt, contexts: contexts, count: 5, decoder: Self.model, stop: [])
        let b = sampler.sample(prompt, contexts: contexts, count: 5, decoder: Self.model, stop: [])
        #expect(a == b)
        #expect(a.count == 5 && a.allSatisfy { $0.tokens.count == 5 && $0.contextIndex != nil })
        #expect(Set(a.map(\.tokens)).count > 1)
        let (z, source) = sampler.context(0, contexts: contexts)!
        #expect(z != contexts[source])
        let norm = { (v: [Float]) in v.map { $0 * $0 }.reduce(0, +).squareRoot() }
        #expect(abs(norm(z) - norm(contexts[source])) < 1e-4)
    }
}
