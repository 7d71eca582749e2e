import Foundation
import SynthValues

/// The folder of one resumable training run: its `checkpoint-N` folders and `training-fingerprint.json`, the
/// ``TrainingFingerprint`` of the run that wrote them.
///
/// A run killed mid-way (SIGKILL, Ctrl-C, a crash) leaves its newest periodic checkpoint; the next run with
/// the same fingerprint continues from it, and a run with another fingerprint removes the stale checkpoints
/// first, so checkpoints of two different runs are never mixed. Checkpoint folders appear atomically
/// (``Checkpoint/save(_:to:baseModelFolder:state:)``), so every `checkpoint-N` found here is complete.
///
/// ```swift
/// let run = TrainingRunFolder(folder)
/// let start = try run.prepare(fingerprint: fingerprint, totalSteps: trainer.totalSteps(exampleCount: examples.count))
/// let result = try trainer.train(encoder, examples: examples, checkpointFolder: folder, resume: start.checkpoint)
/// ```
package struct TrainingRunFolder: Sendable {
    /// The run's folder (e.g. `.synthlab/models/<notebook>/<name>`).
    package var folder: URL

    /// The fingerprint file's name inside ``folder``.
    package static let fingerprintFileName = "training-fingerprint.json"

    /// How a run starts.
    package enum Start: Sendable, Equatable {
        /// From step 0. `changed` names the fingerprint parts that differ from the stale checkpoints' (empty
        /// when there were none, or no fingerprint beside them); `removed` counts the checkpoints removed.
        case fresh(changed: [String], removed: Int)
        /// From the checkpoint `folder`, saved after `step` optimizer steps.
        case resume(folder: URL, step: Int)

        /// The checkpoint to pass as `resume:` (nil for a fresh start).
        package var checkpoint: URL? {
            if case .resume(let folder, _) = self { folder } else { nil }
        }
    }

    /// A run folder at `folder` (created on demand).
    package init(_ folder: URL) { self.folder = folder }

    /// The `checkpoint-N` folders, by ascending step.
    package func checkpoints() -> [(step: Int, folder: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasPrefix("checkpoint-"), let step = Int(name.dropFirst("checkpoint-".count)), step >= 0 else {
                return nil
            }
            return (step, folder.appendingPathComponent(name))
        }
        .sorted { $0.0 < $1.0 }
    }

    /// The newest checkpoint that holds a training state (the final checkpoint of a run that kept an earlier
    /// dev-best model holds none and cannot be continued).
    package func newestResumable() -> (step: Int, folder: URL)? {
        checkpoints().last { checkpoint in
            FileManager.default.fileExists(
                atPath: checkpoint.folder.appendingPathComponent("training_state/trainer_state.json").path)
        }
    }

    /// The fingerprint stored by the run that wrote the checkpoints, if any.
    package func storedFingerprint() -> TrainingFingerprint? {
        let url = folder.appendingPathComponent(Self.fingerprintFileName)
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(TrainingFingerprint.self, from: data)
    }

    /// Decides how a run with `fingerprint` starts, and prepares the folder for it.
    ///
    /// With the stored fingerprint equal to `fingerprint` and a resumable checkpoint before `totalSteps`, the
    /// run resumes from the newest one (a finished run is trained again: re-running a finished cell is the
    /// cell cache's business, and `--no-cache` means recompute). Otherwise every checkpoint is removed (with the temporary folders of killed saves when
    /// the fingerprint differs), then `fingerprint` is stored, so a run killed from now on leaves checkpoints that carry it.
    ///
    /// - Throws: ``ModelError/io(path:reason:)`` when the folder cannot be cleared or the fingerprint written.
    package func prepare(fingerprint: TrainingFingerprint, totalSteps: Int? = nil) throws -> Start {
        let stored = storedFingerprint()
        if stored == fingerprint, let newest = newestResumable(), newest.step < (totalSteps ?? Int.max) {
            return .resume(folder: newest.folder, step: newest.step)
        }
        let removed = try removeCheckpoints(before: nil)
        // Temporaries of killed saves are removed only for a stale run: with an equal fingerprint, another
        // process may be saving this run's checkpoint right now.
        if stored != fingerprint { removeTemporaries() }
        let changed = removed > 0 ? stored.map { fingerprint.changedParts(since: $0) } ?? [] : []
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(encoder.encode(fingerprint), to: folder.appendingPathComponent(Self.fingerprintFileName))
        } catch {
            throw ModelError.io(path: folder.appendingPathComponent(Self.fingerprintFileName).path, reason: "\(error)")
        }
        return .fresh(changed: changed, removed: removed)
    }

    /// Removes the `checkpoint-N` folders of steps before `step` (nil: all of them); the newest checkpoint
    /// and any later one (another process training the same run) stay.
    ///
    /// - Returns: how many checkpoints were removed.
    /// - Throws: ``ModelError/io(path:reason:)`` naming a folder that cannot be removed.
    @discardableResult
    package func removeCheckpoints(before step: Int?) throws -> Int {
        var removed = 0
        for checkpoint in checkpoints() where step.map({ checkpoint.step < $0 }) ?? true {
            do { try FileManager.default.removeItem(at: checkpoint.folder) } catch {
                throw ModelError.io(path: checkpoint.folder.path, reason: "cannot remove an old checkpoint")
            }
            removed += 1
        }
        return removed
    }

    /// Removes the hidden temporary folders that saves killed mid-way left (`.checkpoint-N.tmp-…`).
    func removeTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(".checkpoint-") && name.contains(".tmp-") {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
