import Foundation
import SynthMetrics
import SynthTensor
import Testing

@testable import SynthModels

@Suite("Cross-encoder training and re-ranking on a toy task")
struct CrossEncoderTrainerTests {
    static let words = [
        "alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta", "zeta", "iota",
    ]
    static let tokenizer = try! WordPieceTokenizer(
        tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "gold"] + words)

    /// Relevant passages contain "gold"; the positive sits at a varying position with label 1.
    static func groups(count: Int, seed: UInt64) -> [CrossEncoderGroup] {
        var generator = SeededGenerator(seed: seed)
        func word() -> String { words[Int(generator.next() % UInt64(words.count))] }
        return (0..<count).map { index in
            let positive = index % 4
            let passages = (0..<4).map { column in
                column == positive ? "\(word()) gold \(word())" : "\(word()) \(word()) \(word())"
            }
            return CrossEncoderGroup(
                query: "\(word()) \(word())", passages: passages,
                labels: (0..<4).map { $0 == positive ? 1 : 0 },
                teacherScores: (0..<4).map { $0 == positive ? 2 : 0 }, tokenizer: tokenizer, maxLength: 16)
        }
    }

    static func model() -> CrossEncoder {
        var config = BertConfig.tiny(vocabSize: tokenizer.vocabularySize)
        config.hiddenSize = 16
        config.numAttentionHeads = 2
        config.intermediateSize = 32
        config.numHiddenLayers = 1
        return CrossEncoder(model: BertModel(config: config, seed: 3), seed: 4)
    }

    /// Fraction of groups whose positive gets the highest score.
    static func accuracy(_ model: CrossEncoder, _ groups: [CrossEncoderGroup]) -> Double {
        let hits = groups.filter { group in
            let batch = TokenBatch(sequences: group.pairs, typeIds: group.typeIds, padId: 0)
            let scores = model.score(
                inputIds: batch.inputIds, attentionMask: batch.attentionMask,
                tokenTypeIds: batch.tokenTypeIds)
            return scores.indices.max { scores[$0] < scores[$1] } == group.labels.firstIndex(of: 1)
        }
        return Double(hits.count) / Double(groups.count)
    }

    static func options(steps: Int) -> TrainingOptions {
        var options = TrainingOptions()
        options.batchSize = 8
        options.learningRate = 1e-2
        options.epochs = 100
        options.maxSteps = steps
        options.warmupSteps = 2
        options.seed = 1
        return options
    }

    @Test("LCE training: loss falls and the held-out positive is ranked first")
    func learnsWithLCE() {
        let train = Self.groups(count: 32, seed: 1)
        let heldOut = Self.groups(count: 16, seed: 2)
        let before = Self.accuracy(Self.model(), heldOut)
        let result = CrossEncoderTrainer(options: Self.options(steps: 80)).train(
            Self.model(), groups: train)
        let after = Self.accuracy(result.model, heldOut)
        #expect(result.steps == 80 && result.losses.count == 80)
        let early = result.losses.prefix(5).reduce(0, +) / 5
        let late = result.losses.suffix(5).reduce(0, +) / 5
        #expect(late < early * 0.5, "loss \(early) → \(late)")
        #expect(after >= 0.9 && before < 0.6, "accuracy \(before) → \(after)")
    }

    @Test("RankNet and BCE also train the re-ranker", arguments: ["ranknet", "bce"])
    func otherLosses(_ name: String) {
        let loss: any Loss = name == "ranknet" ? RankNetLoss() : PointwiseBCELoss()
        let result = CrossEncoderTrainer(options: Self.options(steps: 60), loss: loss)
            .train(Self.model(), groups: Self.groups(count: 32, seed: 1))
        let early = result.losses.prefix(5).reduce(0, +) / 5
        let late = result.losses.suffix(5).reduce(0, +) / 5
        #expect(late < early * 0.7, "\(name): loss \(early) → \(late)")
    }

    @Test("uneven groups are padded and padding is ignored")
    func unevenGroups() {
        var groups = Self.groups(count: 2, seed: 5)
        groups[1] = CrossEncoderGroup(
            pairs: Array(groups[1].pairs.prefix(2)), typeIds: Array(groups[1].typeIds.prefix(2)),
            labels: Array(groups[1].labels.prefix(2)))
        let trainer = CrossEncoderTrainer(options: Self.options(steps: 1))
        let model = Self.model()
        let tape = Tape(recording: false)
        let padded = trainer.lossValue(tape, model: model, batch: groups).value.scalar
        let separate =
            (trainer.lossValue(tape, model: model, batch: [groups[0]]).value.scalar
                + trainer.lossValue(tape, model: model, batch: [groups[1]]).value.scalar) / 2
        #expect(abs(padded - separate) < 1e-5)
    }

    @Test("rerank re-scores the top-k of a run with the cross-encoder")
    func rerank() {
        let model = CrossEncoderTrainer(options: Self.options(steps: 80)).train(
            Self.model(), groups: Self.groups(count: 32, seed: 1)
        ).model
        let documents = [
            "d1": "alpha beta gamma", "d2": "delta gold omega", "d3": "sigma kappa theta",
            "d4": "zeta gold iota",
        ]
        let first = Run(
            name: "bm25",
            rankings: [
                "q1": [
                    .init(docID: "d1", score: 3), .init(docID: "d3", score: 2),
                    .init(docID: "d2", score: 1), .init(docID: "d4", score: 0.5),
                ]
            ])
        let reranked = CrossEncoderReranker(model: model, tokenizer: Self.tokenizer, maxLength: 16)
            .rerank(first, queries: ["q1": "alpha omega"], documents: documents, depth: 3)
        #expect(reranked.name == "bm25+ce")
        #expect(reranked.ranked("q1").map(\.docID).count == 3)  // d4 was below the depth
        #expect(reranked.ranked("q1").first?.docID == "d2")
    }
}
