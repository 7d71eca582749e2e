import Foundation
import SynthCommands
import SynthModels
import SynthSynthesis
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// `evaluate mauve` through the interpreter: feature vectors against `mauve-text` itself, the record's
/// fields with `plot` and `table`, texts embedded by MiniLM, and the error messages.
@Suite struct MAUVEVerbTests {
    /// Three well-separated blobs in 3 dimensions; `counts` points per blob with a small deterministic jitter.
    static func blobs(_ counts: [Int], offset: Int) -> [[Double]] {
        var rows: [[Double]] = []
        for (blob, count) in counts.enumerated() {
            for i in 0..<count {
                let t = Double(i + offset)
                var row = [sin(t * 1.7) * 0.4, cos(t * 2.3) * 0.4, sin(t * 0.9 + 1) * 0.4]
                row[blob] += 8
                rows.append(row)
            }
        }
        return rows
    }

    static func value(_ rows: [[Double]]) -> Value { .list(rows.map { .list($0.map(Value.double)) }) }

    /// `mauve-text`'s `compute_mauve(p_features=a, q_features=b, num_buckets=clusters).mauve`.
    static func reference(_ a: [[Double]], _ b: [[Double]], clusters: Int) throws -> Double {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.json")
        try JSONSerialization.data(withJSONObject: ["a": a, "b": b]).write(to: input)
        let script = """
            import json, sys, warnings; warnings.filterwarnings("ignore")
            import numpy as np; from mauve import compute_mauve
            d = json.load(open(sys.argv[1]))
            r = compute_mauve(p_features=np.array(d["a"]), q_features=np.array(d["b"]), num_buckets=\(clusters))
            print(repr(float(r.mauve)))
            """
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments = ["-c", script, input.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(Double(text), "mauve-text answered \(text) (scripts/setup installs mauve-text)")
    }

    @Test func featureVectorsMatchMauveTextAndPlot() async throws {
        let a = Self.blobs([12, 5, 3], offset: 0)
        let b = Self.blobs([4, 6, 10], offset: 50)
        let interpreter = try makeInterpreter()
        interpreter.restore("gen", Self.value(a))
        interpreter.restore("ref", Self.value(b))
        let result = try await runCell(
            interpreter,
            """
            m = evaluate mauve a=gen b=ref clusters=3 label="blobs"
            p = plot line x=m.frontier_x y={frontier: m.frontier_y} title="divergence frontier"
            t = table {blobs: m.scores}
            print m.clusters m.a_count m.b_count
            """)
        let expected = try Self.reference(a, b, clusters: 3)
        guard case .record(let record)? = interpreter.variables["m"], let mauve = record["mauve"]?.doubleValue else {
            Issue.record("expected a record with mauve")
            return
        }
        #expect(abs(mauve - expected) < 1e-6, "synthlab \(mauve) vs mauve-text \(expected)")
        #expect(result.results["blobs"]?["mauve"]?["mauve"] == mauve)
        #expect(result.outputs.last == .text("3 20 20"))
        if case .text(let line) = result.outputs.first {
            #expect(line.hasPrefix("MAUVE \(formatFixed(mauve, digits: 4)) (MAUVE* "))
            #expect(line.hasSuffix("20 vs 20 texts, 3 clusters, 2 PCA dimensions"))
        } else {
            Issue.record("expected the one-line summary first, found \(result.outputs)")
        }
        let frontier = try #require(record["frontier_x"])
        guard case .list(let xs) = frontier else { throw MAUVEVerbFailure() }
        #expect(xs.count == 27 && xs.first?.doubleValue == 1 && xs.last?.doubleValue == 0)
    }

    @Test func identicalSetsScoreOne() async throws {
        let interpreter = try makeInterpreter()
        let a = Self.blobs([5, 5, 5], offset: 0)
        interpreter.restore("x", Self.value(a))
        try await runCell(interpreter, "m = evaluate mauve a=x b=x clusters=3")
        // Equal histograms: 1 up to rounding in KL(Q ‖ λP + (1 − λ)Q), as in mauve-text.
        let mauve = try #require(interpreter.variables["m"]?.field("mauve")?.doubleValue)
        #expect(abs(mauve - 1) < 1e-12)
        #expect(interpreter.variables["m"]?.field("frontier_integral")?.doubleValue == 0)
    }

    @Test(arguments: [
        (
            "m = evaluate mauve a=vecs b=[\"some text\"]",
            "expected `a` and `b` both as texts or both as feature vectors, found feature vectors and texts"
        ),
        ("m = evaluate mauve a=[\"\", \"\"] b=[\"x\"]", "expected at least one non-empty text in `a`, found none"),
        (
            "m = evaluate mauve a=vecs b=vecs clusters=30",
            "expected at least as many texts as clusters (30), found 12"
        ),
        (
            "m = evaluate mauve a=vecs b=[[1, 2], [3, 4]]",
            "expected feature vectors of one length in `a` and `b`, found 3 and 2 numbers"
        ),
        (
            "m = evaluate mauve a=[[1, 2], [1]] b=vecs",
            "expected 2 numbers in every vector of `a`, found 1 in item 2"
        ),
    ])
    func runtimeErrorsNameTheProblem(source: String, message: String) async throws {
        let interpreter = try makeInterpreter()
        interpreter.restore("vecs", Self.value(Self.blobs([2, 2, 2], offset: 0)))
        do {
            try await runCell(interpreter, source)
            Issue.record("expected an error for \(source)")
        } catch let error as Diagnostic {
            #expect(error.message == message)
            #expect(error.location?.line == 1)
        }
    }

    @Test(arguments: [
        (
            "m = evaluate mauve a=[\"x\"] b=[\"y\"] clusters=0",
            "expected a positive number, found 0 in argument `clusters` of `evaluate mauve`"
        ),
        (
            "m = evaluate mauve a=[\"x\"] b=[\"y\"] explained_variance=1.5",
            "expected a number between 0 and 1, found 1.5000 in argument `explained_variance` of `evaluate mauve`"
        ),
        (
            "m = evaluate mauve a=3 b=[\"y\"]",
            "expected list of string, list of list of number, synthetic_set or dataset for argument `a` of "
                + "`evaluate mauve`, found int"
        ),
        ("m = evaluate mauve b=[\"y\"]", "missing required argument `a` for `evaluate mauve`"),
        (
            "m = evaluate mauve a=[\"x\"] b=[\"y\"] encoder=bert",
            "expected one of \"minilm\", \"smollm2\" or encoder for argument `encoder` of `evaluate mauve`, "
                + "found string"
        ),
    ])
    func checkErrorsBeforeRunning(source: String, message: String) async throws {
        let interpreter = try makeInterpreter()
        do {
            try await runCell(interpreter, source)
            Issue.record("expected an error for \(source)")
        } catch let error as Diagnostic {
            #expect(error.message == message)
            #expect(error.location?.line == 1)
        }
    }

    /// Texts from a list and from a dataset's queries, embedded by MiniLM (the default encoder).
    @Test(
        .enabled(
            if: FileManager.default.fileExists(
                atPath: SentenceEncoder.defaultFolder().appendingPathComponent("modules.json").path),
            "needs MiniLM from scripts/setup"))
    func textsAreEmbeddedWithMiniLM() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        let result = try await runCell(
            interpreter,
            """
            data = load "./tiny"
            gen = ["vitamin d and bone health", "heart disease and sleep", "cancer risk from smoking"]
            m = evaluate mauve a=gen b=data split="test" clusters=2
            docs = evaluate mauve a=gen b=data texts="corpus" clusters=2 limit=4
            mixed = evaluate mauve a=data b=data split="test" b_texts="corpus" clusters=2 limit=5
            print m.a_count m.b_count docs.b_count mixed.a_count mixed.b_count
            """)
        #expect(result.outputs.last == .text("3 3 4 3 5"))
        #expect(result.filesRead.keys.contains { $0.hasSuffix("model.safetensors") })
        let mauve = try #require(interpreter.variables["m"]?.field("mauve")?.doubleValue)
        #expect(mauve > 0 && mauve <= 1)
    }

    /// Texts featurised by the core's SmolLM2-135M: the last token's final hidden state (576 numbers).
    @Test func textsAreFeaturisedWithSmolLM2HiddenStates() async throws {
        let interpreter = try makeInterpreter()
        let result = try await runCell(
            interpreter,
            """
            gen = ["vitamin d and bone health", "heart disease and sleep", "cancer risk from smoking"]
            ref = ["coffee and the liver", "exercise lowers blood pressure", "fiber and colon cancer"]
            m = evaluate mauve a=gen b=ref encoder=smollm2 clusters=2
            same = evaluate mauve a=gen b=gen encoder=smollm2 clusters=2
            print m.feature_dimension m.a_count same.mauve
            """)
        #expect(result.outputs.last == .text("576 3 1.0000"))
        #expect(result.filesRead.keys.contains { $0.hasSuffix("smollm2-135m-instruct-q4_1.gguf") })
    }

    /// A synthetic set contributes its accepted records' queries (or their texts when they have no query).
    @Test func syntheticSetsGiveTheirAcceptedTexts() async throws {
        let set = SyntheticSet(
            kind: "queries",
            records: [
                SyntheticRecord(id: "1", kind: "queries", query: "does vitamin d prevent fractures"),
                SyntheticRecord(id: "2", kind: "queries", query: "too short", accepted: false, rejection: "short"),
                SyntheticRecord(id: "3", kind: "queries", query: "what causes heart disease"),
                SyntheticRecord(id: "4", kind: "sentences", texts: ["sleep and memory", "coffee and the liver"]),
            ])
        let interpreter = try makeInterpreter()
        interpreter.restore("synthetic", .object(set))
        let result = try await runCell(
            interpreter,
            """
            m = evaluate mauve a=synthetic b=["smoking and lung cancer", "fiber and colon cancer"]
            print m.a_count m.b_count m.clusters
            """)
        #expect(result.outputs.last == .text("4 2 2"))
    }
}

private struct MAUVEVerbFailure: Error {}
