import Foundation
import SynthCommands
import SynthMetrics
import SynthRetrieval
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

@Suite struct PipelineTests {
    /// load → bm25 → search → evaluate on real SciFact (first 40 test queries, full corpus), and the
    /// same numbers as calling the core APIs directly.
    @Test func sciFactBM25MatchesTheCoreAPIs() async throws {
        let project = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: project) }
        let scifact = TestPaths.sharedData.appendingPathComponent("scifact").path
        let interpreter = try makeInterpreter(params: ["data": .string(scifact)], project: project)
        let result = try await runCell(
            interpreter,
            """
            data = load params.data split="test" queries=40
            index = bm25 data k1=0.9 b=0.4
            run1 = search index on=data top_k=100
            results = evaluate run1 on=data measures=["ndcg_cut.10", "recall.100"] label="main"
            print data.docs data.queries results.ndcg_cut_10
            """)
        let dataset = try BEIRLoader.load(URL(fileURLWithPath: scifact), splits: ["test"])
        let queries = Array(try dataset.queries(split: "test").prefix(40))
        let run = BM25Index.build(documents: dataset.corpus, k1: 0.9, b: 0.4).search(queries, topK: 100)
        let qrels = Qrels(dataset.qrels["test"]!.judgements.filter { id in queries.contains { $0.id == id.key } })
        let expected = evaluate(qrels: qrels, run: run, measures: [.ndcgCut(10), .recall(100)])

        let main = try #require(result.results["main"]?["run1"])
        #expect(main["ndcg_cut.10"] == expected.mean[.ndcgCut(10)])
        #expect(main["recall.100"] == expected.mean[.recall(100)])
        #expect((0.4...0.9).contains(main["ndcg_cut.10"] ?? 0))
        #expect(result.outputs == [.text("5183 40 \(formatNumber(expected.mean[.ndcgCut(10)]!))")])
        // every data file read is hashed for the cache
        #expect(
            Set(result.filesRead.keys.map { URL(fileURLWithPath: $0).lastPathComponent })
                == ["corpus.jsonl.gz", "queries.jsonl", "test.tsv"])
        let sums = try String(contentsOf: URL(fileURLWithPath: scifact + "/SHA256SUMS"), encoding: .utf8)
        for (path, hash) in result.filesRead where !path.hasSuffix(".gz") {  // SHA256SUMS lists the plain corpus
            let name = path.hasSuffix("test.tsv") ? "qrels/test.tsv" : URL(fileURLWithPath: path).lastPathComponent
            #expect(sums.contains("\(hash)  \(name)"), "hash of \(name)")
        }
    }

    @Test func evaluatesSeveralSystemsAndComparesThem() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        let setup = try await runCell(interpreter, TinyBEIR.setup)
        #expect(setup.results["results"]?.keys.sorted() == ["bm25", "tuned"])
        let result = try await runCell(
            interpreter,
            """
            table results baseline="bm25"
            cmp = compare results baseline="bm25" test="randomization" trials=200
            print results.bm25.ndcg_cut_10 cmp.tuned.recall_100
            export run1 path="runs/bm25.trec"
            export {note: "two systems", evaluation: results} path="runs/results.json"
            """)
        guard case .table(let table) = result.outputs.first else {
            Issue.record("expected a table, found \(result.outputs)")
            return
        }
        #expect(table.columns == ["ndcg_cut.10", "recall.100"])
        #expect(table.rows.map(\.label) == ["bm25", "tuned"])
        #expect(table.legend == ["† p < 0.05, paired t-test against bm25 (no significant differences)"])
        let trec = try String(contentsOf: project.appendingPathComponent("runs/bm25.trec"), encoding: .utf8)
        #expect(trec.hasPrefix("q1 Q0 d1 1 "))
        #expect(trec.split(separator: "\n").allSatisfy { $0.split(separator: " ").count == 6 })
        // an evaluation inside a record is exported as its plain data (the means), not its one-line summary
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: project.appendingPathComponent("runs/results.json")))
        let exported = try #require(json as? [String: Any])
        #expect(exported["note"] as? String == "two systems")
        let evaluation = try #require(exported["evaluation"] as? [String: Any])
        let systems = try #require(evaluation["systems"] as? [String: [String: Double]])
        #expect(systems.keys.sorted() == ["bm25", "tuned"])
        #expect(systems["bm25"]?["ndcg_cut.10"] == setup.results["results"]?["bm25"]?["ndcg_cut.10"])
    }

    @Test func exportRefusesPathsOutsideTheProject() async throws {
        let project = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        for path in ["../escape.jsonl", "/tmp/escape.jsonl", "reports/../../escape.jsonl"] {
            do {
                try await runCell(interpreter, "export [1, 2] path=\"\(path)\"")
                Issue.record("expected \(path) to be refused")
            } catch let error as Diagnostic {
                #expect(error.message == "expected a path inside the project or output folder, found \"\(path)\"")
                #expect(error.location == SourceLocation(file: "cell.synth", line: 1, column: 1))
            }
        }
        try await runCell(interpreter, "export [{a: 1}, {a: 2}] path=\"reports/x.jsonl\"")
        let text = try String(contentsOf: project.appendingPathComponent("reports/x.jsonl"), encoding: .utf8)
        #expect(text == "{\"a\":1}\n{\"a\":2}\n")
    }

    @Test func showAndPlot() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        try await runCell(interpreter, TinyBEIR.setup)
        let result = try await runCell(
            interpreter,
            """
            show data n=1
            plot bar y=results
            plot line y={train: [0.9, 0.5, 0.25]} title="loss" xlabel="step"
            """)
        #expect(result.outputs.count == 3)
        #expect(
            result.outputs.first
                == .text(
                    """
                    dataset tiny: 6 docs, 3 queries, splits test (3 queries)
                    documents:
                      d1: Vitamin D — vitamin d deficiency is linked to bone fractures in elderly patients
                    queries (test):
                      q1: does vitamin d prevent fractures → d1
                    """))
        guard case .plot(let bars) = result.outputs[1], case .plot(let loss) = result.outputs[2] else {
            Issue.record("expected two plots")
            return
        }
        #expect(bars.kind == .bar && bars.series.map(\.name) == ["ndcg_cut.10", "recall.100"])
        #expect(bars.series[0].labels == ["bm25", "tuned"])
        #expect(loss.series == [Series(name: "train", x: [1, 2, 3], y: [0.9, 0.5, 0.25])])
        #expect(loss.title == "loss" && loss.xLabel == "step")
    }

    @Test func unknownMeasureIsACheckError() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        try await runCell(interpreter, TinyBEIR.setup)
        do {
            _ = try interpreter.prepare(
                "evaluate run1 on=data measures=[\"ndcg@10\"]", at: SourceLocation(file: "cell.synth", line: 1))
            Issue.record("expected an error")
        } catch {
            #expect(error.location?.column == 32)
            #expect(error.message.hasPrefix("expected a measure ("))
            #expect(error.message.hasSuffix("found 'ndcg@10' in argument `measures` of `evaluate`"))
        }
    }

    @Test func wrongObjectTypeIsACheckError() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        try await runCell(interpreter, TinyBEIR.setup)
        let error = try #require(try await diagnostic(in: interpreter, "r = search data on=data", line: 3))
        #expect(error.location == SourceLocation(file: "c", line: 3, column: 12))
        #expect(
            error.message == "expected bm25_index or dense_index for argument `retriever` of `search`, found dataset")
    }
}

/// The diagnostic that parsing and checking `source` raises in `interpreter`, if any.
func diagnostic(in interpreter: Interpreter, _ source: String, line: Int) async throws -> Diagnostic? {
    do {
        _ = try interpreter.prepare(source, at: SourceLocation(file: "c", line: line))
        return nil
    } catch {
        return error
    }
}
