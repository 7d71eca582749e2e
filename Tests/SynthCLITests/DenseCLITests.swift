import Foundation
import SynthTestSupport
import Testing

/// `synthlab dense`: a TREC run whose scores are the inner products of `synthlab embed`'s vectors, cached corpus
/// embeddings, the summary line, and errors.
@Suite struct DenseCLITests {
    /// A four-document BEIR folder with two judged test queries.
    static func dataset() throws -> URL {
        let folder = try TestPaths.temporaryFolder()
        let corpus = [
            #"{"_id": "d1", "title": "Aspirin", "text": "Aspirin lowers the risk of heart attacks in adults."}"#,
            #"{"_id": "d2", "title": "", "text": "Penguins live in the southern hemisphere and cannot fly."}"#,
            #"{"_id": "d3", "title": "Volcanoes", "text": "Lava flows destroyed villages on the island."}"#,
            #"{"_id": "d4", "title": "Coffee", "text": "Caffeine improves short-term alertness."}"#,
        ]
        let queries = [
            #"{"_id": "q1", "text": "Does aspirin prevent heart attacks?"}"#,
            #"{"_id": "q2", "text": "Which birds cannot fly?"}"#,
        ]
        try Data((corpus.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("corpus.jsonl"))
        try Data((queries.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("queries.jsonl"))
        let qrels = folder.appendingPathComponent("qrels")
        try FileManager.default.createDirectory(at: qrels, withIntermediateDirectories: true)
        try Data("query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n".utf8).write(to: qrels.appendingPathComponent("test.tsv"))
        return folder
    }

    struct Line: Equatable {
        var query: String
        var document: String
        var rank: Int
        var score: Double
    }

    static func lines(_ url: URL) throws -> [Line] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: " ").map(String.init)
            #expect(fields.count == 6 && fields[1] == "Q0", "\(line)")
            return Line(query: fields[0], document: fields[2], rank: Int(fields[3])!, score: Double(fields[4])!)
        }
    }

    @Test func scoresAreEmbedInnerProductsAndTheCacheIsReused() throws {
        let data = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: data) }
        let out = data.appendingPathComponent("run.trec"), cache = data.appendingPathComponent("cache")
        let arguments = ["dense", data.path, "--top", "3", "--out", out.path, "--cache", cache.path]
        let first = try BM25CLITests.synthlab(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("4 docs, 2 queries, top 3"), "\(first.stderr)")
        #expect(first.stderr.contains("nDCG@10 1.0000"), "\(first.stderr)")
        let run = try Self.lines(out)
        #expect(run.map(\.query) == ["q1", "q1", "q1", "q2", "q2", "q2"])
        #expect(run.map(\.rank) == [1, 2, 3, 1, 2, 3])
        #expect(run[0].document == "d1" && run[3].document == "d2")
        for query in ["q1", "q2"] {
            let scores = run.filter { $0.query == query }.map(\.score)
            #expect(scores == scores.sorted(by: >))
        }

        // The same texts through `synthlab embed`: documents as title + " " + text (text alone without a title).
        let texts = [
            "Does aspirin prevent heart attacks?", "Which birds cannot fly?",
            "Aspirin Aspirin lowers the risk of heart attacks in adults.",
            "Penguins live in the southern hemisphere and cannot fly.",
            "Volcanoes Lava flows destroyed villages on the island.", "Coffee Caffeine improves short-term alertness.",
        ]
        let input = texts.map { "{\"text\": \"\($0)\"}\n" }.joined()
        let embedded = try EmbedCLITests.outputs(try EmbedCLITests.embed(input).stdout).map(\.embedding)
        let documents = ["d1": embedded[2], "d2": embedded[3], "d3": embedded[4], "d4": embedded[5]]
        for line in run {
            let query = embedded[line.query == "q1" ? 0 : 1]
            let expected = zip(query, documents[line.document]!).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(abs(line.score - expected) < 1e-4, "\(line) vs \(expected)")
        }

        let cached = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(cached.count == 1, "one cached corpus: \(cached)")
        let second = try BM25CLITests.synthlab(arguments)
        #expect(second.status == 0)
        #expect(try Self.lines(out) == run)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path) == cached)
    }

    @Test func errors() throws {
        let data = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: data) }
        let out = data.appendingPathComponent("run.trec")
        let badTop = try BM25CLITests.synthlab(["dense", data.path, "--top", "0", "--out", out.path])
        #expect(badTop.status == 2)
        #expect(badTop.stderr.contains("--top must be positive, found 0"), "\(badTop.stderr)")
        let missing = try BM25CLITests.synthlab(["dense", data.path, "--model", "/nonexistent/model", "--out", out.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such model folder"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
