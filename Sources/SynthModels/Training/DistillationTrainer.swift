import Foundation
import SynthTensor

/// One bi-encoder training example with candidates, teacher scores and per-candidate labels, for losses that
/// need more than (query, positive, negatives): ``MarginMSELoss``, ``ListwiseKLLoss``, and
/// ``SoftNearestNeighborLoss`` with verifier-demoted positives.
package struct DistillationExample: Sendable, Equatable, Codable {
    /// Query token ids.
    package var query: [Int32]
    /// Candidate token ids; candidate 0 is the positive (``LossInput`` convention).
    package var candidates: [[Int32]]
    /// Teacher score of each candidate (e.g. cross-encoder logits), if any.
    package var teacherScores: [Float]?
    /// Label of each candidate (for SNN: 1 positive, 0 negative; negative = padding), if any.
    package var labels: [Float]?

    /// Creates an example; every example of a run must have the same number of candidates.
    package init(query: [Int32], candidates: [[Int32]], teacherScores: [Float]? = nil, labels: [Float]? = nil) {
        precondition(!candidates.isEmpty, "DistillationExample needs at least one candidate")
        precondition(teacherScores.map { $0.count == candidates.count } ?? true, "teacher scores count differs")
        precondition(labels.map { $0.count == candidates.count } ?? true, "labels count differs")
        self.query = query
        self.candidates = candidates
        self.teacherScores = teacherScores
        self.labels = labels
    }
}

/// Trains a ``BiEncoder`` on ``DistillationExample``s with any embedding-based ``Loss``, filling
/// ``LossInput/teacherScores`` and ``LossInput/labels`` (which ``BiEncoderTrainer`` does not), with the same
/// optimizer, schedule, clipping, accumulation and seeded shuffling.
///
/// ```swift
/// let result = DistillationTrainer(options: options, loss: MarginMSELoss()).train(encoder, examples: examples)
/// ```
package struct DistillationTrainer: Sendable {
    /// Hyper-parameters.
    package var options: TrainingOptions
    /// The objective.
    package var loss: any Loss
    /// Batches without duplicate texts (``NoDuplicatesBatchSampler``); nil shuffles plainly.
    package var sampler: NoDuplicatesBatchSampler?
    /// Scoring on a dev split: metric curve, early stopping, best model kept (nil: none).
    package var devEvaluation: DevEvaluation?

    /// Creates a trainer.
    package init(
        options: TrainingOptions, loss: any Loss, sampler: NoDuplicatesBatchSampler? = nil,
        devEvaluation: DevEvaluation? = nil
    ) {
        self.options = options
        self.loss = loss
        self.sampler = sampler
        self.devEvaluation = devEvaluation
    }

    /// Trains `encoder`; writes a sentence-transformers checkpoint to `checkpointFolder` at the end when given.
    ///
    /// With ``devEvaluation`` the run may stop early and the returned (and saved) model is the best on the
    /// dev split; the checkpoint then carries no optimizer state unless that model is the last step's.
    ///
    /// - Throws: ``ModelError`` when the checkpoint cannot be written.
    package func train(
        _ encoder: BiEncoder, examples: [DistillationExample], checkpointFolder: URL? = nil,
        baseModelFolder: URL? = nil, progress: (TrainingEvent) -> Void = { _ in }
    ) throws -> TrainingResult {
        var encoder = encoder
        var parameters = encoder.model.parameters
        encoder.model.parameters = [:]
        let frozen = encoder
        let monitor = devEvaluation.map { evaluation in
            DevMonitor(evaluation) { parameters in
                var model = frozen
                model.model.parameters = parameters
                return evaluation.evaluate(model)
            }
        }
        let (losses, optimizer) = TrainingLoop(options: options, sampler: sampler, monitor: monitor).run(
            exampleCount: examples.count, parameters: &parameters, pool: encoder.model.pool, progress: progress
        ) { tape, batch, current in
            var encoder = frozen
            encoder.model.parameters = current
            return lossValue(tape, encoder: encoder, batch: batch.map { examples[$0] })
        }
        let total = losses.count
        let best = monitor?.finalParameters(last: total)
        encoder.model.parameters = best ?? parameters
        if let checkpointFolder {
            try Checkpoint.save(
                encoder, to: checkpointFolder.appendingPathComponent("checkpoint-\(total)"),
                baseModelFolder: baseModelFolder,
                state: best == nil ? TrainingState(step: total, losses: losses, optimizer: optimizer, options: options) : nil)
        }
        var result = TrainingResult(encoder: encoder, losses: losses, steps: total)
        monitor?.annotate(&result)
        return result
    }

    /// The loss of one micro-batch on `tape`.
    func lossValue(_ tape: Tape, encoder: BiEncoder, batch: [DistillationExample]) -> Variable {
        let pad = Int32(encoder.model.config.padTokenId)
        func embed(_ sequences: [[Int32]]) -> Variable {
            let padded = TokenBatch(sequences: sequences, padId: pad)
            return encoder.forward(tape, BertInput(inputIds: padded.inputIds, attentionMask: padded.attentionMask))
        }
        let width = batch.map(\.candidates.count).min() ?? 1
        let columns = (0..<width).map { column in embed(batch.map { $0.candidates[column] }) }
        func matrix(_ rows: [[Float]?]) -> Tensor? {
            guard rows.allSatisfy({ $0 != nil }) else { return nil }
            return Tensor(shape: [batch.count, width], values: rows.flatMap { Array($0!.prefix(width)) })
        }
        let input = LossInput(
            queries: embed(batch.map(\.query)), positives: columns[0], negatives: Array(columns.dropFirst()),
            teacherScores: matrix(batch.map(\.teacherScores)), labels: matrix(batch.map(\.labels)))
        return loss(tape, input)
    }
}
