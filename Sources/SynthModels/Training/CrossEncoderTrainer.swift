import Foundation
import SynthTensor

/// One training group for a cross-encoder: a query's candidate (query, passage) pairs with labels and/or teacher
/// scores.
///
/// Pairs are already tokenized as `[CLS] query [SEP] passage [SEP]` (``WordPieceTokenizer/encodePair(_:_:maxLength:)``).
/// For ``LocalizedContrastiveLoss`` the positive is candidate 0 (or the largest label); ``RankNetLoss`` and
/// ``ListwiseKLLoss`` read ``teacherScores`` (higher = better); ``PointwiseBCELoss`` reads ``labels`` in [0, 1].
package struct CrossEncoderGroup: Sendable, Equatable, Codable {
    /// Token ids of each pair.
    package var pairs: [[Int32]]
    /// Segment ids of each pair (0 for the query part, 1 for the passage).
    package var typeIds: [[Int32]]
    /// Label of each candidate (negative = padding).
    package var labels: [Float]
    /// Teacher score of each candidate, when distilling.
    package var teacherScores: [Float]?

    /// Creates a group from tokenized pairs.
    package init(pairs: [[Int32]], typeIds: [[Int32]], labels: [Float], teacherScores: [Float]? = nil) {
        precondition(
            pairs.count == typeIds.count && pairs.count == labels.count,
            "CrossEncoderGroup: counts differ")
        precondition(
            teacherScores.map { $0.count == pairs.count } ?? true,
            "CrossEncoderGroup: teacher scores count differs")
        self.pairs = pairs
        self.typeIds = typeIds
        self.labels = labels
        self.teacherScores = teacherScores
    }

    /// Tokenizes `query` with each passage.
    package init(
        query: String, passages: [String], labels: [Float], teacherScores: [Float]? = nil,
        tokenizer: WordPieceTokenizer,
        maxLength: Int = 256
    ) {
        let encoded = passages.map { tokenizer.encodePair(query, $0, maxLength: maxLength) }
        self.init(
            pairs: encoded.map(\.ids), typeIds: encoded.map(\.typeIds), labels: labels,
            teacherScores: teacherScores)
    }
}

/// Trains a ``CrossEncoder`` on query groups with a score-based ``Loss`` (LCE by default; RankNet, BCE, listwise
/// KL, Margin-MSE also work), reusing ``AdamW``, ``LearningRateSchedule``, gradient clipping and accumulation and
/// the seeded shuffling of ``BiEncoderTrainer``.
///
/// Each micro-batch scores all its groups' pairs in one forward pass; logits become a `[groups, C]` matrix
/// (groups with fewer candidates are padded with label −1, which every loss ignores).
///
/// ```swift
/// let trainer = CrossEncoderTrainer(options: options, loss: LocalizedContrastiveLoss())
/// let result = trainer.train(reranker, groups: groups) { event in print(event.loss) }
/// ```
package struct CrossEncoderTrainer: Sendable {
    /// Hyper-parameters (Pezzuti et al. use lr 1e-5, clip 10 for LCE).
    package var options: TrainingOptions
    /// The objective, computed on ``LossInput/scores``.
    package var loss: any Loss

    /// Creates a trainer.
    package init(options: TrainingOptions, loss: any Loss = LocalizedContrastiveLoss()) {
        self.options = options
        self.loss = loss
    }

    /// Trains `model` on `groups`; `progress` is called after each optimizer step.
    package func train(
        _ model: CrossEncoder, groups: [CrossEncoderGroup], progress: (TrainingEvent) -> Void = { _ in }
    ) -> CrossEncoderTrainingResult {
        // Without a checkpoint folder nothing is read or written, so nothing can throw.
        (try? train(model, groups: groups, checkpointFolder: nil, progress: progress))!
    }

    /// Optimizer steps of a run over `groupCount` groups.
    package func totalSteps(groupCount: Int) -> Int {
        TrainingLoop(options: options).totalSteps(exampleCount: groupCount)
    }

    /// Trains `model` on `groups`, writing a resumable cross-encoder folder with `training_state/` to
    /// `checkpointFolder/checkpoint-N` every `options.checkpointEvery` steps (only the newest kept). The final
    /// model is returned, not saved: the caller saves it where it wants and then removes `checkpointFolder`,
    /// so that a kill before the final save still leaves the newest periodic checkpoint.
    ///
    /// - Parameters:
    ///   - resume: such a checkpoint of a run with the same groups and options; the run continues from it
    ///     exactly (same batches, dropout, learning rates, moments), so the result equals the uninterrupted run's.
    /// - Throws: ``ModelError`` when a checkpoint cannot be read or written, or `resume` has no training state
    ///   or one of other options.
    package func train(
        _ model: CrossEncoder, groups: [CrossEncoderGroup], checkpointFolder: URL?, baseModelFolder: URL? = nil,
        resume: URL? = nil, progress: (TrainingEvent) -> Void = { _ in }
    ) throws -> CrossEncoderTrainingResult {
        var model = model
        var state: TrainingState?
        if let resume {
            let path = resume.appendingPathComponent("training_state/trainer_state.json").path
            guard var saved = try Checkpoint.readState(in: resume) else {
                throw ModelError.malformed(
                    path: path, expected: "a checkpoint with a training state to resume from", found: "none")
            }
            var mine = options
            mine.checkpointEvery = nil
            saved.options.checkpointEvery = nil
            guard saved.options == mine else {
                throw ModelError.malformed(
                    path: path, expected: "a checkpoint of a run with these options", found: "other options")
            }
            saved.options = options
            state = saved
            let restored = try CrossEncoder.load(folder: resume)
            model.model.parameters = restored.model.parameters
            model.head = restored.head
        }
        let headNames = Set(model.head.keys)
        var parameters = model.model.parameters.merging(model.head) { first, _ in first }
        model.model.parameters = [:]
        let frozen = model
        let run = checkpointFolder.map(TrainingRunFolder.init)
        func split(_ parameters: [String: Tensor]) -> CrossEncoder {
            var model = frozen
            model.head = parameters.filter { headNames.contains($0.key) }
            model.model.parameters = parameters.filter { !headNames.contains($0.key) }
            return model
        }
        let (losses, _) = try TrainingLoop(options: options, resume: state).run(
            exampleCount: groups.count, parameters: &parameters, pool: model.model.pool, progress: progress,
            checkpoint: { state, current in
                guard let run else { return }
                try split(current).save(
                    to: run.folder.appendingPathComponent("checkpoint-\(state.step)"), baseModelFolder: baseModelFolder,
                    state: state)
                try run.removeCheckpoints(before: state.step)
            }
        ) { tape, batch, current in
            var model = frozen
            model.head = current.filter { headNames.contains($0.key) }
            model.model.parameters = current.filter { !headNames.contains($0.key) }
            return lossValue(tape, model: model, batch: batch.map { groups[$0] })
        }
        model = split(parameters)
        return CrossEncoderTrainingResult(model: model, losses: losses, steps: losses.count)
    }

    /// The loss of one micro-batch of groups on `tape`.
    func lossValue(_ tape: Tape, model: CrossEncoder, batch: [CrossEncoderGroup]) -> Variable {
        let width = batch.map(\.pairs.count).max() ?? 0
        var sequences: [[Int32]] = []
        var typeIds: [[Int32]] = []
        var labels: [Float] = []
        var teacher: [Float] = []
        for group in batch {
            for column in 0..<width {
                let real = column < group.pairs.count
                let index = real ? column : 0
                sequences.append(group.pairs[index])
                typeIds.append(group.typeIds[index])
                labels.append(real ? group.labels[column] : -1)
                teacher.append(real ? group.teacherScores?[column] ?? 0 : 0)
            }
        }
        let padded = TokenBatch(
            sequences: sequences, typeIds: typeIds, padId: Int32(model.model.config.padTokenId))
        let logits = model.forward(
            tape,
            BertInput(
                inputIds: padded.inputIds, attentionMask: padded.attentionMask,
                tokenTypeIds: padded.tokenTypeIds))
        let labelCount = logits.shape[1]
        let firstLogit =
            labelCount == 1
            ? logits
            : LossOps.gather(
                tape, logits, flatIndices: (0..<sequences.count).map { $0 * labelCount },
                shape: [sequences.count])
        let scores = tape.reshape(firstLogit, [batch.count, width])
        let hasTeacher = batch.contains { $0.teacherScores != nil }
        return loss(
            tape,
            LossInput(
                scores: scores,
                teacherScores: hasTeacher ? Tensor(shape: [batch.count, width], values: teacher) : nil,
                labels: Tensor(shape: [batch.count, width], values: labels)))
    }
}

/// The outcome of ``CrossEncoderTrainer/train(_:groups:progress:)``.
package struct CrossEncoderTrainingResult: Sendable {
    /// The trained re-ranker.
    package var model: CrossEncoder
    /// Loss of every optimizer step.
    package var losses: [Float]
    /// Optimizer steps completed.
    package var steps: Int
}
