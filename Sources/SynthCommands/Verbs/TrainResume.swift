import Foundation
import SynthModels
import SynthTensor
import SynthValues

/// Crash-safe training for the training verbs (`train`, `align`, `train_distilled`, `train_cross`): the `checkpoint_every`
/// argument, the fingerprint that decides whether a re-run may continue a killed run's checkpoints, and the
/// lines that say what happened.
enum TrainResume {
    /// Steps between resumable checkpoints unless `checkpoint_every=` says otherwise.
    ///
    /// A MiniLM checkpoint with its optimizer moments is 272 MB; measured on two busy cores (load 9), writing
    /// one added about 3 s to a step, while a step of 16 examples at 128 tokens took 6–12 s. Saving every 50
    /// steps so costs under 1% of the run and a kill loses at most 50 steps. Runs of 50 steps or fewer write
    /// only the final checkpoint. The run's fingerprint hashes the base model's files (about 2 s for MiniLM).
    static let defaultCheckpointEvery = 50

    /// `options.checkpointEvery` from `checkpoint_every=` (0 turns periodic checkpoints off).
    static func checkpointEvery(_ call: VerbCall) throws -> Int? {
        let every = call.int("checkpoint_every") ?? defaultCheckpointEvery
        guard every >= 0 else { throw call.error("expected checkpoint_every of 0 or more, found \(every)") }
        return every == 0 ? nil : every
    }

    /// What makes two runs produce the same model: the tokenized examples (with teacher scores and labels),
    /// the batches' duplicate keys, every training option but `checkpointEvery`, the loss and its settings,
    /// the starting model's files, the token limit and the dev split. The model's folder and
    /// `checkpoint_every` stay out: they do not change the weights.
    static func fingerprint(
        examples: [DistillationExample], sampler: NoDuplicatesBatchSampler, options: TrainingOptions,
        loss: any Loss, detail: String, base: SentenceEncoder, maxLength: Int, dev: String?
    ) throws -> TrainingFingerprint {
        var fingerprint = TrainingFingerprint()
        try fingerprint.add("examples", json: examples)
        try fingerprint.add("batches", json: sampler.keys)
        try fingerprint.add(options: options)
        fingerprint.add("loss", "\(detail) \(String(describing: loss))")
        fingerprint.add("base model", try base.fingerprint())
        fingerprint.add("max_length", "\(maxLength)")
        fingerprint.add("dev", dev ?? "none")
        return fingerprint
    }

    /// SHA-256 (hex) of a parameter set: names, shapes and float bits in name order (the starting weights of
    /// a model that has no folder of its own, such as a cross-encoder with a freshly seeded head).
    static func fingerprint(of parameters: [String: Tensor]) -> String {
        var hasher = SHA256()
        for name in parameters.keys.sorted() {
            let tensor = parameters[name]!
            hasher.update("\(name) \(tensor.shape)\n")
            tensor.scalars.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize().hex
    }

    /// The lines a run prints before its first step: the resume line, or why stale checkpoints were removed.
    static func lines(_ start: TrainingRunFolder.Start, total: Int, verb: String, name: String) -> [String] {
        switch start {
        case .resume(let folder, let step):
            return ["resuming from step \(step) of \(total) (\(folder.lastPathComponent))"]
        case .fresh(let changed, let removed) where removed > 0 && !changed.isEmpty:
            let what = changed.map { $0.hasPrefix("options.") ? String($0.dropFirst("options.".count)) : $0 }
            return [
                "\(verb) \(name): starting from step 0 (\(what.joined(separator: ", ")) changed since the last run; "
                    + "removed its \(removed == 1 ? "checkpoint" : "\(removed) checkpoints"))"
            ]
        case .fresh:
            return []
        }
    }
}
