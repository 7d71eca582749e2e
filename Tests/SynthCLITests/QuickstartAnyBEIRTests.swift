import Foundation
import SynthTestSupport
import Testing

/// The README's promise: `synthlab run notebooks/quickstart.md --param data=<BEIR folder>` runs the
/// quickstart unchanged on a dataset that is not SciFact. The dataset here is real text in another
/// domain: STS Benchmark test pairs turned into retrieval (a first sentence is the query, its pair's
/// second sentence the judged document when they score ≥ 4 of 5), written as a BEIR folder. The
/// teacher is the real embedded Qwen2.5-Coder-0.5B, asked for three queries only.
@Suite(.serialized) struct QuickstartAnyBEIRTests {
    /// A BEIR folder from the first `pairs` STS-B test pairs: corpus = second sentences, queries = first
    /// sentences of pairs scoring at least 4, qrels `test` linking each query to its pair.
    static func writeSTSRetrieval(into project: CLIProject, folder: String, pairs: Int) throws -> Int {
        let tsv = try String(
            contentsOf: TestPaths.sharedData.appendingPathComponent("stsb/stsb.tsv"), encoding: .utf8)
        var rows: [[Substring]] = []
        for line in tsv.split(separator: "\n").dropFirst() where rows.count < pairs {
            let fields: [Substring] = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count == 4, fields[3] == "test" { rows.append(fields) }
        }
        func json(_ text: Substring) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: String(text), options: .fragmentsAllowed), as: UTF8.self)
        }
        var corpus = "", queries = "", qrels = "query-id\tcorpus-id\tscore\n", judged = 0
        for (i, row) in rows.enumerated() {
            corpus += "{\"_id\": \"s\(i)\", \"title\": \"\", \"text\": \(try json(row[1]))}\n"
            guard let score = Double(row[2]), score >= 4 else { continue }
            queries += "{\"_id\": \"q\(i)\", \"text\": \(try json(row[0]))}\n"
            qrels += "q\(i)\ts\(i)\t1\n"
            judged += 1
        }
        try project.write("\(folder)/corpus.jsonl", corpus)
        try project.write("\(folder)/queries.jsonl", queries)
        try project.write("\(folder)/qrels/test.tsv", qrels)
        return judged
    }

    @Test func quickstartRunsUnchangedOnAnotherBEIRFolder() throws {
        let project = try CLIProject()
        defer { project.remove() }
        let judged = try Self.writeSTSRetrieval(into: project, folder: "sts-retrieval", pairs: 80)
        #expect(judged >= 10)
        let notebook = try String(
            contentsOf: TestPaths.root.appendingPathComponent("notebooks/quickstart.md"), encoding: .utf8)
        try project.write("quickstart.md", notebook)
        let result = try project.synthlab(
            [
                "run", "quickstart.md", "--quiet", "--param", "data=./sts-retrieval", "--param", "passages=3",
                "--param", "per_doc=1", "--param", "epochs=1",
            ],
            environment: ["SYNTHLAB_HOME": TestPaths.synthlabHome.path])
        #expect(result.status == 0, "\(result.stderr)")

        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(try project.read("reports/quickstart.json").utf8))
                as? [String: Any])
        let cells = try #require(report["cells"] as? [[String: Any]])
        func outputs(_ label: String) -> [[String: Any]] {
            cells.first { $0["label"] as? String == label }?["outputs"] as? [[String: Any]] ?? []
        }
        // The data cell shows the STS sentences, not SciFact.
        let shown = outputs("data").map { String(describing: $0) }.joined()
        #expect(shown.contains("sts-retrieval"), "\(shown.prefix(400))")
        // Three systems evaluated on the new dataset's judged queries, every score a probability.
        let table = try #require(outputs("evaluate").first { $0["type"] as? String == "table" })
        let rows = try #require(table["rows"] as? [[String: Any]])
        #expect(rows.compactMap { $0["label"] as? String } == ["bm25", "minilm", "minilm_tuned"])
        for row in rows {
            let numbers = (row["cells"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? Double }
            #expect(numbers.count == 2 && numbers.allSatisfy { (0...1).contains($0) }, "\(row)")
        }
        // The teacher wrote queries for the three passages, and the model was trained on the kept ones.
        let summary = outputs("summary").compactMap { $0["text"] as? String }
        let pairs = try #require(summary.first { $0.hasPrefix("training pairs: ") })
        let kept = try #require(Int(pairs.dropFirst("training pairs: ".count)))
        #expect((1...3).contains(kept), "\(summary)")
        let llm = try #require(report["llm"] as? [String: Any])
        #expect((llm["requests_new"] as? Int ?? 0) >= 3, "\(llm)")
    }
}
