import Foundation
import SynthTestSupport
import Testing

/// `synthlab trec-eval` through the built binary: output layout, JSON, errors and pytrec_eval parity.
@Suite struct TrecEvalCLITests {
    static func files(qrels: String, run: String) throws -> (folder: URL, qrels: String, run: String) {
        let folder = try TestPaths.temporaryFolder()
        try qrels.write(to: folder.appendingPathComponent("qrels.tsv"), atomically: true, encoding: .utf8)
        try run.write(to: folder.appendingPathComponent("test.run"), atomically: true, encoding: .utf8)
        return (folder, folder.appendingPathComponent("qrels.tsv").path, folder.appendingPathComponent("test.run").path)
    }

    static let smallQrels = "query-id\tcorpus-id\tscore\r\nq1\ta\t1\r\nq1\tb\t2\r\nq2\tc\t1\r\nq3\tc\t1\r\n"
    static let smallRun = "q1 Q0 a 1 1.0 t\nq1 Q0 b 2 2.0 t\nq2 Q0 x 1 1 t\nq9 Q0 c 1 1 t\n"

    @Test func printsTrecEvalLayout() throws {
        let (folder, qrels, run) = try Self.files(qrels: Self.smallQrels, run: Self.smallRun)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try BM25CLITests.synthlab(["trec-eval", qrels, run, "-m", "ndcg_cut.10,100", "-m", "P.1"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            ndcg_cut_10           \tall\t0.5000
            ndcg_cut_100          \tall\t0.5000
            P_1                   \tall\t0.5000

            """)
        let perQuery = try BM25CLITests.synthlab(["trec-eval", "-q", qrels, run, "-m", "recip_rank"])
        #expect(perQuery.stdout == """
            recip_rank            \tq1\t1.0000
            recip_rank            \tq2\t0.0000
            recip_rank            \tall\t0.5000

            """)
        let complete = try BM25CLITests.synthlab(["trec-eval", "-c", qrels, run, "-m", "map"])
        #expect(complete.stdout == "map                   \tall\t0.3333\n")
        let defaults = try BM25CLITests.synthlab(["trec-eval", qrels, run])
        #expect(defaults.stdout.split(separator: "\n").map { $0.split(separator: " ")[0] }
            == ["map", "recip_rank", "P_10", "recall_100", "ndcg_cut_10"])
    }

    @Test func printsJSON() throws {
        let (folder, qrels, run) = try Self.files(qrels: Self.smallQrels, run: Self.smallRun)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try BM25CLITests.synthlab(["trec-eval", qrels, run, "--json", "-m", "map", "-m", "P.2"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["mean"] as? [String: Double] == ["map": 0.5, "P_2": 0.5])
        #expect(object["per_query"] as? [String: [String: Double]]
            == ["q1": ["map": 1, "P_2": 1], "q2": ["map": 0, "P_2": 0]])
    }

    @Test func reportsBadInputOnceWithLocation() throws {
        let (folder, qrels, run) = try Self.files(qrels: "q1 0 a one\n", run: "q1 Q0 a 1 1.0 t\nq1 Q0 b 2\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let badQrels = try BM25CLITests.synthlab(["trec-eval", qrels, run])
        #expect(badQrels.status == 1)
        #expect(badQrels.stdout == "")
        #expect(badQrels.stderr == "\(qrels):1:8: error: expected an integer grade, found 'one'\n    q1 0 a one\n           ^\n")

        try "q1 0 a 1\n".write(toFile: qrels, atomically: true, encoding: .utf8)
        let badRun = try BM25CLITests.synthlab(["trec-eval", qrels, run])
        #expect(badRun.status == 1)
        #expect(badRun.stderr.hasPrefix(
            "\(run):2:1: error: expected 'qid Q0 docid rank score tag' (6 fields), found 4 fields\n"))

        let unknown = try BM25CLITests.synthlab(["trec-eval", qrels, run, "-m", "ndcg@10"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == """
            error: expected a measure (ndcg, ndcg_cut.k, recall.k, P.k, recip_rank, recip_rank.k, map, map_cut.k), \
            found 'ndcg@10'
              note: did you mean 'ndcg_cut.10'?

            """)

        let missing = try BM25CLITests.synthlab(["trec-eval", "/nonexistent/qrels.tsv", run])
        #expect(missing.status == 1)
        #expect(missing.stderr == "/nonexistent/qrels.tsv: error: cannot read file: no such file\n")
        #expect(!missing.stderr.contains("Fatal") && !missing.stderr.contains("Stack"))
    }

    @Test func helpExitsZero() throws {
        let help = try BM25CLITests.synthlab(["trec-eval", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: synthlab trec-eval <qrels> <run>"))
    }

    /// SciFact test qrels with a generated run with ties, `-q --json`, against pytrec_eval.
    @Test func matchesPytrecEvalOnSciFact() throws {
        let qrelsPath = TestPaths.sharedData.appendingPathComponent("scifact/qrels/test.tsv").path
        let lines = try String(contentsOfFile: qrelsPath, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        var judged: [String: [String: Int]] = [:]
        for line in lines {
            let fields = line.split(separator: "\t").map(String.init)
            judged[fields[0], default: [:]][fields[1]] = Int(fields[2])!
        }
        let documents = Array(Set(judged.values.flatMap(\.keys))).sorted()
        var runText = ""
        var run: [String: [String: Double]] = [:]
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for query in judged.keys.sorted() where next(10) != 0 {
            var scores: [String: Double] = [:]
            for document in Array(judged[query]!.keys) + (0..<30).map({ _ in documents[next(documents.count)] }) {
                scores[document] = Double(next(8)) / 4
            }
            run[query] = scores
            for (rank, (document, score)) in scores.enumerated() { runText += "\(query) Q0 \(document) \(rank + 1) \(score) gen\n" }
        }
        run["no-such-query"] = ["d": 1]
        runText += "no-such-query Q0 d 1 1 gen\n"
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let runPath = folder.appendingPathComponent("gen.run").path
        try runText.write(toFile: runPath, atomically: true, encoding: .utf8)
        let measures = ["ndcg_cut.10", "recall.100", "P.10", "recip_rank", "map", "map_cut.100"]
        let result = try BM25CLITests.synthlab(
            ["trec-eval", qrelsPath, runPath, "-q", "--json"] + measures.flatMap { ["-m", $0] })
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let ours = try #require(object["per_query"] as? [String: [String: Double]])
        let mean = try #require(object["mean"] as? [String: Double])

        let request: [String: Any] = ["cases": [["name": "scifact", "qrels": judged, "run": run, "measures": measures]]]
        let requestURL = folder.appendingPathComponent("request.json")
        try JSONSerialization.data(withJSONObject: request).write(to: requestURL)
        let python = Process()
        python.executableURL = TestPaths.python
        python.arguments = [
            TestPaths.root.appendingPathComponent("Tests/SynthMetricsTests/Fixtures/pytrec_reference.py").path,
            requestURL.path,
        ]
        let out = Pipe()
        python.standardOutput = out
        try python.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        python.waitUntilExit()
        let response = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let theirs = try #require((response["cases"] as? [String: [String: [String: Double]]])?["scifact"])
        #expect(Set(ours.keys) == Set(theirs.keys))
        for measure in measures {
            let name = measure.replacingOccurrences(of: ".", with: "_")
            for (query, values) in theirs {
                #expect(abs((ours[query]?[name] ?? .nan) - values[measure]!) <= 1e-6, "\(query) \(measure)")
            }
            let expectedMean = theirs.values.reduce(0) { $0 + $1[measure]! } / Double(theirs.count)
            #expect(abs(mean[name]! - expectedMean) <= 1e-6, "mean \(measure)")
        }
    }
}
