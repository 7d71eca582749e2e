import Foundation
import SynthNotebook
import SynthTestSupport
import SynthValues
import Testing

/// Hostile or degenerate inputs through the real CLI: each ends in a clear message, never a crash.
@Suite(.serialized) struct BadDataTests {
    static let notebook = """
        ```synth
        data = load "data" split="test"
        index = bm25 data
        run = search index on=data top_k=10
        res = evaluate run on=data measures=["ndcg_cut.10"]
        table res
        ```
        """

    /// Runs the notebook on `data/`; returns the result after checking it did not crash.
    func run(_ project: ReliabilityProject) throws -> ReliabilityProject.Result {
        try project.write("nb.md", Self.notebook)
        let result = try project.synthlab(["run", "nb.md", "--quiet"])
        #expect(result.status == 0 || result.status == 1, "status \(result.status): \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
        return result
    }

    @Test func emptyCorpusIsReported() throws {
        let project = try ReliabilityProject()
        try project.writeDataset()
        try project.write("data/corpus.jsonl", "")
        let result = try run(project)
        #expect(result.status == 1)
        #expect(result.stderr.contains("corpus.jsonl:1"), "\(result.stderr)")
        #expect(result.stderr.contains("expected a JSON object, found an empty corpus"), "\(result.stderr)")
    }

    @Test func queriesWithoutQrelsAndQrelsForUnknownIDs() throws {
        let project = try ReliabilityProject()
        try project.writeDataset()
        try project.write(
            "data/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq0\td0\t1\nq0\tnope\t1\nghost\td1\t1\n")
        let result = try run(project)
        #expect(result.status == 0, "\(result.stderr)")
        let html = try project.read("reports/nb.html")
        #expect(html.contains("ndcg"), "no evaluation in the report")
    }

    @Test func oneMegabyteDocumentLoads() throws {
        let project = try ReliabilityProject()
        try project.writeDataset()
        let big = String(repeating: "protein ", count: 131_072)
        var corpus = try project.read("data/corpus.jsonl")
        corpus += "{\"_id\": \"big\", \"text\": \"\(big)\"}\n"
        try project.write("data/corpus.jsonl", corpus)
        let result = try run(project)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func binaryGarbageCorpusNamesFileAndLine() throws {
        let project = try ReliabilityProject()
        try project.writeDataset()
        var rng = SplitMix64(seed: 11)
        let garbage = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) })
        try project.write("data/corpus.jsonl", garbage)
        let result = try run(project)
        #expect(result.status == 1)
        #expect(result.stderr.contains("corpus.jsonl:"), "\(result.stderr)")
    }

    @Test func invalidUTF8InADocumentDoesNotCrash() throws {
        let project = try ReliabilityProject()
        try project.writeDataset()
        var corpus = Data(try project.read("data/corpus.jsonl").utf8)
        corpus += Data("{\"_id\": \"bad\", \"text\": \"caf".utf8) + Data([0xC3, 0x28, 0xFF]) + Data("\"}\n".utf8)
        try project.write("data/corpus.jsonl", corpus)
        let result = try run(project)
        if result.status != 0 { #expect(result.stderr.contains("corpus.jsonl"), "\(result.stderr)") }
    }

    @Test func invalidUTF8NotebookIsRejectedOrRepaired() throws {
        let project = try ReliabilityProject()
        try project.writeDataset()
        try project.write("nb.md", Data("```synth\nprint \"a".utf8) + Data([0xFF, 0xFE]) + Data("\"\n```\n".utf8))
        let result = try project.synthlab(["run", "nb.md", "--quiet"])
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
        if result.status != 0 { #expect(result.stderr.contains("nb.md"), "\(result.stderr)") }
    }

    @Test func hundredThousandLineNotebookParses() throws {
        var text = "---\ntitle: big\n---\n\n"
        for cell in 0..<10_000 {
            text += "Line of prose number \(cell).\n\n```synth\nx\(cell) = \(cell)\n```\n\n"
            text += String(repeating: "more prose\n", count: 4)
        }
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count >= 100_000)
        let notebook = try NotebookParser.parse(text, path: "big.md")
        #expect(notebook.cells.count == 10_000)
    }
}
