import Foundation
import SynthTensor
import SynthTestSupport
import Testing

@testable import SynthModels

/// `DistillationTrainer` (the loop behind `train`, `align`, `train_distilled`) resumed from a periodic checkpoint
/// equals the uninterrupted run bit for bit; `TrainingRunFolder` resumes only a run with the same fingerprint.
@Suite("Distillation trainer: periodic checkpoints and exact resume")
struct DistillationResumeTests {
    static let examples = DistillationTrainerTests.examples(count: 24, seed: 7)

    static func options(learningRate: Float = 1e-2) -> TrainingOptions {
        var options = TrainingOptions()
        options.batchSize = 6
        options.learningRate = learningRate
        options.epochs = 3
        options.warmupSteps = 2
        options.checkpointEvery = 3
        return options
    }

    /// The verb's sampler: every example's query is the same text, so keys are the first candidates.
    static let sampler = NoDuplicatesBatchSampler(
        keys: examples.map { [$0.candidates[0].map(String.init).joined(separator: " ")] }, batchSize: 6, seed: 42)

    /// A deterministic dev "metric" that depends on every bit of the weights: a pseudo-random value in [0, 1)
    /// from the word embeddings, so improvements and patience run out at steps no one chose.
    static func pseudoMetric(_ encoder: BiEncoder) -> Double {
        let sum = encoder.model.parameters["embeddings.word_embeddings.weight"]!.scalars.enumerated()
            .reduce(0.0) { $0 + Double($1.element) * Double($1.offset % 7 + 1) }
        return (sum * 1e4).truncatingRemainder(dividingBy: 1).magnitude
    }

    static func trainer(dev: Bool, learningRate: Float = 1e-2) -> DistillationTrainer {
        DistillationTrainer(
            options: options(learningRate: learningRate), loss: MarginMSELoss(), sampler: sampler,
            devEvaluation: dev ? DevEvaluation(metric: "pseudo", every: 2, patience: 3, evaluate: pseudoMetric) : nil)
    }

    /// Trains uninterrupted into `folder`, copying each periodic checkpoint aside the moment it exists
    /// (as a SIGKILL right after that save would leave it); returns the result and the copies by step.
    static func uninterrupted(
        _ trainer: DistillationTrainer, folder: URL, copies: URL
    ) throws -> (TrainingResult, [Int: URL], [[Int]]) {
        var copied: [Int: URL] = [:]
        var present: [[Int]] = []
        let run = TrainingRunFolder(folder)
        let result = try trainer.train(DistillationTrainerTests.encoder(), examples: examples, checkpointFolder: folder) { _ in
            let steps = run.checkpoints().map(\.step)
            present.append(steps)
            guard let newest = run.checkpoints().last, copied[newest.step] == nil else { return }
            let copy = copies.appendingPathComponent("crash-\(newest.step)/checkpoint-\(newest.step)")
            try? FileManager.default.createDirectory(
                at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.copyItem(at: newest.folder, to: copy)
            copied[newest.step] = copy
        }
        return (result, copied, present)
    }

    @Test("resuming from every periodic checkpoint gives the uninterrupted run's weights and loss curve, bit-equal")
    func resumeEqualsUninterrupted() throws {
        let root = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let trainer = Self.trainer(dev: false)
        let total = trainer.totalSteps(exampleCount: Self.examples.count)
        #expect(total == 12)
        let folder = root.appendingPathComponent("full")
        let (full, copies, present) = try Self.uninterrupted(trainer, folder: folder, copies: root)
        #expect(full.steps == total)
        #expect(copies.keys.sorted() == [3, 6, 9])
        // Only the newest periodic checkpoint is kept while training; only the final one at the end.
        #expect(present.allSatisfy { $0.count <= 1 }, "\(present)")
        #expect(TrainingRunFolder(folder).checkpoints().map(\.step) == [total])
        let finalBytes = try Data(contentsOf: folder.appendingPathComponent("checkpoint-\(total)/model.safetensors"))

        for (step, checkpoint) in copies.sorted(by: { $0.key < $1.key }) {
            let state = try #require(try Checkpoint.load(folder: checkpoint).state)
            #expect(state.step == step)
            #expect(state.losses == Array(full.losses.prefix(step)))
            // A new trainer value (the old one was "killed"), from the original starting model.
            var steps: [Int] = []
            let resumed = try Self.trainer(dev: false).train(
                DistillationTrainerTests.encoder(), examples: Self.examples,
                checkpointFolder: checkpoint.deletingLastPathComponent(), resume: checkpoint
            ) { steps.append($0.step) }
            #expect(steps == Array(step + 1...total), "resumed at \(step)")
            #expect(resumed.losses == full.losses, "resumed at \(step)")
            #expect(resumed.encoder.model.parameters == full.encoder.model.parameters, "resumed at \(step)")
            let folder = checkpoint.deletingLastPathComponent()
            #expect(TrainingRunFolder(folder).checkpoints().map(\.step) == [total])
            #expect(try Data(contentsOf: folder.appendingPathComponent("checkpoint-\(total)/model.safetensors")) == finalBytes)
        }
    }

    @Test("dev curve, best model and patience resume too: the early stop and kept model match the uninterrupted run")
    func devEvaluationResumes() throws {
        let root = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let trainer = Self.trainer(dev: true)
        let (full, copies, _) = try Self.uninterrupted(trainer, folder: root.appendingPathComponent("full"), copies: root)
        #expect(!copies.isEmpty)
        var sawEarlierBest = false
        for (step, checkpoint) in copies.sorted(by: { $0.key < $1.key }) {
            let state = try #require(try Checkpoint.load(folder: checkpoint).state)
            let dev = try #require(state.dev)
            #expect(dev.curve == full.devCurve.filter { $0.step <= step })
            if let best = dev.bestStep, best != step {
                sawEarlierBest = true
                #expect(state.bestParameters != nil)
            }
            let resumed = try Self.trainer(dev: true).train(
                DistillationTrainerTests.encoder(), examples: Self.examples,
                checkpointFolder: checkpoint.deletingLastPathComponent(), resume: checkpoint)
            #expect(resumed.losses == full.losses, "resumed at \(step)")
            #expect(resumed.devCurve == full.devCurve, "resumed at \(step)")
            #expect(resumed.bestStep == full.bestStep && resumed.stoppedEarly == full.stoppedEarly)
            #expect(resumed.encoder.model.parameters == full.encoder.model.parameters, "resumed at \(step)")
        }
        // The pseudo-metric makes this run keep an earlier step's model at some checkpoint (so the best
        // parameters travel in the checkpoint) — asserted so that the test keeps covering that path.
        #expect(sawEarlierBest, "curve \(full.devCurve), best \(String(describing: full.bestStep))")
    }

    @Test("a checkpoint of other options, or without a training state, is refused with the file named")
    func resumeRefusesOtherRuns() throws {
        let root = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let (_, copies, _) = try Self.uninterrupted(
            Self.trainer(dev: false), folder: root.appendingPathComponent("full"), copies: root)
        let checkpoint = try #require(copies[3])
        let path = checkpoint.appendingPathComponent("training_state/trainer_state.json").path
        #expect(throws: ModelError.malformed(path: path, expected: "a checkpoint of a run with these options", found: "other options")) {
            try Self.trainer(dev: false, learningRate: 5e-3).train(
                DistillationTrainerTests.encoder(), examples: Self.examples, resume: checkpoint)
        }
        #expect(throws: ModelError.malformed(path: path, expected: "a run with a dev split", found: "none")) {
            try Self.trainer(dev: true).train(DistillationTrainerTests.encoder(), examples: Self.examples, resume: checkpoint)
        }
        let bare = root.appendingPathComponent("bare")
        try Checkpoint.save(DistillationTrainerTests.encoder(), to: bare, baseModelFolder: nil)
        #expect(
            throws: ModelError.malformed(
                path: bare.appendingPathComponent("training_state/trainer_state.json").path,
                expected: "a checkpoint with a training state to resume from", found: "none")
        ) {
            try Self.trainer(dev: false).train(DistillationTrainerTests.encoder(), examples: Self.examples, resume: bare)
        }
    }

    static func fingerprint(learningRate: Float = 1e-2) throws -> TrainingFingerprint {
        var fingerprint = TrainingFingerprint()
        try fingerprint.add("examples", json: examples)
        try fingerprint.add(options: options(learningRate: learningRate))
        fingerprint.add("loss", "margin-mse")
        return fingerprint
    }

    @Test("a run folder resumes only the run with the same fingerprint; another fingerprint starts fresh, removing stale checkpoints")
    func fingerprintDecidesResumeOrFreshStart() throws {
        let root = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("model")
        let run = TrainingRunFolder(folder)
        let original = try Self.fingerprint()
        #expect(try run.prepare(fingerprint: original) == .fresh(changed: [], removed: 0))
        #expect(run.storedFingerprint() == original)

        // A run "killed" after step 6: its folder holds the fingerprint, checkpoint-6 and a torn save's temporary.
        let (full, copies, _) = try Self.uninterrupted(
            Self.trainer(dev: false), folder: root.appendingPathComponent("full"), copies: root)
        try FileManager.default.copyItem(at: try #require(copies[6]), to: folder.appendingPathComponent("checkpoint-6"))
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent(".checkpoint-9.tmp-A1B2"), withIntermediateDirectories: true)

        // checkpoint_every does not change the result, so it is not part of the fingerprint.
        var everyTwo = Self.options()
        everyTwo.checkpointEvery = 2
        var same = TrainingFingerprint()
        try same.add("examples", json: Self.examples)
        try same.add(options: everyTwo)
        same.add("loss", "margin-mse")
        #expect(same == original)
        let start = try run.prepare(fingerprint: same)
        #expect(start == .resume(folder: folder.appendingPathComponent("checkpoint-6"), step: 6))
        let resumed = try Self.trainer(dev: false).train(
            DistillationTrainerTests.encoder(), examples: Self.examples, checkpointFolder: folder, resume: start.checkpoint)
        #expect(resumed.encoder.model.parameters == full.encoder.model.parameters)

        // Kill again after step 6, then change the learning rate: fresh start, stale checkpoints removed.
        try run.removeCheckpoints(before: nil)
        try FileManager.default.copyItem(at: try #require(copies[6]), to: folder.appendingPathComponent("checkpoint-6"))
        let changed = try Self.fingerprint(learningRate: 5e-3)
        #expect(try run.prepare(fingerprint: changed) == .fresh(changed: ["options.learningRate"], removed: 1))
        #expect(run.checkpoints().isEmpty)
        #expect(run.storedFingerprint() == changed)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers == [TrainingRunFolder.fingerprintFileName])
        let fresh = try Self.trainer(dev: false, learningRate: 5e-3).train(
            DistillationTrainerTests.encoder(), examples: Self.examples, checkpointFolder: folder)
        let reference = try Self.trainer(dev: false, learningRate: 5e-3).train(
            DistillationTrainerTests.encoder(), examples: Self.examples)
        #expect(fresh.encoder.model.parameters == reference.encoder.model.parameters)
        #expect(fresh.encoder.model.parameters != full.encoder.model.parameters)

        // Checkpoints without a fingerprint beside them (an older tool's) are never resumed.
        try FileManager.default.removeItem(at: folder.appendingPathComponent(TrainingRunFolder.fingerprintFileName))
        #expect(try run.prepare(fingerprint: changed) == .fresh(changed: [], removed: 1))
    }
}
