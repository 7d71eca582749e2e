import Foundation
import SynthModels
import SynthTestSupport
import SynthValues
import Testing

/// SIGKILL while the trainer saves a checkpoint: the folder holds a loadable checkpoint, old or new.
@Suite(.serialized) struct CheckpointKillTests {
    static let writerVariable = "SYNTHLAB_RELIABILITY_CHECKPOINT_WRITER"

    static func encoder(seed: UInt64) -> BiEncoder {
        var config = BertConfig.tiny(vocabSize: 64)
        config.hiddenSize = 32
        config.numAttentionHeads = 2
        config.intermediateSize = 64
        config.numHiddenLayers = 2
        return BiEncoder(model: BertModel(config: config, seed: seed))
    }

    /// In a child process (``writerVariable`` = folder), saves two different encoders in turn, forever.
    @Test func checkpointWriterChild() throws {
        guard let path = ProcessInfo.processInfo.environment[Self.writerVariable] else { return }
        let encoders = [Self.encoder(seed: 1), Self.encoder(seed: 2)]
        var turn = 0
        while true {
            try Checkpoint.save(encoders[turn % 2], to: URL(fileURLWithPath: path), baseModelFolder: nil)
            turn += 1
            // Both encoders have been saved once: tell the parent the loop is replacing the checkpoint.
            if turn == 2 { FileManager.default.createFile(atPath: path + ".looping", contents: Data()) }
        }
    }

    @Test func sigkillDuringCheckpointSaveLeavesOldOrNew() throws {
        let folder = try TestPaths.temporaryFolder()
        let target = folder.appendingPathComponent("checkpoint")
        let ids: [[Int32]] = [[1, 5, 9, 2]]
        let mask: [[Int32]] = [[1, 1, 1, 1]]
        let expected = [1, 2].map { Self.encoder(seed: UInt64($0)).embed(inputIds: ids, attentionMask: mask) }
        try Checkpoint.save(Self.encoder(seed: 1), to: target, baseModelFolder: nil)
        var rng = SplitMix64(seed: 5)
        var seen: Set<Int> = []
        for attempt in 0..<12 {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["--testing-library", "swift-testing", "--filter", "checkpointWriterChild"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.writerVariable] = target.path
            child.environment = environment
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            let looping = target.path + ".looping"
            try? FileManager.default.removeItem(atPath: looping)
            try child.run()
            // Kill only once the child is saving in its loop (its start-up time depends on the machine's load),
            // at a random moment of the loop, which is nearly all saving.
            let deadline = Date().addingTimeInterval(120)
            while !FileManager.default.fileExists(atPath: looping), child.isRunning, Date() < deadline {
                usleep(10_000)
            }
            #expect(FileManager.default.fileExists(atPath: looping), "the child never saved both encoders")
            usleep(UInt32.random(in: 0...200_000, using: &rng))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            let loaded = try Checkpoint.load(folder: target)
            let embedding = loaded.encoder.embed(inputIds: ids, attentionMask: mask)
            #expect(expected.contains(embedding), "checkpoint after kill \(attempt) is neither old nor new")
            if let index = expected.firstIndex(of: embedding) { seen.insert(index) }
        }
        #expect(seen.count == 2, "every kill left the same encoder: the kills did not land across saves")
        // The swap is one renameat2(RENAME_EXCHANGE): the old folder is never renamed aside. Temporary folders
        // of killed saves may stay behind (hidden, beside the checkpoint); they never replace it.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!leftovers.contains { $0.hasPrefix(".checkpoint.old-") }, "\(leftovers)")
    }
}
