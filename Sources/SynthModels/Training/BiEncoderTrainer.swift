import Foundation
import SynthTensor

/// Trains a ``BiEncoder`` with a ``Loss`` (by default ``MultipleNegativesRankingLoss``), AdamW, linear warm-up
/// and decay, gradient clipping and accumulation; reproducible from the seed and resumable from checkpoints.
///
/// Determinism: the example order of epoch `e` is a seeded shuffle derived from `(seed, e)` and the dropout of
/// micro-batch `k` from `(seed, k)`, so a run resumed from a checkpoint at step `s` continues exactly as the
/// uninterrupted run would have.
///
/// ```swift
/// var options = TrainingOptions()
/// options.epochs = 1
/// let trainer = BiEncoderTrainer(options: options)
/// let result = try trainer.train(encoder, examples: examples) { event in print(event.loss) }
/// ```
package struct BiEncoderTrainer: Sendable {
    /// Hyper-parameters.
    package var options: TrainingOptions
    /// The objective.
    package var loss: any Loss
    /// Scoring on a dev split: metric curve, early stopping, best model kept (nil: none).
    package var devEvaluation: DevEvaluation?

    /// Creates a trainer.
    package init(
        options: TrainingOptions, loss: any Loss = MultipleNegativesRankingLoss(), devEvaluation: DevEvaluation? = nil
    ) {
        self.options = options
        self.loss = loss
        self.devEvaluation = devEvaluation
    }

    /// Micro-batches (lists of example indices) of one epoch, in training order.
    func microBatches(exampleCount: Int, epoch: Int) -> [[Int]] {
        var generator = SeededGenerator(seed: options.seed).derived(UInt64(epoch))
        var order = Array(0..<exampleCount)
        for index in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        let size = max(1, options.batchSize)
        var batches = stride(from: 0, to: order.count, by: size).map { Array(order[$0..<min($0 + size, order.count)]) }
        if batches.count > 1, let last = batches.last, last.count < 2 { batches.removeLast() }
        return batches
    }

    /// Optimizer steps per epoch.
    func stepsPerEpoch(exampleCount: Int) -> Int {
        let batches = microBatches(exampleCount: exampleCount, epoch: 0).count
        return (batches + options.accumulationSteps - 1) / max(1, options.accumulationSteps)
    }

    /// Total optimizer steps of the run.
    package func totalSteps(exampleCount: Int) -> Int {
        let planned = stepsPerEpoch(exampleCount: exampleCount) * options.epochs
        return min(planned, options.maxSteps ?? planned)
    }

    /// Trains `encoder` on `examples`.
    ///
    /// - Parameters:
    ///   - checkpointFolder: where ``Checkpoint`` folders are written (every `checkpointEvery` steps and at the
    ///     end); nil writes none.
    ///   - baseModelFolder: the folder whose tokenizer files are copied into checkpoints.
    ///   - resume: a checkpoint to continue from (model, optimizer state, step and loss curve). The dev curve
    ///     of a resumed run starts at the resumed step.
    ///   - progress: called after each optimizer step.
    ///
    /// With ``devEvaluation`` the run may stop early, and the final checkpoint holds the best dev model; its
    /// optimizer state is omitted when that model is not the last step's (it cannot be resumed).
    /// - Throws: ``ModelError`` when a checkpoint cannot be read or written.
    package func train(
        _ encoder: BiEncoder, examples: [TrainingExample], checkpointFolder: URL? = nil, baseModelFolder: URL? = nil,
        resume: URL? = nil, progress: (TrainingEvent) -> Void = { _ in }
    ) throws -> TrainingResult {
        var encoder = encoder
        var optimizer = AdamW(weightDecay: options.weightDecay)
        var losses: [Float] = []
        var completed = 0
        if let resume {
            let restored = try Checkpoint.load(folder: resume)
            encoder = restored.encoder
            if let state = restored.state {
                completed = state.step
                losses = state.losses
                optimizer.restore(step: state.step, firstMoments: state.firstMoments, secondMoments: state.secondMoments)
            }
        }
        let total = totalSteps(exampleCount: examples.count)
        let schedule = LearningRateSchedule(
            peak: options.learningRate, warmupSteps: options.warmupSteps ?? Int((Double(total) * 0.1).rounded(.up)),
            totalSteps: total)
        let perEpoch = stepsPerEpoch(exampleCount: examples.count)
        let accumulation = max(1, options.accumulationSteps)
        let pool = encoder.model.pool
        let template = encoder
        let monitor = devEvaluation.map { evaluation in
            DevMonitor(evaluation) { parameters in
                var model = template
                model.model.parameters = parameters
                return evaluation.evaluate(model)
            }
        }
        var step = completed
        if completed == 0 { _ = monitor?.observe(step: 0, totalSteps: total, parameters: encoder.model.parameters) }
        while step < total {
            let epoch = step / max(1, perEpoch), stepInEpoch = step % max(1, perEpoch)
            let batches = microBatches(exampleCount: examples.count, epoch: epoch)
            let group = Array(batches[(stepInEpoch * accumulation)..<min(batches.count, (stepInEpoch + 1) * accumulation)])
            var summed: [String: Tensor] = [:]
            var stepLoss: Float = 0
            for (offset, batch) in group.enumerated() {
                let microIndex = UInt64(epoch * batches.count + stepInEpoch * accumulation + offset)
                var dropoutGenerator = SeededGenerator(seed: options.seed ^ 0x5EED).derived(microIndex)
                let dropoutSeed = dropoutGenerator.next()
                let tape = Tape(recording: true, training: true, seed: dropoutSeed, pool: pool)
                let value = lossValue(tape, encoder: encoder, batch: batch.map { examples[$0] })
                tape.backward(from: value, seed: Tensor(scalar: 1 / Float(group.count)))
                stepLoss += value.value.scalar / Float(group.count)
                for (name, gradient) in tape.parameterGradients() {
                    summed[name] = summed[name].map { Elementwise.add($0, gradient, pool: nil) } ?? gradient
                }
            }
            if let maxNorm = options.maxGradientNorm { clipGradientNorm(&summed, maxNorm: maxNorm) }
            let rate = schedule.rate(atStep: step)
            optimizer.update(&encoder.model.parameters, gradients: summed, learningRate: rate)
            summed = [:]
            step += 1
            losses.append(stepLoss)
            progress(TrainingEvent(step: step, totalSteps: total, loss: stepLoss, learningRate: rate))
            if monitor?.observe(step: step, totalSteps: total, parameters: encoder.model.parameters) == true { break }
            if let checkpointFolder, let every = options.checkpointEvery, step % every == 0, step < total {
                try Checkpoint.save(
                    encoder, to: checkpointFolder.appendingPathComponent("checkpoint-\(step)"), baseModelFolder: baseModelFolder,
                    state: TrainingState(step: step, losses: losses, optimizer: optimizer, options: options))
            }
        }
        let best = monitor?.finalParameters(last: step)
        if let best { encoder.model.parameters = best }
        if let checkpointFolder {
            try Checkpoint.save(
                encoder, to: checkpointFolder.appendingPathComponent("checkpoint-\(step)"), baseModelFolder: baseModelFolder,
                state: best == nil ? TrainingState(step: step, losses: losses, optimizer: optimizer, options: options) : nil)
        }
        var result = TrainingResult(encoder: encoder, losses: losses, steps: step)
        monitor?.annotate(&result)
        return result
    }

    /// The loss of one micro-batch on `tape`.
    func lossValue(_ tape: Tape, encoder: BiEncoder, batch: [TrainingExample]) -> Variable {
        func embed(_ sequences: [[Int32]]) -> Variable { encoder.forward(tape, tokenIds: sequences) }
        let negativeCount = batch.map(\.negatives.count).min() ?? 0
        let input = LossInput(
            queries: embed(batch.map(\.query)), positives: embed(batch.map(\.positive)),
            negatives: (0..<negativeCount).map { column in embed(batch.map { $0.negatives[column] }) })
        return loss(tape, input)
    }
}
