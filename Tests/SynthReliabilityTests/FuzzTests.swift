import Foundation
import SynthCommands
import SynthLanguage
import SynthMetrics
import SynthModels
import SynthNotebook
import SynthRetrieval
import SynthTestSupport
import SynthValues
import Testing

/// Seeded mutational fuzzing of every reader of user files: no input may crash or hang the tool, and every
/// rejection must be a diagnostic that says what was wrong (a non-empty message, not a raw Swift error).
/// `scripts/fuzz` runs the same generators for a time budget (`SYNTHLAB_FUZZ_SECONDS`) outside CI.
@Suite struct FuzzTests {
    /// Asserts that a rejection is a user-facing diagnostic with a message.
    static func expectClear(_ error: any Error, _ input: [UInt8]) {
        let diagnostic = error.asDiagnostic
        #expect(!diagnostic.message.isEmpty, "empty message for input \(input.prefix(64))")
        #expect(!diagnostic.message.contains("Foundation."), "raw Swift error: \(diagnostic.message)")
    }

    static let notebookSeed = """
        ---
        title: "Fuzz"
        params:
          k: 10
          data: scifact
        ---

        # Heading

        Some *text* with `code`.

        ```synth
        #| label: first
        #| cache: false
        x = 1 + 2 * params.k
        y = [1, 2, {a: "b", c: [3.5, true]}]
        print "\\(x) done"
        ```

        ```python
        not synth
        ```

        ```synth
        show x
        ```
        """

    static let languageSeed = """
        # a comment
        data = load "scifact" split="test" docs=20
        bm = bm25 data k1=0.9 b=0.4
        run = search bm data top_k=100
        res = evaluate run data measures=["ndcg_cut.10", "recall.100"]
        table res
        x = [1, 2.5, -3, "s\\n\\"q\\"", true, {a: 1, "b c": [none]}]
        y = x[0] + params.k * (2 - 1) / 4
        f = x.a.b
        plot res kind="bar" title="t"
        """

    @Test func notebookParserNeverCrashes() throws {
        var rng = SplitMix64(seed: FuzzBudget.seed)
        var seeds = [Array(Self.notebookSeed.utf8)]
        for name in ["bm25-scifact.md", "walkthrough.md"] {
            let url = TestPaths.root.appendingPathComponent("notebooks/\(name)")
            if let data = try? Data(contentsOf: url) { seeds.append(Array(data.prefix(6000))) }
        }
        var accepted = 0, rejected = 0
        FuzzBudget(cases: 3000).run { index in
            let input = Mutator.mutate(seeds[index % seeds.count], using: &rng, rounds: 8)
            do {
                _ = try NotebookParser.parse(Mutator.text(input), path: "fuzz.md")
                accepted += 1
            } catch {
                Self.expectClear(error, input)
                #expect(error.asDiagnostic.location?.file == "fuzz.md", "no file in \(error)")
                rejected += 1
            }
        }
        #expect(accepted > 0 && rejected > 0)
    }

    @Test func languageParserAndCheckerNeverCrash() throws {
        var rng = SplitMix64(seed: FuzzBudget.seed &+ 1)
        let folder = try TestPaths.temporaryFolder()
        let interpreter = Interpreter(context: ExecutionContext(projectFolder: folder), importPaths: [])
        let seed = Array(Self.languageSeed.utf8)
        var accepted = 0, rejected = 0
        FuzzBudget(cases: 3000).run { _ in
            let input = Mutator.mutate(seed, using: &rng, rounds: 6)
            let source = Mutator.text(input)
            do {
                _ = try Parser.parse(source, at: SourceLocation(file: "fuzz.synth", line: 1, column: 1))
                _ = try interpreter.prepare(source, at: SourceLocation(file: "fuzz.synth", line: 1, column: 1))
                accepted += 1
            } catch {
                Self.expectClear(error, input)
                rejected += 1
            }
        }
        #expect(rejected > 0)
        _ = accepted
    }

    @Test func qrelsAndRunReadersNeverCrash() throws {
        var rng = SplitMix64(seed: FuzzBudget.seed &+ 2)
        let qrels = Array("query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq1\td2\t0\nq2 0 d3 2\n".utf8)
        let run = Array("q1 Q0 d1 1 12.5 bm25\nq1 Q0 d2 2 -3e2 bm25\r\nq2 Q0 d3 1 0.25 x\n".utf8)
        FuzzBudget(cases: 4000).run { index in
            let input = Mutator.mutate(index.isMultiple(of: 2) ? qrels : run, using: &rng)
            do {
                if index.isMultiple(of: 2) {
                    _ = try TrecFiles.parseQrels(Mutator.text(input), file: "fuzz.qrels")
                } else {
                    _ = try TrecFiles.parseRun(Mutator.text(input), file: "fuzz.run")
                }
            } catch {
                Self.expectClear(error, input)
                #expect("\(error)".contains("fuzz."), "no file name in \(error)")
            }
        }
    }

    @Test func beirLoaderNeverCrashes() throws {
        var rng = SplitMix64(seed: FuzzBudget.seed &+ 3)
        let folder = try TestPaths.temporaryFolder()
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("qrels"), withIntermediateDirectories: true)
        let corpus = Array(
            """
            {"_id": "d1", "title": "T", "text": "cells and \\"genes\\" \\u00e9"}
            {"_id": 2, "text": "numbers as ids", "metadata": {}}\r
            {"_id": "d3", "title": null, "text": "x"}
            """.utf8)
        let queries = Array("{\"_id\": \"q1\", \"text\": \"what\"}\n{\"_id\": \"q2\", \"text\": \"why\"}\n".utf8)
        let qrels = Array("query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\t2\t1\nq9\td1\t1\n".utf8)
        var loaded = 0
        FuzzBudget(cases: 600).run { index in
            var files = [corpus, queries, qrels]
            files[index % 3] = Mutator.mutate(files[index % 3], using: &rng)
            try? Data(files[0]).write(to: folder.appendingPathComponent("corpus.jsonl"))
            try? Data(files[1]).write(to: folder.appendingPathComponent("queries.jsonl"))
            try? Data(files[2]).write(to: folder.appendingPathComponent("qrels/test.tsv"))
            do {
                _ = try BEIRLoader.load(folder)
                loaded += 1
            } catch {
                Self.expectClear(error, files[index % 3])
                #expect("\(error)".contains(".jsonl") || "\(error)".contains(".tsv"), "\(error)")
            }
        }
        #expect(loaded > 0)
    }

    @Test func safetensorsReaderNeverCrashes() throws {
        var rng = SplitMix64(seed: FuzzBudget.seed &+ 4)
        let folder = try TestPaths.temporaryFolder()
        let file = folder.appendingPathComponent("model.safetensors")
        let valid = Array(
            SafeTensors.encode([
                "a.weight": HostTensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
                "b": HostTensor(shape: [1], values: [7]),
            ]))
        var rejected = 0
        FuzzBudget(cases: 2000).run { _ in
            var input = Mutator.mutate(valid, using: &rng)
            if Int.random(in: 0..<4, using: &rng) == 0, input.count >= 8 {
                // A hostile header length (including ones above Int.max).
                let length = [UInt64.max, UInt64(Int.max), 1 << 40, UInt64(input.count)].randomElement(using: &rng)!
                withUnsafeBytes(of: length.littleEndian) { input.replaceSubrange(0..<8, with: $0) }
            }
            try? Data(input).write(to: file)
            do {
                _ = try SafeTensors.read(file)
            } catch {
                Self.expectClear(error, input)
                rejected += 1
            }
        }
        #expect(rejected > 0)
    }
}
