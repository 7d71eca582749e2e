import Foundation
import SynthTensor
import Testing

@testable import SynthModels

@Suite("Bi-encoder distillation trainer")
struct DistillationTrainerTests {
    /// Toy data: token 5 marks relevant candidates; the teacher scores them 3 and others 0.
    static func examples(count: Int, seed: UInt64) -> [DistillationExample] {
        var generator = SeededGenerator(seed: seed)
        func token() -> Int32 { Int32(6 + generator.next() % 10) }
        return (0..<count).map { _ in
            let candidates: [[Int32]] = [[1, token(), 5, 2], [1, token(), token(), 2], [1, token(), token(), 2]]
            return DistillationExample(query: [1, 5, 2], candidates: candidates, teacherScores: [3, 0, 0])
        }
    }

    static func encoder() -> BiEncoder {
        var config = BertConfig.tiny(vocabSize: 16)
        config.hiddenSize = 16
        config.numAttentionHeads = 2
        config.intermediateSize = 32
        config.numHiddenLayers = 1
        return BiEncoder(model: BertModel(config: config, seed: 5))
    }

    @Test(
        "Margin-MSE and listwise KL losses fall when training a tiny bi-encoder",
        arguments: ["margin-mse", "listwise-kl"])
    func trains(_ name: String) throws {
        var options = TrainingOptions()
        options.batchSize = 8
        options.learningRate = 1e-2
        options.epochs = 100
        options.maxSteps = 40
        options.warmupSteps = 2
        let loss = try LossCatalog.make(name, options: name == "listwise-kl" ? ["student_temperature": 0.1] : [:])
        let result = try DistillationTrainer(options: options, loss: loss)
            .train(Self.encoder(), examples: Self.examples(count: 32, seed: 3))
        let early = result.losses.prefix(5).reduce(0, +) / 5
        let late = result.losses.suffix(5).reduce(0, +) / 5
        #expect(result.steps == 40)
        #expect(late < early * 0.5, "\(name): loss \(early) → \(late)")
    }

    @Test("labels reach the loss: SNN with a demoted candidate differs from the default roles")
    func labelsReachLoss() {
        var examples = Self.examples(count: 2, seed: 4)
        let trainer = DistillationTrainer(options: TrainingOptions(), loss: SoftNearestNeighborLoss(positiveGroups: 2))
        let tape = Tape(recording: false)
        let plain = trainer.lossValue(tape, encoder: Self.encoder(), batch: examples).value.scalar
        for index in examples.indices { examples[index].labels = [1, 1, 0] }
        let same = trainer.lossValue(tape, encoder: Self.encoder(), batch: examples).value.scalar
        for index in examples.indices { examples[index].labels = [1, 0, 0] }
        let demoted = trainer.lossValue(tape, encoder: Self.encoder(), batch: examples).value.scalar
        #expect(plain == same)
        #expect(demoted != plain)
    }
}
