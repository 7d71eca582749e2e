import Foundation
import SynthTensor
import Testing

@testable import SynthModels

@Suite("Sentence-list (ListMLE) post-training")
struct SentenceListTrainerTests {
    /// Lists of 5 sentences whose overlap with the anchor shrinks along the list; the teacher agrees.
    static func lists(count: Int, seed: UInt64) -> [SentenceListExample] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let anchor = (0..<4).map { _ in Int32(5 + generator.next() % 20) }
            let sentences = (0..<5).map { index -> [Int32] in
                [1] + anchor.enumerated().map { $0.offset < 4 - index ? $0.element : Int32(5 + generator.next() % 20) }
                    + [2]
            }
            let teacher = (0..<5).map { i in (0..<5).map { j in Float(1 - 0.2 * Double(abs(i - j))) } }
            return SentenceListExample(sentences: sentences, teacher: teacher)
        }
    }

    @Test("ListMLE loss falls, and every list is used each epoch")
    func trains() {
        var config = BertConfig.tiny(vocabSize: 25)
        config.hiddenSize = 16
        config.numAttentionHeads = 2
        config.intermediateSize = 32
        config.numHiddenLayers = 1
        var options = TrainingOptions()
        options.learningRate = 5e-3
        options.epochs = 6
        options.warmupSteps = 2
        let lists = Self.lists(count: 7, seed: 2)
        let trainer = SentenceListTrainer(options: options, loss: ListMLELoss(temperature: 0.1))
        #expect(TrainingLoop(options: trainer.options).microBatches(exampleCount: 7, epoch: 0).count == 7)
        let result = trainer.train(BiEncoder(model: BertModel(config: config, seed: 8)), lists: lists)
        #expect(result.steps == 42)
        let early = result.losses.prefix(7).reduce(0, +) / 7
        let late = result.losses.suffix(7).reduce(0, +) / 7
        #expect(late < early * 0.8, "loss \(early) → \(late)")
    }
}
