import Foundation
import SynthTensor

/// The optimizer loop shared by ``CrossEncoderTrainer``, ``DistillationTrainer`` and ``SentenceListTrainer``:
/// seeded shuffling and micro-batches as ``BiEncoderTrainer``, gradient accumulation, global-norm clipping,
/// AdamW with linear warm-up and decay.
///
/// Resumable: the batches of epoch `e` depend only on `(seed, e)` and the dropout of micro-batch `k` only on
/// `(seed, k)`, so a loop started from a ``TrainingState`` saved after step `s` (``resume``) sees exactly the
/// batches, dropout masks, learning rates and optimizer moments the uninterrupted loop saw from step `s + 1`.
struct TrainingLoop {
    var options: TrainingOptions
    /// Replaces the plain shuffle with batches free of duplicate texts, when set.
    var sampler: NoDuplicatesBatchSampler? = nil
    /// Dev-split scoring (curve, early stopping, best parameters), when set; read it after ``run``.
    var monitor: DevMonitor? = nil
    /// The state to continue from (optimizer moments, step, loss curve, dev progress); the caller passes the
    /// checkpoint's parameters as `parameters`. Nil starts at step 0.
    var resume: TrainingState? = nil

    /// Optimizer steps of the whole run (epochs × steps per epoch, capped by `maxSteps`).
    func totalSteps(exampleCount: Int) -> Int {
        let accumulation = max(1, options.accumulationSteps)
        let perEpoch = max(
            1, (microBatches(exampleCount: exampleCount, epoch: 0).count + accumulation - 1) / accumulation)
        let planned = perEpoch * options.epochs
        return min(planned, options.maxSteps ?? planned)
    }

    /// Runs every optimizer step, updating `parameters` in place, without periodic checkpoints.
    func run(
        exampleCount: Int, parameters: inout [String: Tensor], pool: BufferPool, progress: (TrainingEvent) -> Void,
        lossOf: (Tape, [Int], [String: Tensor]) -> Variable
    ) -> (losses: [Float], optimizer: AdamW) {
        run(
            exampleCount: exampleCount, parameters: &parameters, pool: pool, progress: progress,
            checkpoint: { _, _ in }, lossOf: lossOf)
    }

    /// Runs every optimizer step, updating `parameters` in place.
    ///
    /// - Parameters:
    ///   - exampleCount: number of training items (shuffled per epoch).
    ///   - checkpoint: called after every `options.checkpointEvery`-th step before the last (not after a step
    ///     that stops the run early) with the state to save and the current parameters.
    ///   - lossOf: the scalar loss of one micro-batch (item indices) on a training tape, given the current
    ///     parameters.
    /// - Returns: the loss of every step (those before a resume included) and the optimizer (for checkpoints).
    ///   With a ``monitor`` the loop may stop early; the caller restores ``DevMonitor/finalParameters(last:)``.
    /// - Throws: what `checkpoint` throws.
    func run(
        exampleCount: Int, parameters: inout [String: Tensor], pool: BufferPool, progress: (TrainingEvent) -> Void,
        checkpoint: (TrainingState, [String: Tensor]) throws -> Void,
        lossOf: (Tape, [Int], [String: Tensor]) -> Variable
    ) rethrows -> (losses: [Float], optimizer: AdamW) {
        let accumulation = max(1, options.accumulationSteps)
        let perEpoch = max(
            1, (microBatches(exampleCount: exampleCount, epoch: 0).count + accumulation - 1) / accumulation)
        let total = totalSteps(exampleCount: exampleCount)
        let schedule = LearningRateSchedule(
            peak: options.learningRate, warmupSteps: options.warmupSteps ?? Int((Double(total) * 0.1).rounded(.up)),
            totalSteps: total)
        var optimizer = AdamW(weightDecay: options.weightDecay)
        var losses: [Float] = []
        var start = 0
        if let resume {
            start = min(resume.step, total)
            losses = Array(resume.losses.prefix(start))
            optimizer.restore(step: resume.step, firstMoments: resume.firstMoments, secondMoments: resume.secondMoments)
            if let monitor, let dev = resume.dev {
                monitor.restore(dev, bestParameters: resume.bestParameters, step: start, parameters: parameters)
            }
        } else {
            _ = monitor?.observe(step: 0, totalSteps: total, parameters: parameters)
        }
        for step in start..<max(start, total) {
            let epoch = step / perEpoch
            let stepInEpoch = step % perEpoch
            let batches = microBatches(exampleCount: exampleCount, epoch: epoch)
            // A sampler's epochs may hold a batch fewer than epoch 0's; such a step repeats the epoch's last batch.
            let first = min(stepInEpoch * accumulation, batches.count - 1)
            let group = Array(batches[first..<min(batches.count, max(first + 1, (stepInEpoch + 1) * accumulation))])
            var summed: [String: Tensor] = [:]
            var stepLoss: Float = 0
            for (offset, batch) in group.enumerated() {
                let microIndex = UInt64(epoch * batches.count + stepInEpoch * accumulation + offset)
                var dropoutGenerator = SeededGenerator(seed: options.seed ^ 0x5EED).derived(microIndex)
                let tape = Tape(recording: true, training: true, seed: dropoutGenerator.next(), pool: pool)
                let value = lossOf(tape, batch, parameters)
                tape.backward(from: value, seed: Tensor(scalar: 1 / Float(group.count)))
                stepLoss += value.value.scalar / Float(group.count)
                for (name, gradient) in tape.parameterGradients() {
                    summed[name] = summed[name].map { Elementwise.add($0, gradient, pool: nil) } ?? gradient
                }
            }
            if let maxNorm = options.maxGradientNorm { clipGradientNorm(&summed, maxNorm: maxNorm) }
            let rate = schedule.rate(atStep: step)
            optimizer.update(&parameters, gradients: summed, learningRate: rate)
            losses.append(stepLoss)
            progress(TrainingEvent(step: step + 1, totalSteps: total, loss: stepLoss, learningRate: rate))
            if monitor?.observe(step: step + 1, totalSteps: total, parameters: parameters) == true { break }
            if let every = options.checkpointEvery, every > 0, (step + 1) % every == 0, step + 1 < total {
                let dev = monitor?.snapshot(step: step + 1)
                try checkpoint(
                    TrainingState(
                        step: step + 1, losses: losses, optimizer: optimizer, options: options, dev: dev?.progress,
                        bestParameters: dev?.bestParameters),
                    parameters)
            }
        }
        return (losses, optimizer)
    }

    /// Micro-batches of one epoch: ``BiEncoderTrainer``'s seeded shuffle, which drops a trailing one-item batch
    /// (no in-batch negatives) unless every batch has one item by design (`batchSize` 1).
    func microBatches(exampleCount: Int, epoch: Int) -> [[Int]] {
        if let sampler { return sampler.batches(epoch: epoch) }
        var batches = BiEncoderTrainer(options: options).microBatches(exampleCount: exampleCount, epoch: epoch)
        if options.batchSize <= 1 {
            let seen = Set(batches.flatMap { $0 })
            batches += (0..<exampleCount).filter { !seen.contains($0) }.map { [$0] }
        }
        return batches
    }
}
