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

    /// Optimizer steps of a run over `exampleCount` examples.
    package func totalSteps(exampleCount: Int) -> Int {
        TrainingLoop(options: options, sampler: sampler).totalSteps(exampleCount: exampleCount)
    }

    /// Trains `encoder`; writes a sentence-transformers checkpoint to `checkpointFolder` at the end when given.
    ///
    /// With `options.checkpointEvery` and a `checkpointFolder`, a resumable ``Checkpoint`` (model, AdamW
    /// moments, step, loss curve, dev progress) is written after every that many steps; only the newest is
    /// kept, and the final checkpoint replaces it. Passing one of them as `resume` continues the run exactly:
    /// the batches, dropout masks, learning rates, optimizer moments, loss curve, dev curve, best model and
    /// patience counter are those of the uninterrupted run, so the final weights are bit-equal to it.
    ///
    /// With ``devEvaluation`` the run may stop early and the returned (and saved) model is the best on the
    /// dev split; the final checkpoint then carries no optimizer state unless that model is the last step's.
    ///
    /// - Parameters:
    ///   - resume: a checkpoint with a training state written by a run of the same examples and options
    ///     (``TrainingRunFolder/prepare(fingerprint:totalSteps:)`` checks that); its encoder replaces `encoder`'s weights.
    /// - Throws: ``ModelError`` when a checkpoint cannot be read or written, or `resume` holds no training
    ///   state or one of other options.
    package func train(
        _ encoder: BiEncoder, examples: [DistillationExample], checkpointFolder: URL? = nil,
        baseModelFolder: URL? = nil, resume: URL? = nil, progress: (TrainingEvent) -> Void = { _ in }
    ) throws -> TrainingResult {
        var encoder = encoder
        var state: TrainingState?
        if let resume {
            let restored = try Checkpoint.load(folder: resume)
            state = try checkedState(restored.state, folder: resume)
            encoder.model.parameters = restored.encoder.model.parameters
        }
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
        let run = checkpointFolder.map(TrainingRunFolder.init)
        let loop = TrainingLoop(options: options, sampler: sampler, monitor: monitor, resume: state)
        let (losses, optimizer) = try loop.run(
            exampleCount: examples.count, parameters: &parameters, pool: encoder.model.pool, progress: progress,
            checkpoint: { state, current in
                guard let run else { return }
                var model = frozen
                model.model.parameters = current
                try Checkpoint.save(
                    model, to: run.folder.appendingPathComponent("checkpoint-\(state.step)"),
                    baseModelFolder: baseModelFolder, state: state)
                try run.removeCheckpoints(before: state.step)
            }
        ) { tape, batch, current in
            var encoder = frozen
            encoder.model.parameters = current
            return lossValue(tape, encoder: encoder, batch: batch.map { examples[$0] })
        }
        let total = losses.count
        let best = monitor?.finalParameters(last: total)
        encoder.model.parameters = best ?? parameters
        if let run {
            let dev = monitor?.snapshot(step: total)
            try Checkpoint.save(
                encoder, to: run.folder.appendingPathComponent("checkpoint-\(total)"),
                baseModelFolder: baseModelFolder,
                state: best == nil
                    ? TrainingState(
                        step: total, losses: losses, optimizer: optimizer, options: options, dev: dev?.progress,
                        bestParameters: dev?.bestParameters) : nil)
            try run.removeCheckpoints(before: total)
        }
        var result = TrainingResult(encoder: encoder, losses: losses, steps: total)
        monitor?.annotate(&result)
        return result
    }

    /// The training state of a checkpoint to resume from, checked against this trainer's options.
    private func checkedState(_ state: TrainingState?, folder: URL) throws -> TrainingState {
        let path = folder.appendingPathComponent("training_state/trainer_state.json").path
        guard var state else {
            throw ModelError.malformed(
                path: path, expected: "a checkpoint with a training state to resume from", found: "none")
        }
        var mine = options, theirs = state.options
        mine.checkpointEvery = nil
        theirs.checkpointEvery = nil
        guard mine == theirs else {
            throw ModelError.malformed(
                path: path, expected: "a checkpoint of a run with these options", found: "other options")
        }
        guard (state.dev != nil) == (devEvaluation != nil) else {
            throw ModelError.malformed(
                path: path, expected: devEvaluation == nil ? "a run without a dev split" : "a run with a dev split",
                found: devEvaluation == nil ? "dev progress" : "none")
        }
        state.options = options
        return state
    }

    /// The loss of one micro-batch on `tape`.
    func lossValue(_ tape: Tape, encoder: BiEncoder, batch: [DistillationExample]) -> Variable {
        func embed(_ sequences: [[Int32]]) -> Variable { encoder.forward(tape, tokenIds: sequences) }
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
