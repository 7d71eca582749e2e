import Foundation
import SynthTestSupport

/// A tiny BEIR dataset written into a temporary project: 6 documents, 3 test queries.
enum TinyBEIR {
    /// Writes `tiny/` (corpus.jsonl, queries.jsonl, qrels/test.tsv) under `project` and returns the project.
    static func write(into project: URL) throws -> URL {
        let folder = project.appendingPathComponent("tiny")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("qrels"), withIntermediateDirectories: true)
        let corpus = [
            ("d1", "Vitamin D", "vitamin d deficiency is linked to bone fractures in elderly patients"),
            ("d2", "Sleep", "poor sleep quality increases the risk of heart disease"),
            ("d3", "Exercise", "regular exercise lowers blood pressure and improves heart health"),
            ("d4", "Diet", "a diet rich in fiber reduces the risk of colon cancer"),
            ("d5", "Smoking", "smoking causes lung cancer and heart disease"),
            ("d6", "Coffee", "coffee consumption is associated with lower risk of liver disease"),
        ]
        let corpusText = corpus.map {
            "{\"_id\": \"\($0.0)\", \"title\": \"\($0.1)\", \"text\": \"\($0.2)\", \"metadata\": {}}\n"
        }
        .joined()
        try corpusText.write(to: folder.appendingPathComponent("corpus.jsonl"), atomically: true, encoding: .utf8)
        let queries = [
            ("q1", "does vitamin d prevent fractures"),
            ("q2", "heart disease risk factors"),
            ("q3", "what causes cancer"),
        ]
        let queryText = queries.map { "{\"_id\": \"\($0.0)\", \"text\": \"\($0.1)\", \"metadata\": {}}\n" }.joined()
        try queryText.write(to: folder.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        let qrels = "query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq2\td2\t1\r\nq2\td3\t1\r\nq3\td4\t1\r\nq3\td5\t2\r\n"
        try qrels.write(to: folder.appendingPathComponent("qrels/test.tsv"), atomically: true, encoding: .utf8)
        return project
    }

    /// A cell that defines `data`, `index`, `run1`, `run2` and `results` from the tiny dataset.
    static let setup = """
        data = load "./tiny"
        index = bm25 data
        run1 = search index on=data
        run2 = search (bm25 data k1=1.2 b=0.75) on=data
        results = evaluate {bm25: run1, tuned: run2} on=data
        """
}
