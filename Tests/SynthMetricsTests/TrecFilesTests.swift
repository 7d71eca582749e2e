import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthMetrics

@Suite("TrecFiles")
struct TrecFilesTests {
    @Test func readsBEIRQrelsWithHeaderAndCRLF() throws {
        let text = "query-id\tcorpus-id\tscore\r\n1\t31715818\t1\r\n\r\n3\t14717500\t2\r\n3\t99\t0\r\n"
        let qrels = try TrecFiles.parseQrels(text, file: "test.tsv")
        #expect(qrels.judgements == ["1": ["31715818": 1], "3": ["14717500": 2, "99": 0]])
        #expect(qrels.relevantCount(for: "3") == 1)
    }

    @Test func readsTRECQrelsWithNegativeGrades() throws {
        let qrels = try TrecFiles.parseQrels("q1 0 d1 1\nq1 0 d2 -1\nq2  Q0\td9   3", file: "qrels.txt")
        #expect(qrels.judgements == ["q1": ["d1": 1, "d2": -1], "q2": ["d9": 3]])
    }

    @Test func readsSciFactTestQrels() throws {
        let qrels = try TrecFiles.readQrels(at: TestPaths.sharedData.appendingPathComponent("scifact/qrels/test.tsv"))
        #expect(qrels.count == 300)
        #expect(qrels.judgementCount == 339)
    }

    @Test func qrelsErrorsNameLineColumnAndExpectation() {
        #expect(throws: MetricsError.badQrelsLine(
            SynthValues.SourceLocation(file: "q.tsv", line: 3, column: 6), expected: "an integer grade", found: "'high'",
            sourceLine: "1\td2\thigh")
        ) { try TrecFiles.parseQrels("query-id\tcorpus-id\tscore\n1\td1\t1\n1\td2\thigh\n", file: "q.tsv") }
        do {
            _ = try TrecFiles.parseQrels("q1 0 d1 1\nq1 d2\n", file: "q.txt")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.diagnostic.rendered(caret: false)
                    == "q.txt:2:1: error: expected 'qid 0 docid grade' or 'query-id<TAB>corpus-id<TAB>score', found 2 fields")
        }
    }

    @Test func readsRunsIgnoringRankColumn() throws {
        let text = "q1 Q0 d1 1 0.5 bm25\r\nq1 Q0 d2 2 2.5 bm25\nq2 Q0 d1 1 -1e3 bm25\n"
        let run = try TrecFiles.parseRun(text, file: "r.run")
        #expect(run.name == "bm25")
        #expect(run.ranked("q1").map(\.docID) == ["d2", "d1"])
        #expect(run["q2"] == [Run.Entry(docID: "d1", score: -1000)])
    }

    @Test func runErrorsNameLineColumnAndExpectation() {
        func message(_ text: String) -> String {
            do {
                _ = try TrecFiles.parseRun(text, file: "r.run")
                return "no error"
            } catch { return error.diagnostic.rendered(caret: false) }
        }
        #expect(message("q1 Q0 d1 1 0.5 t\nq1 Q0 d2 2 x t\n") == "r.run:2:12: error: expected a finite number as score, found 'x'")
        #expect(message("q1 Q0 d1 1 nan t\n") == "r.run:1:12: error: expected a finite number as score, found 'nan'")
        #expect(message("q1 d1 1 0.5\n") == "r.run:1:1: error: expected 'qid Q0 docid rank score tag' (6 fields), found 4 fields")
        #expect(
            message("q1 Q0 d1 1 0.5 t\nq2 Q0 d1 1 0.5 t\nq1 Q0 d1 2 0.4 t\n")
                == "r.run:3:7: error: expected each document once per query, found 'd1' again for query 'q1'\n  note: first listed on line 1")
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: MetricsError.unreadableFile(path: "/nonexistent/q.tsv", reason: "no such file")) {
            try TrecFiles.readQrels(at: URL(fileURLWithPath: "/nonexistent/q.tsv"))
        }
    }

    @Test func runAndQrelsRoundTrip() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = Run(name: "my run", scores: ["q1": ["a": 0.1 + 0.2, "b": 1e-300, "c": 0.3], "q10": ["x": -2.5]])
        let runURL = folder.appendingPathComponent("r.run")
        try TrecFiles.writeRun(run, to: runURL)
        let text = try String(contentsOf: runURL, encoding: .utf8)
        #expect(text.hasPrefix("q1 Q0 c 1 0.3 my_run\nq1 Q0 a 2 0.30000000000000004 my_run\n"))
        let back = try TrecFiles.readRun(at: runURL)
        #expect(back.name == "my_run")
        for query in run.queryIDs { #expect(back.ranked(query) == run.ranked(query)) }
        #expect(TrecFiles.runText(run, depth: 1).split(separator: "\n").count == 2)

        let qrels = Qrels(["q1": ["a": 2, "b": -1], "q2": ["z": 0]])
        for format in [TrecFiles.QrelsFormat.trec, .beir] {
            let url = folder.appendingPathComponent("q-\(format).txt")
            try TrecFiles.writeQrels(qrels, to: url, format: format)
            #expect(try TrecFiles.readQrels(at: url) == qrels)
        }
        #expect(TrecFiles.qrelsText(qrels, format: .beir) == "query-id\tcorpus-id\tscore\nq1\ta\t2\nq1\tb\t-1\nq2\tz\t0\n")
    }
}
