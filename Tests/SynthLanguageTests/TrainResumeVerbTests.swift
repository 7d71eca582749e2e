import Foundation
import SynthCommands
import SynthModels
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// `checkpoint_every=` and resuming in the bi-encoder training verbs, in process (the SIGKILL test spawning
/// `synthlab run` is `TrainResumeTests` in SynthReliabilityTests).
@Suite struct TrainResumeVerbTests {
    static let folder = ".synthlab/models/repl/tuned"

    @Test func finishedRunKeepsOneCheckpointAndChangedOptionsAreNamed() async throws {
        let (interpreter, project) = try await SyntrieverVerbTests.setUp()
        defer { try? FileManager.default.removeItem(at: project) }
        let result = try await runCell(
            interpreter, "tuned = train enc on=data split=\"test\" epochs=3 batch=2 lr=1e-3 max_length=32 checkpoint_every=1")
        let texts = SyntrieverVerbTests.texts(result)
        #expect(!texts.contains { $0.hasPrefix("resuming") }, "\(texts)")
        let steps = try #require(SyntrieverVerbTests.encoder(interpreter, "tuned")?.losses.count)
        let names = try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent(Self.folder).path)
        #expect(names.sorted() == ["checkpoint-\(steps)", TrainingRunFolder.fingerprintFileName], "\(names)")

        let model = try Data(contentsOf: project.appendingPathComponent("\(Self.folder)/checkpoint-\(steps)/model.safetensors"))

        // The same cell again (as `--no-cache` would): a finished run is retrained, silently, to the same model.
        let again = try await runCell(
            interpreter, "tuned = train enc on=data split=\"test\" epochs=3 batch=2 lr=1e-3 max_length=32 checkpoint_every=2")
        #expect(!SyntrieverVerbTests.texts(again).contains { $0.hasPrefix("resuming") || $0.contains("starting from") })
        #expect(try Data(contentsOf: project.appendingPathComponent("\(Self.folder)/checkpoint-\(steps)/model.safetensors")) == model)

        // Another learning rate: the old checkpoint belongs to another run; the line says what changed.
        let changed = try await runCell(
            interpreter, "tuned = train enc on=data split=\"test\" epochs=3 batch=2 lr=2e-3 max_length=32 checkpoint_every=1")
        #expect(
            SyntrieverVerbTests.texts(changed).first
                == "train tuned: starting from step 0 (learningRate changed since the last run; removed its checkpoint)")
        #expect(try Data(contentsOf: project.appendingPathComponent("\(Self.folder)/checkpoint-\(steps)/model.safetensors")) != model)
    }

    @Test func checkpointEveryMustNotBeNegative() async throws {
        let (interpreter, project) = try await SyntrieverVerbTests.setUp()
        defer { try? FileManager.default.removeItem(at: project) }
        do {
            try await runCell(interpreter, "x = train enc on=data split=\"test\" checkpoint_every=-1")
            Issue.record("expected an error")
        } catch let error as Diagnostic {
            #expect(error.message == "expected checkpoint_every of 0 or more, found -1")
            #expect(error.location?.line == 1)
        }
    }
}
