import Foundation
import SynthTensor
import Testing

@testable import SynthModels

@Suite("No-duplicates batch sampler")
struct NoDuplicatesBatchSamplerTests {
    /// Ten queries, each written for one of four passages (p0 … p3): as with generated queries, several share
    /// a positive.
    static let keys: [[String]] = (0..<10).map { ["query \($0)", "p\($0 % 4)"] }

    @Test("no batch holds two examples sharing a text; every example is used once per epoch")
    func batchesHaveNoDuplicates() {
        let sampler = NoDuplicatesBatchSampler(keys: Self.keys, batchSize: 3, seed: 42)
        for epoch in 0..<5 {
            let batches = sampler.batches(epoch: epoch)
            for batch in batches {
                let positives = batch.map { Self.keys[$0][1] }
                #expect(Set(positives).count == batch.count, "epoch \(epoch): \(positives)")
                #expect(batch.count >= 2 && batch.count <= 3)
            }
            let used = batches.flatMap { $0 }
            #expect(Set(used).count == used.count, "an example appears twice in epoch \(epoch)")
            // 10 examples over 4 positives fill batches of 3 greedily; at most one single example is dropped.
            #expect(used.count >= 9)
        }
    }

    @Test("the plain shuffle would have put duplicates together")
    func plainShuffleHasDuplicates() {
        var options = TrainingOptions()
        options.batchSize = 3
        let plain = BiEncoderTrainer(options: options).microBatches(exampleCount: Self.keys.count, epoch: 0)
        let duplicated = plain.contains { batch in Set(batch.map { Self.keys[$0][1] }).count < batch.count }
        #expect(duplicated)
    }

    @Test("seeded: the same seed and epoch give the same batches, other epochs and seeds other orders")
    func seeded() {
        let a = NoDuplicatesBatchSampler(keys: Self.keys, batchSize: 3, seed: 42)
        let b = NoDuplicatesBatchSampler(keys: Self.keys, batchSize: 3, seed: 42)
        let c = NoDuplicatesBatchSampler(keys: Self.keys, batchSize: 3, seed: 7)
        #expect(a.batches(epoch: 0) == b.batches(epoch: 0))
        #expect(a.batches(epoch: 0) != a.batches(epoch: 1))
        #expect(a.batches(epoch: 0) != c.batches(epoch: 0))
    }

    @Test("a greedy fill in shuffled order, as sentence-transformers' NoDuplicatesBatchSampler")
    func greedyFill() {
        // All distinct: the batches are the shuffled order cut into chunks, the trailing single dropped.
        let distinct = NoDuplicatesBatchSampler(keys: (0..<7).map { ["t\($0)"] }, batchSize: 3, seed: 1)
        let batches = distinct.batches(epoch: 0)
        #expect(batches.map(\.count) == [3, 3])
        // One shared text: no batch of two is possible, so nothing is trained on.
        let same = NoDuplicatesBatchSampler(keys: [["a", "x"], ["b", "x"], ["c", "x"]], batchSize: 2, seed: 1)
        #expect(same.batches(epoch: 0).isEmpty)
        // Texts repeated inside one example do not block it.
        let inner = NoDuplicatesBatchSampler(keys: [["a", "a"], ["b", "b"]], batchSize: 2, seed: 1)
        #expect(inner.batches(epoch: 0).map { $0.sorted() } == [[0, 1]])
    }

    @Test("the distillation trainer follows the sampler's batches")
    func trainerUsesSampler() throws {
        var config = BertConfig.tiny(vocabSize: 16)
        config.hiddenSize = 16
        config.numAttentionHeads = 2
        config.intermediateSize = 32
        config.numHiddenLayers = 1
        let encoder = BiEncoder(model: BertModel(config: config, seed: 5))
        let examples = Self.keys.indices.map { index in
            DistillationExample(query: [1, Int32(6 + index), 2], candidates: [[1, Int32(6 + index % 4), 5, 2]])
        }
        var options = TrainingOptions()
        options.batchSize = 3
        options.epochs = 2
        let sampler = NoDuplicatesBatchSampler(keys: Self.keys, batchSize: 3, seed: options.seed)
        let result = try DistillationTrainer(options: options, loss: MultipleNegativesRankingLoss(), sampler: sampler)
            .train(encoder, examples: examples)
        #expect(result.steps == 2 * sampler.batches(epoch: 0).count)
        #expect(result.losses.allSatisfy { $0.isFinite && $0 > 0 })
    }
}
