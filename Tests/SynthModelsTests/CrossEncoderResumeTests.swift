import Foundation
import SynthTensor
import SynthTestSupport
import Testing

@testable import SynthModels

/// `CrossEncoderTrainer` (the loop behind `train_cross`) resumed from a periodic checkpoint equals the
/// uninterrupted run bit for bit.
@Suite("Cross-encoder trainer: periodic checkpoints and exact resume")
struct CrossEncoderResumeTests {
    @Test("resuming from every periodic checkpoint gives the uninterrupted run's weights, head and losses")
    func resumeEqualsUninterrupted() throws {
        let root = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let groups = CrossEncoderTrainerTests.groups(count: 24, seed: 9)
        var options = CrossEncoderTrainerTests.options(steps: 10)
        options.checkpointEvery = 3
        let trainer = CrossEncoderTrainer(options: options, loss: LocalizedContrastiveLoss())
        #expect(trainer.totalSteps(groupCount: groups.count) == 10)
        let folder = root.appendingPathComponent("run")
        let run = TrainingRunFolder(folder)
        var copies: [Int: URL] = [:]
        var present: [[Int]] = []
        let full = try trainer.train(CrossEncoderTrainerTests.model(), groups: groups, checkpointFolder: folder) { _ in
            present.append(run.checkpoints().map(\.step))
            guard let newest = run.checkpoints().last, copies[newest.step] == nil else { return }
            let copy = root.appendingPathComponent("crash-\(newest.step)/checkpoint-\(newest.step)")
            try? FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.copyItem(at: newest.folder, to: copy)
            copies[newest.step] = copy
        }
        #expect(copies.keys.sorted() == [3, 6, 9])
        #expect(present.allSatisfy { $0.count <= 1 }, "\(present)")
        // The same run without checkpoints: saving them changes nothing.
        var plainOptions = options
        plainOptions.checkpointEvery = nil
        let plain = CrossEncoderTrainer(options: plainOptions, loss: LocalizedContrastiveLoss())
            .train(CrossEncoderTrainerTests.model(), groups: groups)
        #expect(plain.losses == full.losses && plain.model.head == full.model.head)

        // A checkpoint of other options is refused (before the loop below continues it in its own folder).
        var other = options
        other.learningRate = 5e-3
        let checkpoint = try #require(copies[3])
        #expect(
            throws: ModelError.malformed(
                path: checkpoint.appendingPathComponent("training_state/trainer_state.json").path,
                expected: "a checkpoint of a run with these options", found: "other options")
        ) {
            try CrossEncoderTrainer(options: other, loss: LocalizedContrastiveLoss()).train(
                CrossEncoderTrainerTests.model(), groups: groups, checkpointFolder: nil, resume: checkpoint)
        }

        for (step, checkpoint) in copies.sorted(by: { $0.key < $1.key }) {
            #expect(try Checkpoint.readState(in: checkpoint)?.losses == Array(full.losses.prefix(step)))
            let resumed = try CrossEncoderTrainer(options: options, loss: LocalizedContrastiveLoss()).train(
                CrossEncoderTrainerTests.model(), groups: groups, checkpointFolder: checkpoint.deletingLastPathComponent(),
                resume: checkpoint)
            #expect(resumed.losses == full.losses, "resumed at \(step)")
            #expect(resumed.model.model.parameters == full.model.model.parameters, "resumed at \(step)")
            #expect(resumed.model.head == full.model.head, "resumed at \(step)")
        }

    }
}
