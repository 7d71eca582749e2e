import Foundation
import SynthCommands
import SynthModels
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

@Suite struct EncoderVerbTests {
    /// Loads MiniLM through the verb and embeds one short text (debug builds run the model slowly, so
    /// this stays minimal; numeric parity with sentence-transformers is the models module's test).
    /// Opt-in (`SYNTHLAB_MODEL_TESTS=1`): loading MiniLM takes minutes in debug builds.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["SYNTHLAB_MODEL_TESTS"] == "1"
                && FileManager.default.fileExists(
                    atPath: SentenceEncoder.defaultFolder().appendingPathComponent("modules.json").path),
            "needs MiniLM and SYNTHLAB_MODEL_TESTS=1"))
    func encodesTextsToUnitVectors() async throws {
        let interpreter = try makeInterpreter()
        let result = try await runCell(
            interpreter,
            """
            enc = encoder minilm
            vectors = encode ["vitamin d"] encoder=enc
            print enc.dimension
            """)
        #expect(result.outputs == [.text("384")])
        #expect(result.filesRead.keys.contains { $0.hasSuffix("model.safetensors") })
        guard case .list(let vectors)? = interpreter.variables["vectors"], case .list(let first)? = vectors.first else {
            Issue.record("expected a list of vectors")
            return
        }
        let values = first.compactMap(\.doubleValue)
        #expect(vectors.count == 1 && values.count == 384)
        #expect(abs(values.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
    }

    @Test func missingModelFolderIsReportedAtTheStatement() async throws {
        let project = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        do {
            try await runCell(interpreter, "x = 1\nenc = encoder \"models/none\"")
            Issue.record("expected an error")
        } catch let error as Diagnostic {
            #expect(error.message == "cannot access model file: no such model folder")
            #expect(error.location?.file == project.appendingPathComponent("models/none").path)
            #expect(error.notes == ["while running `encoder` at cell.synth:2:7"])
        }
    }

    @Test func loadsSentencePairsWithCountsAndHashes() async throws {
        let interpreter = try makeInterpreter()
        let result = try await runCell(
            interpreter,
            """
            pairs = load sts name="stsb" split="test"
            sick = load sts name="sickr" split="trial"
            print pairs.count sick.count
            """)
        #expect(result.outputs == [.text("1379 495")])
        let sums = try String(
            contentsOf: TestPaths.sharedData.appendingPathComponent("stsb/SHA256SUMS"), encoding: .utf8)
        let hash = try #require(result.filesRead.first { $0.key.hasSuffix("stsb/stsb.tsv") }?.value)
        #expect(sums.contains(hash))
        do {
            try await runCell(interpreter, "bad = load sts name=\"sickr\" split=\"tets\"")
            Issue.record("expected an error")
        } catch let error as Diagnostic {
            #expect(error.message == "expected a split of sickr (test, train, trial), found \"tets\"")
            #expect(error.notes.first == "did you mean `test`?")
        }
    }

    /// Opt-in like the encoder test: STS-B test with MiniLM (sentence-transformers reports Spearman 82.0).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SYNTHLAB_MODEL_TESTS"] == "1"))
    func similarityOfMiniLMOnSTSBenchmark() async throws {
        let interpreter = try makeInterpreter()
        let result = try await runCell(
            interpreter, "minilm = encoder minilm\ns = similarity minilm on=(load sts split=\"test\")")
        let spearman = try #require(result.results["s"]?["minilm"]?["spearman"])
        #expect(abs(spearman - 82.0) < 1.0)
    }

    /// Opt-in: two MNRL steps on the tiny dataset, then the saved model is loaded back and used.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SYNTHLAB_MODEL_TESTS"] == "1"))
    func trainsSavesAndReloadsAModel() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        let result = try await runCell(
            interpreter,
            """
            data = load "./tiny"
            tuned = train (encoder minilm) on=data split="test" epochs=2 batch=2 lr=1e-4
            v = encode ["vitamin d"] encoder=tuned
            print tuned.steps
            """)
        #expect(result.outputs.last == .text("2"))
        guard case .object(let object as EncoderObject)? = interpreter.variables["tuned"] else {
            Issue.record("expected an encoder")
            return
        }
        #expect(object.losses.count == 2 && object.losses.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(object.encoder.folder.path.hasSuffix(".synthlab/models/repl/tuned/checkpoint-2"))
        #expect(result.outputs.contains { if case .plot = $0 { true } else { false } })
    }

    /// Opt-in: dense retrieval with MiniLM on the tiny dataset, searched and evaluated beside BM25.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SYNTHLAB_MODEL_TESTS"] == "1"))
    func denseRetrievalEvaluatesBesideBM25() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        let result = try await runCell(
            interpreter,
            """
            data = load "./tiny"
            minilm = dense (encoder minilm) data
            run2 = search minilm on=data top_k=3
            both = evaluate (bm25 data) minilm on=data
            print minilm.docs run2.depth
            """)
        #expect(result.outputs.last == .text("6 3"))
        let scores = try #require(result.results["both"])
        #expect(scores.keys.sorted() == ["bm25", "minilm"])
        #expect((scores["minilm"]?["ndcg_cut.10"] ?? 0) > 0.5)
        let cached = try FileManager.default.contentsOfDirectory(
            atPath: project.appendingPathComponent(".synthlab/dense").path)
        #expect(cached.count == 1)
    }
}
