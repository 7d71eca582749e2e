import Foundation
import SynthMetrics
import SynthTensor
import SynthTestSupport
import Testing

@testable import SynthModels

/// A per-example loss (mean over rows of −q·p): its mean over a batch of 2b equals the average of the means
/// of two batches of b, so gradient accumulation must reproduce the large batch exactly.
struct RowwiseDotLoss: Loss {
    var name: String { "rowwise-dot" }
    var needs: LossNeeds { .embeddings }
    func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable {
        tape.scale(tape.mean(tape.sumLastDimension(tape.multiply(input.queries!, input.positives!))), by: -1)
    }
}

/// Dev scores handed out in order, with a fingerprint of each scored model (thread-safe for `@Sendable`).
final class ScriptedDev: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double]
    private(set) var fingerprints: [Double] = []

    init(_ values: [Double]) { self.values = values }

    static func fingerprint(_ encoder: BiEncoder) -> Double {
        encoder.model.parameters["embeddings.word_embeddings.weight"]!.scalars.reduce(0.0) { $0 + Double($1) }
    }

    func next(_ encoder: BiEncoder) -> Double {
        lock.lock()
        defer { lock.unlock() }
        fingerprints.append(Self.fingerprint(encoder))
        return values.isEmpty ? 0 : values.removeFirst()
    }
}

@Suite("Gradient accumulation, dev-split evaluation and early stopping")
struct DevEvaluationTests {
    static func noDropoutModel(seed: UInt64) -> BiEncoder {
        var config = BertConfig.tiny()
        config.hiddenDropoutProb = 0
        config.attentionProbsDropoutProb = 0
        return BiEncoder(model: BertModel(config: config, seed: seed))
    }

    static func maxDifference(_ a: [String: Tensor], _ b: [String: Tensor]) -> Float {
        var worst: Float = 0
        for (name, tensor) in a {
            for (x, y) in zip(tensor.scalars, b[name]!.scalars) { worst = max(worst, abs(x - y)) }
        }
        return worst
    }

    @Test("two accumulated micro-batches of 4 update the model as one batch of 8 (both training loops)")
    func accumulationEqualsLargeBatch() throws {
        let examples = TrainingTests.examples(count: 16, seed: 21)
        func biEncoder(batch: Int, accumulation: Int) throws -> TrainingResult {
            var options = TrainingOptions()
            options.batchSize = batch
            options.accumulationSteps = accumulation
            options.learningRate = 1e-3
            options.seed = 3
            return try BiEncoderTrainer(options: options, loss: RowwiseDotLoss())
                .train(Self.noDropoutModel(seed: 5), examples: examples)
        }
        let accumulated = try biEncoder(batch: 4, accumulation: 2)
        let large = try biEncoder(batch: 8, accumulation: 1)
        let small = try biEncoder(batch: 4, accumulation: 1)
        #expect(accumulated.steps == 2 && large.steps == 2 && small.steps == 4)
        for (a, b) in zip(accumulated.losses, large.losses) { #expect(abs(a - b) < 1e-5, "\(a) vs \(b)") }
        let difference = Self.maxDifference(accumulated.encoder.model.parameters, large.encoder.model.parameters)
        #expect(difference < 1e-5, "max parameter difference \(difference)")
        if ProcessInfo.processInfo.environment["SYNTHLAB_SHOW"] != nil {
            print("accumulated vs large", difference, "small vs large",
                  Self.maxDifference(small.encoder.model.parameters, large.encoder.model.parameters))
        }
        // Control: without accumulation the same micro-batches take 4 smaller steps and end elsewhere.
        #expect(Self.maxDifference(small.encoder.model.parameters, large.encoder.model.parameters) > 1e-4)

        // The shared loop (DistillationTrainer, CrossEncoderTrainer, SentenceListTrainer) behaves the same.
        let candidates = examples.map { DistillationExample(query: $0.query, candidates: [$0.positive]) }
        func distillation(batch: Int, accumulation: Int) throws -> TrainingResult {
            var options = TrainingOptions()
            options.batchSize = batch
            options.accumulationSteps = accumulation
            options.learningRate = 1e-3
            options.seed = 3
            return try DistillationTrainer(options: options, loss: RowwiseDotLoss())
                .train(Self.noDropoutModel(seed: 5), examples: candidates)
        }
        let loopAccumulated = try distillation(batch: 4, accumulation: 2)
        let loopLarge = try distillation(batch: 8, accumulation: 1)
        let loopDifference = Self.maxDifference(
            loopAccumulated.encoder.model.parameters, loopLarge.encoder.model.parameters)
        #expect(loopDifference < 1e-5, "max parameter difference \(loopDifference)")
        // Same shuffle, same micro-batches: both trainers reach the same model.
        #expect(Self.maxDifference(loopLarge.encoder.model.parameters, large.encoder.model.parameters) < 1e-5)
    }

    @Test("patience 2: training stops two evaluations after the best, and the best step's model is returned and saved")
    func earlyStoppingRestoresBest() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = TrainingTests.options
        options.epochs = 2  // 32 examples, batch 8: 8 planned steps
        let script = ScriptedDev([0.20, 0.50, 0.40, 0.45, 0.90])
        let dev = DevEvaluation(metric: "scripted", every: 1, patience: 2) { script.next($0) }
        let trainer = BiEncoderTrainer(options: options, devEvaluation: dev)
        let result = try trainer.train(
            BiEncoder(model: BertModel(config: .tiny(), seed: 1)), examples: TrainingTests.examples(count: 32, seed: 3),
            checkpointFolder: folder)
        #expect(result.steps == 3)
        #expect(result.losses.count == 3)
        #expect(result.stoppedEarly)
        #expect(result.devMetric == "scripted")
        #expect(result.devCurve == [
            DevPoint(step: 0, value: 0.20), DevPoint(step: 1, value: 0.50), DevPoint(step: 2, value: 0.40),
            DevPoint(step: 3, value: 0.45),
        ])
        #expect(result.bestStep == 1)
        let fingerprints = script.fingerprints
        #expect(fingerprints.count == 4)
        #expect(ScriptedDev.fingerprint(result.encoder) == fingerprints[1])
        #expect(ScriptedDev.fingerprint(result.encoder) != fingerprints[3])
        let saved = try Checkpoint.load(folder: folder.appendingPathComponent("checkpoint-3"))
        #expect(saved.encoder.model.parameters == result.encoder.model.parameters)
        #expect(saved.state == nil, "the best model is not the last step's: no resumable optimizer state")
    }

    @Test("evaluation schedule: step 0, every n steps and the last; without patience all steps run and the last model is kept")
    func scheduleWithoutPatience() throws {
        var options = TrainingTests.options
        options.epochs = 2
        let script = ScriptedDev([0.1, 0.9, 0.2, 0.3])
        let dev = DevEvaluation(metric: "scripted", every: 3, restoreBest: false) { script.next($0) }
        let result = try BiEncoderTrainer(options: options, devEvaluation: dev).train(
            BiEncoder(model: BertModel(config: .tiny(), seed: 1)), examples: TrainingTests.examples(count: 32, seed: 3))
        #expect(result.steps == 8)
        #expect(!result.stoppedEarly)
        #expect(result.devCurve.map(\.step) == [0, 3, 6, 8])
        #expect(result.bestStep == 3)
        #expect(ScriptedDev.fingerprint(result.encoder) == script.fingerprints[3])
    }

    @Test("min_delta: gains no larger than the margin count as no improvement (shared loop)")
    func minimumDelta() throws {
        var options = TrainingTests.options
        options.epochs = 2
        let script = ScriptedDev([0.50, 0.505, 0.51, 0.70])
        let dev = DevEvaluation(metric: "scripted", every: 1, patience: 2, minDelta: 0.01) { script.next($0) }
        let examples = TrainingTests.examples(count: 32, seed: 3).map {
            DistillationExample(query: $0.query, candidates: [$0.positive])
        }
        let result = try DistillationTrainer(
            options: options, loss: MultipleNegativesRankingLoss(), devEvaluation: dev
        ).train(BiEncoder(model: BertModel(config: .tiny(), seed: 1)), examples: examples)
        #expect(result.steps == 2)
        #expect(result.stoppedEarly)
        #expect(result.bestStep == 0)
        // Best at step 0: the starting model comes back unchanged.
        #expect(result.encoder.model.parameters == BertModel(config: .tiny(), seed: 1).parameters)
    }

    @Test("the retrieval dev score equals nDCG@10 of a brute-force cosine run, and rises as the model trains")
    func retrievalDevSet() throws {
        let train = TrainingTests.examples(count: 48, seed: 8)
        let held = TrainingTests.examples(count: 24, seed: 9)
        let qrels = Qrels(Dictionary(uniqueKeysWithValues: held.indices.map { ("q\($0)", ["d\($0)": 1]) }))
        let dev = RetrievalDevSet(
            queryIDs: held.indices.map { "q\($0)" }, queryTokens: held.map(\.query),
            documentIDs: held.indices.map { "d\($0)" }, documentTokens: held.map(\.positive), qrels: qrels,
            batchSize: 5)

        let start = BiEncoder(model: BertModel(config: .tiny(), seed: 2))
        // Reference: every text embedded alone, every pair scored by a Float64 dot product.
        let q = held.map { start.embed(inputIds: [$0.query], attentionMask: [$0.query.map { _ in 1 }])[0] }
        let d = held.map { start.embed(inputIds: [$0.positive], attentionMask: [$0.positive.map { _ in 1 }])[0] }
        var scores: [String: [String: Double]] = [:]
        for (i, query) in q.enumerated() {
            for (j, document) in d.enumerated() {
                scores["q\(i)", default: [:]]["d\(j)"] = zip(query, document).reduce(0.0) { $0 + Double($1.0 * $1.1) }
            }
        }
        let reference = evaluate(qrels: qrels, run: Run(scores: scores), measures: [.ndcgCut(10)]).mean[.ndcgCut(10)]!
        #expect(abs(dev.score(start) - reference) < 1e-4, "\(dev.score(start)) vs \(reference)")

        var options = TrainingTests.options
        options.epochs = 6
        let result = try BiEncoderTrainer(options: options, devEvaluation: dev.evaluation(every: 6)).train(
            start, examples: train)
        #expect(result.devMetric == "ndcg_cut.10")
        #expect(result.devCurve.map(\.step) == [0, 6, 12, 18, 24, 30, 36])
        let first = result.devCurve.first!.value, best = result.devCurve.map(\.value).max()!
        #expect(best > first + 0.05, "dev curve \(result.devCurve)")
        #expect(abs(dev.score(result.encoder) - best) < 1e-9, "the best model is returned")
        if ProcessInfo.processInfo.environment["SYNTHLAB_SHOW"] != nil { print("dev curve", result.devCurve, "reference", reference) }
    }
}
