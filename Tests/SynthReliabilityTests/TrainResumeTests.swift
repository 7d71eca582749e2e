import Foundation
import SynthModels
import SynthTestSupport
import Testing

/// `synthlab run` SIGKILLed while a `train` cell trains: the re-run resumes from the newest periodic checkpoint
/// and ends with the model an uninterrupted run trains, bit for bit.
@Suite(.serialized) struct TrainResumeTests {
    static let steps = 60
    static let every = 4

    /// A project with a BEIR folder (`data/`: 24 judged queries), a tiny random BERT (`tinybert/`, its vocabulary
    /// the dataset's words) and `nb.md`, whose `train` cell runs ``steps`` steps of 4 examples (10 epochs of 6 batches).
    /// A project with a 240-document dataset, and the vocabulary and BERT configuration of a tiny model
    /// that knows the dataset's words (the caller saves the model and writes `vocab.txt` beside it).
    static func tinyModelProject() throws -> (ReliabilityProject, vocabulary: [String], config: BertConfig) {
        let project = try ReliabilityProject()
        try project.writeDataset("data", docs: 240)
        let words = ["cell", "gene", "protein", "number", "title"] + (0..<7).map { "word\($0)" } + (0..<240).map(String.init)
        let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words
        var config = BertConfig.tiny(vocabSize: vocabulary.count)
        config.hiddenSize = 64
        config.intermediateSize = 256
        return (project, vocabulary, config)
    }

    static func project(extra: String = "") throws -> ReliabilityProject {
        let (project, vocabulary, tiny) = try tinyModelProject()
        var config = tiny
        config.numHiddenLayers = 2
        try Checkpoint.save(
            BiEncoder(model: BertModel(config: config, seed: 3)), to: project.url("tinybert"), baseModelFolder: nil)
        try project.write("tinybert/vocab.txt", vocabulary.joined(separator: "\n") + "\n")
        try project.write(
            "nb.md",
            """
            ```synth
            data = load "data" split="test"
            enc = encoder "tinybert"
            ```

            ```synth
            tuned = train enc on=data split="test" epochs=\(steps / 6) batch=4 lr=1e-3 max_length=16 checkpoint_every=\(every)\(extra)
            print tuned.steps
            ```
            """)
        return project
    }

    static let modelFolder = ".synthlab/models/nb/tuned"

    /// Overwrites a checkpoint's saved loss curve with 123.0 for its `steps` steps: a re-run that continues
    /// from it keeps these values, one that silently retrained from step 0 would recompute them.
    static func markLosses(in checkpoint: URL, steps: Int) throws {
        let stateURL = checkpoint.appendingPathComponent("training_state/trainer_state.json")
        var record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: stateURL)) as? [String: Any])
        record["losses"] = Array(repeating: 123.0, count: steps)
        try JSONSerialization.data(withJSONObject: record).write(to: stateURL)
    }

    static func checkpoints(_ project: ReliabilityProject) -> [Int] {
        TrainingRunFolder(project.url(modelFolder)).checkpoints().map(\.step)
    }

    /// The `train` cell's lines in the report's JSON sidecar: every string in it that starts like one.
    static func reportTexts(_ project: ReliabilityProject) throws -> [String] {
        func strings(_ value: Any) -> [String] {
            if let text = value as? String { return [text] }
            if let list = value as? [Any] { return list.flatMap(strings) }
            if let object = value as? [String: Any] { return object.keys.sorted().flatMap { strings(object[$0]!) } }
            return []
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: project.url("reports/nb.json")))
        return strings(json).filter { $0.hasPrefix("resuming from step") || $0.hasPrefix("train tuned") }
    }

    @Test func sigkillDuringTrainingResumesToTheSameModel() throws {
        // Uninterrupted reference.
        let reference = try Self.project()
        let clean = try reference.synthlab(["run", "nb.md", "--quiet"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(Self.checkpoints(reference) == [Self.steps], "only the final checkpoint is kept")
        let expected = try Data(contentsOf: reference.url("\(Self.modelFolder)/checkpoint-\(Self.steps)/model.safetensors"))
        #expect(try !Self.reportTexts(reference).contains { $0.hasPrefix("resuming") })

        // Killed once a periodic checkpoint exists (polled; the child is mid-way through its steps).
        let project = try Self.project()
        let child = try project.start(["run", "nb.md", "--quiet"])
        var seen: [Int] = []
        let deadline = Date().addingTimeInterval(300)
        while child.isRunning, Date() < deadline {
            seen = Self.checkpoints(project)
            if let newest = seen.last, newest < Self.steps { break }
            usleep(1_000)
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal, "the run ended before the kill")
        let left = Self.checkpoints(project)
        let killedAt = try #require(left.last, "no checkpoint after the kill")
        #expect(killedAt < Self.steps && killedAt % Self.every == 0 && left.count <= 2, "\(left)")

        try Self.markLosses(in: project.url("\(Self.modelFolder)/checkpoint-\(killedAt)"), steps: killedAt)

        // The re-run resumes from the newest checkpoint, says so, and ends with the reference model.
        let resumed = try project.synthlab(["run", "nb.md", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let lines = try Self.reportTexts(project)
        #expect(lines.first == "resuming from step \(killedAt) of \(Self.steps) (checkpoint-\(killedAt))", "\(lines)")
        #expect(Self.checkpoints(project) == [Self.steps])
        let model = try Data(contentsOf: project.url("\(Self.modelFolder)/checkpoint-\(Self.steps)/model.safetensors"))
        #expect(model == expected, "the resumed model differs from the uninterrupted run's")
        let state = try #require(
            try Checkpoint.load(folder: project.url("\(Self.modelFolder)/checkpoint-\(Self.steps)")).state)
        let referenceState = try #require(
            try Checkpoint.load(folder: reference.url("\(Self.modelFolder)/checkpoint-\(Self.steps)")).state)
        #expect(state.losses.prefix(killedAt).allSatisfy { $0 == 123 }, "the re-run did not continue the checkpoint")
        #expect(state.losses.dropFirst(killedAt) == referenceState.losses.dropFirst(killedAt))
        #expect(state.firstMoments == referenceState.firstMoments && state.secondMoments == referenceState.secondMoments)
    }

    @Test func changedOptionsAfterAKillStartFreshAndRemoveTheStaleCheckpoints() throws {
        let project = try Self.project()
        let child = try project.start(["run", "nb.md", "--quiet"])
        let deadline = Date().addingTimeInterval(300)
        while child.isRunning, Date() < deadline {
            if let newest = Self.checkpoints(project).last, newest < Self.steps { break }
            usleep(1_000)
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let killedAt = try #require(Self.checkpoints(project).last)
        #expect(killedAt < Self.steps)

        // Another seed: the checkpoints belong to a different run; the re-run trains from step 0.
        let notebook = try project.read("nb.md").replacingOccurrences(of: "checkpoint_every=", with: "seed=7 checkpoint_every=")
        try project.write("nb.md", notebook)
        let rerun = try project.synthlab(["run", "nb.md", "--quiet"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let lines = try Self.reportTexts(project)
        #expect(!lines.contains { $0.hasPrefix("resuming") }, "\(lines)")
        #expect(lines.first == "train tuned: starting from step 0 (seed changed since the last run; removed its checkpoint)", "\(lines)")
        #expect(Self.checkpoints(project) == [Self.steps])

        let reference = try Self.project(extra: " seed=7")
        #expect(try reference.synthlab(["run", "nb.md", "--quiet"]).status == 0)
        #expect(
            try Data(contentsOf: project.url("\(Self.modelFolder)/checkpoint-\(Self.steps)/model.safetensors"))
                == Data(contentsOf: reference.url("\(Self.modelFolder)/checkpoint-\(Self.steps)/model.safetensors")))
    }

    /// The same for `train_cross`: a tiny random cross-encoder, LCE groups of a positive and 2 BM25 negatives,
    /// 60 steps, checkpoints in `tuned.training/`.
    static func crossProject() throws -> ReliabilityProject {
        let (project, vocabulary, config) = try tinyModelProject()
        try CrossEncoder(model: BertModel(config: config, seed: 3), seed: 4).save(to: project.url("tinyce"))
        try project.write("tinyce/vocab.txt", vocabulary.joined(separator: "\n") + "\n")
        try project.write(
            "nb.md",
            """
            ```synth
            data = load "data" split="test"
            index = bm25 data
            ce = cross_encoder "tinyce"
            ```

            ```synth
            tuned = train_cross ce on=data split="test" loss=lce retriever=index corpus=data group=3 batch=2 epochs=5 lr=1e-3 max_length=32 checkpoint_every=\(every)
            ```
            """)
        return project
    }

    @Test func sigkillDuringCrossEncoderTrainingResumesToTheSameModel() throws {
        let runFolder = ".synthlab/models/nb/tuned.training"
        func checkpoints(_ project: ReliabilityProject) -> [Int] {
            TrainingRunFolder(project.url(runFolder)).checkpoints().map(\.step)
        }
        let reference = try Self.crossProject()
        let clean = try reference.synthlab(["run", "nb.md", "--quiet"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(!FileManager.default.fileExists(atPath: reference.url(runFolder).path), "checkpoints removed at the end")
        let expected = try Data(contentsOf: reference.url(".synthlab/models/nb/tuned/model.safetensors"))

        let project = try Self.crossProject()
        let child = try project.start(["run", "nb.md", "--quiet"])
        let deadline = Date().addingTimeInterval(300)
        while child.isRunning, Date() < deadline {
            if !checkpoints(project).isEmpty { break }
            usleep(1_000)
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal, "the run ended before the kill")
        let killedAt = try #require(checkpoints(project).last, "no checkpoint after the kill")
        #expect(killedAt < Self.steps && killedAt % Self.every == 0)
        try Self.markLosses(in: project.url("\(runFolder)/checkpoint-\(killedAt)"), steps: killedAt)

        let resumed = try project.synthlab(["run", "nb.md", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let json = String(decoding: try Data(contentsOf: project.url("reports/nb.json")), as: UTF8.self)
        #expect(json.contains("resuming from step \(killedAt) of \(Self.steps) (checkpoint-\(killedAt))"))
        #expect(json.contains("loss 123.0000 →"), "the re-run did not continue the checkpoint's loss curve")
        #expect(!FileManager.default.fileExists(atPath: project.url(runFolder).path))
        #expect(try Data(contentsOf: project.url(".synthlab/models/nb/tuned/model.safetensors")) == expected)
    }
}
