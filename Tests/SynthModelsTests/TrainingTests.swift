import Foundation
import SynthTensor
import SynthTestSupport
import Testing

@testable import SynthModels

@Suite("Training")
struct TrainingTests {
    /// A tiny retrieval task: each query is 2 random content tokens; its positive repeats them amid noise.
    static func examples(count: Int, seed: UInt64) -> [TrainingExample] {
        var generator = SeededGenerator(seed: seed)
        func token() -> Int32 { Int32(5 + generator.next() % 90) }
        return (0..<count).map { _ in
            let a = token(), b = token()
            return TrainingExample(
                query: [1, a, b, 2], positive: [1, token(), a, token(), b, 2], negatives: [[1, token(), token(), token(), 2]])
        }
    }

    static var options: TrainingOptions {
        var options = TrainingOptions()
        options.batchSize = 8
        options.learningRate = 1e-3
        options.warmupSteps = 2
        options.seed = 7
        return options
    }

    @Test("MNRL loss decreases on a tiny synthetic task")
    func lossDecreases() throws {
        var options = Self.options
        options.epochs = 6
        let result = try BiEncoderTrainer(options: options).train(
            BiEncoder(model: BertModel(config: .tiny(), seed: 1)), examples: Self.examples(count: 32, seed: 3))
        #expect(result.steps == 24)
        #expect(result.losses.count == 24)
        let first = result.losses.prefix(4).reduce(0, +) / 4, last = result.losses.suffix(4).reduce(0, +) / 4
        #expect(last < first * 0.7, "losses \(result.losses)")
    }

    @Test("the same seed gives the same loss curve; another seed a different one")
    func seededDeterminism() throws {
        let examples = Self.examples(count: 16, seed: 4)
        func run(_ seed: UInt64) throws -> [Float] {
            var options = Self.options
            options.seed = seed
            options.accumulationSteps = 2
            return try BiEncoderTrainer(options: options).train(BiEncoder(model: BertModel(config: .tiny(), seed: 1)), examples: examples).losses
        }
        #expect(try run(5) == run(5))
        #expect(try run(5) != run(6))
    }

    @Test("a checkpoint loads back with identical outputs, in the sentence-transformers layout")
    func checkpointRoundTrip() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = TestPaths.synthlabHome.appendingPathComponent("models/all-MiniLM-L6-v2")
        let encoder = BiEncoder(model: BertModel(config: .tiny(), seed: 9))
        let target = folder.appendingPathComponent("model")
        try Checkpoint.save(encoder, to: target, baseModelFolder: base)
        try Checkpoint.save(encoder, to: target, baseModelFolder: base)  // replacing an existing folder works
        for file in ["model.safetensors", "config.json", "vocab.txt", "tokenizer.json", "modules.json",
                     "sentence_bert_config.json", "1_Pooling/config.json"] {
            #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent(file).path), "\(file)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers == ["model"])
        let loaded = try Checkpoint.load(folder: target)
        #expect(loaded.state == nil)
        #expect(loaded.encoder.normalize && loaded.encoder.pooling == .mean)
        let ids: [[Int32]] = [[1, 4, 8, 2], [1, 3, 2, 0]], mask: [[Int32]] = [[1, 1, 1, 1], [1, 1, 1, 0]]
        #expect(loaded.encoder.embed(inputIds: ids, attentionMask: mask) == encoder.embed(inputIds: ids, attentionMask: mask))
        #expect(loaded.encoder.model.config == encoder.model.config)
        // The shipped MiniLM folder loads through the same path.
        let minilm = try Checkpoint.load(folder: base)
        #expect(minilm.encoder.normalize && minilm.encoder.pooling == .mean)
    }

    @Test("resuming from a checkpoint continues exactly like the uninterrupted run")
    func resume() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = Self.options
        options.epochs = 2
        options.checkpointEvery = 3
        let examples = Self.examples(count: 32, seed: 5)
        let start = BiEncoder(model: BertModel(config: .tiny(), seed: 2))
        let trainer = BiEncoderTrainer(options: options)
        let full = try trainer.train(start, examples: examples, checkpointFolder: folder)
        #expect(full.steps == 8)
        let checkpoint = folder.appendingPathComponent("checkpoint-3")
        let state = try #require(try Checkpoint.load(folder: checkpoint).state)
        #expect(state.step == 3)
        #expect(state.losses == Array(full.losses.prefix(3)))
        let resumed = try trainer.train(start, examples: examples, resume: checkpoint)
        #expect(resumed.losses == full.losses)
        #expect(resumed.encoder.model.parameters == full.encoder.model.parameters)
    }

    @Test("AdamW matches torch.optim.AdamW's update rule")
    func adamW() {
        var optimizer = AdamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1)
        var parameters = ["w": Tensor(shape: [2], values: [1, -2]), "b.bias": Tensor(shape: [1], values: [0.5])]
        let gradients = [
            ["w": Tensor(shape: [2], values: [0.1, -0.3]), "b.bias": Tensor(shape: [1], values: [1])],
            ["w": Tensor(shape: [2], values: [-0.2, 0.05]), "b.bias": Tensor(shape: [1], values: [0.5])],
        ]
        // Reference in Double, written from the torch documentation.
        var p: [String: [Double]] = ["w": [1, -2], "b.bias": [0.5]]
        var m: [String: [Double]] = ["w": [0, 0], "b.bias": [0]], v = m
        let lr = 0.01
        for (step, grads) in gradients.enumerated() {
            optimizer.update(&parameters, gradients: grads, learningRate: Float(lr))
            let t = Double(step + 1)
            for name in ["w", "b.bias"] {
                for i in p[name]!.indices {
                    let g = Double(grads[name]!.scalars[i])
                    if name == "w" { p[name]![i] *= 1 - lr * 0.1 }
                    m[name]![i] = 0.9 * m[name]![i] + 0.1 * g
                    v[name]![i] = 0.999 * v[name]![i] + 0.001 * g * g
                    let mHat = m[name]![i] / (1 - pow(0.9, t)), vHat = v[name]![i] / (1 - pow(0.999, t))
                    p[name]![i] -= lr * mHat / (vHat.squareRoot() + 1e-8)
                }
            }
        }
        for name in ["w", "b.bias"] {
            for (value, expected) in zip(parameters[name]!.scalars, p[name]!) { #expect(abs(Double(value) - expected) < 1e-6) }
        }
        #expect(optimizer.step == 2)
    }

    @Test("linear warm-up then linear decay")
    func schedule() {
        let schedule = LearningRateSchedule(peak: 1, warmupSteps: 4, totalSteps: 12)
        #expect((0...12).map { schedule.rate(atStep: $0) } == [0, 0.25, 0.5, 0.75, 1, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0])
    }

    @Test("gradient clipping rescales to the maximum global norm")
    func clipping() {
        var gradients = ["a": Tensor(shape: [2], values: [3, 0]), "b": Tensor(shape: [1], values: [4])]
        let norm = clipGradientNorm(&gradients, maxNorm: 1)
        #expect(norm == 5)
        #expect(abs(gradients["a"]!.scalars[0] - 0.6) < 1e-6 && abs(gradients["b"]!.scalars[0] - 0.8) < 1e-6)
        var small = ["a": Tensor(shape: [1], values: [0.5])]
        clipGradientNorm(&small, maxNorm: 1)
        #expect(small["a"]!.scalars == [0.5])
    }
}
