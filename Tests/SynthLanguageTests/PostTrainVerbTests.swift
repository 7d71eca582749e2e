import Foundation
@testable import SynthCommands
import SynthModels
import SynthSynthesis
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// A deterministic chain writer for `synthesize ranked`: drops the first word and appends the vocabulary word
/// after the last one, so every step drifts and no sentence repeats.
struct ChainTeacher: Teacher {
    let model = "chain-script"
    static let words = ["cats", "purr", "dogs", "bark", "p53", "protein", "market", "the", "a", "is"]

    func complete(_ request: TeacherRequest) async throws -> TeacherReply {
        let user = request.messages.last?.content ?? ""
        let current = user.components(separatedBy: "\n").last { $0.hasPrefix("Sentence: ") }?
            .dropFirst("Sentence: ".count) ?? ""
        var words = current.split(separator: " ").map(String.init)
        let last = Self.words.firstIndex(of: words.last ?? "") ?? 0
        words = Array(words.dropFirst()) + [Self.words[(last + 1) % Self.words.count]]
        return TeacherReply(
            text: "{\"sentence\": \"\(words.joined(separator: " "))\"}", promptTokens: 20, completionTokens: 8,
            requestKey: "chain:\(user.hashValue)")
    }
}

@Suite struct PostTrainVerbTests {
    /// A randomly initialised 2-layer BERT (hidden 32) with a 17-token vocabulary, in a folder `encoder` loads.
    static func tinyModel(in project: URL) throws -> URL {
        let folder = project.appendingPathComponent("tiny-bert")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ","] + ChainTeacher.words
        try Data((vocabulary.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        let config = BertConfig.tiny(vocabSize: vocabulary.count)
        try config.jsonData().write(to: folder.appendingPathComponent("config.json"))
        let model = BertModel(config: config, seed: 7)
        try SafeTensors.write(model.hostWeights(), to: folder.appendingPathComponent("model.safetensors"))
        return folder
    }

    static func interpreter() throws -> (Interpreter, URL) {
        let project = try TestPaths.temporaryFolder()
        _ = try tinyModel(in: project)
        let interpreter = try makeInterpreter(project: project)
        interpreter.restore("t", .object(TeacherObject(teacher: ChainTeacher(), source: "script")))
        return (interpreter, project)
    }

    static let setup = """
        base = encoder "tiny-bert"
        chains = synthesize ranked from=["cats purr the dogs bark", "a market is the protein"] steps=4 teacher=t
        """

    @Test func postTrainsOnRankedChainsLikeTheTrainerAndSavesTheModel() async throws {
        let (interpreter, project) = try Self.interpreter()
        defer { try? FileManager.default.removeItem(at: project) }
        try await runCell(interpreter, Self.setup)
        let result = try await runCell(
            interpreter,
            "tuned = posttrain base on=chains epochs=2 lr=1e-3 max_length=16 order_weight=0.5 temperature=0.1 seed=3")

        // The verb is the trainer on the chains with the base model as teacher: same losses, step for step.
        guard case .object(let base as EncoderObject)? = interpreter.variables["base"],
            case .object(let chains as SyntheticSet)? = interpreter.variables["chains"],
            case .object(let tuned as EncoderObject)? = interpreter.variables["tuned"]
        else {
            Issue.record("missing variables")
            return
        }
        #expect(chains.accepted.map(\.texts.count) == [5, 5])
        let lists = try PostTrainCommand.examples(
            chains.accepted.map(\.texts), student: base.encoder, teacher: base.encoder, maxLength: 16) { _, _ in }
        var options = TrainingOptions()
        options.epochs = 2
        options.learningRate = 1e-3
        options.seed = 3
        let expected = SentenceListTrainer(
            options: options, loss: ListMLELoss(temperature: 0.1, orderWeight: 0.5)
        ).train(base.encoder.encoder, lists: lists)
        #expect(tuned.losses == expected.losses.map(Double.init))
        #expect(tuned.losses.count == 4)
        #expect(tuned.losses.allSatisfy { $0.isFinite && $0 > 0 })

        // Saved in sentence-transformers layout under .synthlab/models/<run>/<name>, loaded back unchanged.
        let folder = project.appendingPathComponent(".synthlab/models/repl/tuned")
        #expect(tuned.encoder.folder.standardizedFileURL.path == folder.standardizedFileURL.path)
        for file in ["model.safetensors", "config.json", "vocab.txt", "modules.json", "1_Pooling/config.json"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
        let texts = ["cats purr", "the protein market"]
        let reloaded = try SentenceEncoder.load(folder: folder)
        #expect(reloaded.embed(texts) == tuned.encoder.embed(texts))
        #expect(reloaded.embed(texts) != base.encoder.embed(texts))
        let trainerOutput = SentenceEncoder(
            folder: folder, tokenizer: base.encoder.tokenizer, encoder: expected.encoder, layout: base.encoder.layout)
        #expect(reloaded.embed(texts) == trainerOutput.embed(texts))

        #expect(
            result.outputs.first
                == .text(
                    "posttrain tuned: 2 chains (10 sentences), 4 steps, ListMLE loss "
                        + "\(formatFixed(tuned.losses[0], digits: 3)) → \(formatFixed(tuned.losses[3], digits: 3)); "
                        + "saved to .synthlab/models/repl/tuned"))
        #expect(result.outputs.contains { if case .plot = $0 { true } else { false } })
    }

    @Test func batchAccumulatesChainsAndTeacherChangesTargets() async throws {
        let (interpreter, project) = try Self.interpreter()
        defer { try? FileManager.default.removeItem(at: project) }
        try await runCell(interpreter, Self.setup)
        try await runCell(
            interpreter,
            """
            other = encoder "tiny-bert"
            a = posttrain base on=chains batch=2 lr=1e-3 max_length=16 name="a"
            b = posttrain base on=chains batch=2 lr=1e-3 max_length=16 teacher=(posttrain other on=chains lr=1e-2 name="c") name="b"
            """)
        guard case .object(let a as EncoderObject)? = interpreter.variables["a"],
            case .object(let b as EncoderObject)? = interpreter.variables["b"]
        else {
            Issue.record("missing variables")
            return
        }
        #expect(a.losses.count == 1)  // 2 chains accumulated into one optimizer step
        #expect(b.losses.count == 1)
        #expect(a.losses != b.losses)  // another teacher gives other target orders
    }

    @Test(arguments: [
        (
            "posttrain base on=queries", "expected ranked sentence chains (from `synthesize ranked`), "
                + "found a synthetic_set of kind \"queries\""
        ),
        ("posttrain base on=chains order_weight=-1", "expected order_weight of 0 or more, found -1"),
        ("posttrain base on=chains temperature=0", "expected a positive temperature, found 0"),
        ("posttrain base on=chains epochs=0", "expected epochs of at least 1, found 0"),
        ("posttrain base on=chains batch=0", "expected batch of at least 1, found 0"),
        ("posttrain base on=chains lr=0", "expected a positive lr, found 0"),
        ("posttrain base on=chains max_length=2", "expected max_length of at least 4, found 2"),
        ("posttrain base on=chains name=\"../x\"", "expected a plain folder name for the model, found \"../x\""),
    ])
    func rejectsBadArguments(_ source: String, _ message: String) async throws {
        let (interpreter, project) = try Self.interpreter()
        defer { try? FileManager.default.removeItem(at: project) }
        try await runCell(interpreter, Self.setup)
        interpreter.restore("queries", .object(SyntheticSet(kind: "queries")))
        do {
            try await runCell(interpreter, "x = " + source)
            Issue.record("expected an error for \(source)")
        } catch let error as Diagnostic {
            #expect(error.message == message)
            #expect(error.location?.line == 1)
        }
    }

    @Test func rejectsASetWithoutUsableChains() async throws {
        let (interpreter, project) = try Self.interpreter()
        defer { try? FileManager.default.removeItem(at: project) }
        try await runCell(interpreter, "base = encoder \"tiny-bert\"")
        var record = SyntheticRecord(id: "r:0", kind: "ranked-chain", query: "cats purr", texts: ["cats purr", "dogs"])
        record.reject("chain shorter than 3 sentences")
        interpreter.restore("empty", .object(SyntheticSet(kind: "ranked", records: [record])))
        do {
            try await runCell(interpreter, "x = posttrain base on=empty")
            Issue.record("expected an error")
        } catch let error as Diagnostic {
            #expect(error.message == "expected at least 1 accepted chain of 3 or more sentences, found none")
            #expect(error.notes == ["1 chains, 0 accepted"])
        }
    }

    @Test func checkerRejectsAMisspeltArgumentAndAWrongType() async throws {
        let interpreter = try makeInterpreter()
        interpreter.restore("queries", .object(SyntheticSet(kind: "queries")))
        let misspelt = try #require(
            try await diagnostic(in: interpreter, "x = posttrain (encoder minilm) on=queries order_wieght=1", line: 1))
        #expect(misspelt.notes.contains("did you mean `order_weight`?"))
        let wrongType = try #require(try await diagnostic(in: interpreter, "x = posttrain (encoder minilm) on=3", line: 1))
        #expect(wrongType.message.contains("synthetic_set"))
    }

    @Test func sentencePairsOfferAStableSpreadSampleOfFirstSentences() {
        let pairs = SentencePairs(
            name: "x", split: "train",
            pairs: ["a", "b", "a", "c", "d", "e"].map { SentencePairs.Pair(first: $0, second: "s", score: 1) })
        let sample = pairs.sampledSentences
        #expect(sample.sorted() == ["a", "b", "c", "d", "e"])
        #expect(sample == pairs.sampledSentences)
        // FNV-1a 64 test vectors (Fowler/Noll/Vo reference): "" and "a".
        #expect(SentencePairs.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(SentencePairs.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(sample == ["a", "b", "c", "d", "e"].sorted { SentencePairs.fnv1a($0) < SentencePairs.fnv1a($1) })
        guard case .list(let items)? = pairs.field("sentences") else {
            Issue.record("expected a list")
            return
        }
        #expect(items.map { if case .string(let s) = $0 { s } else { "" } } == sample)
    }
}

@Suite struct BootstrapVerbTests {
    static let gold: [Double] = (0..<60).map { Double(($0 * 37) % 60) / 12 }

    @Test func identicalSystemsDifferByExactlyZero() {
        let noisy = Self.gold.enumerated().map { $0.element + Double(($0.offset * 13) % 7) }
        let result = BootstrapCommand.intervals(
            cosines: [noisy, noisy], gold: Self.gold, trials: 200, level: 0.95, seed: 1)
        #expect(result[0].delta == nil)
        let delta = try! #require(result[1].delta)
        #expect(delta.value == 0 && delta.low == 0 && delta.high == 0 && delta.p == 1)
        #expect(result[0].low < result[0].spearman && result[0].spearman < result[0].high)
        // Seeded: the same seed gives the same intervals, another seed other ones.
        #expect(
            BootstrapCommand.intervals(cosines: [noisy], gold: Self.gold, trials: 200, level: 0.95, seed: 1)[0]
                == result[0])
        #expect(
            BootstrapCommand.intervals(cosines: [noisy], gold: Self.gold, trials: 200, level: 0.95, seed: 2)[0]
                != result[0])
    }

    @Test func aPerfectSystemBeatsANoisyOneSignificantly() {
        let noisy = Self.gold.enumerated().map { $0.element + Double(($0.offset * 13) % 7) }
        let result = BootstrapCommand.intervals(
            cosines: [noisy, Self.gold], gold: Self.gold, trials: 500, level: 0.95, seed: 3)
        #expect(abs(result[1].spearman - 100) < 1e-9 && abs(result[1].low - 100) < 1e-9 && abs(result[1].high - 100) < 1e-9)
        let delta = try! #require(result[1].delta)
        #expect(abs(delta.value - (100 - result[0].spearman)) < 1e-9)
        #expect(delta.low > 0 && delta.p < 0.01)
    }

    @Test func runsOnSentencePairsAndRejectsBadArguments() async throws {
        let (interpreter, project) = try PostTrainVerbTests.interpreter()
        defer { try? FileManager.default.removeItem(at: project) }
        let pairs = SentencePairs(
            name: "tiny", split: "test",
            pairs: [
                ("cats purr", "cats purr", 5.0), ("dogs bark", "the market", 0.5), ("p53 protein", "a protein", 3.0),
                ("the dogs", "dogs bark", 3.5), ("a market", "cats", 0.2),
            ].map { SentencePairs.Pair(first: $0.0, second: $0.1, score: $0.2) })
        interpreter.restore("pairs", .object(pairs))
        let result = try await runCell(
            interpreter, "base = encoder \"tiny-bert\"\nother = encoder \"tiny-bert\"\nci = bootstrap base other on=pairs trials=50")
        guard case .table(let table)? = result.outputs.first else {
            Issue.record("expected a table")
            return
        }
        #expect(table.rows.map(\.label) == ["base", "other"])
        #expect(table.rows[1].cells[2].text == "0.00")
        #expect(table.rows[1].cells[4].text == "1.000")
        for (source, message) in [
            ("x = bootstrap base on=pairs trials=5", "expected at least 10 trials, found 5"),
            ("x = bootstrap base on=pairs level=1.5", "expected a level between 0 and 1, found 1.5"),
        ] {
            do {
                try await runCell(interpreter, source)
                Issue.record("expected an error for \(source)")
            } catch let error as Diagnostic {
                #expect(error.message == message)
            }
        }
    }
}
