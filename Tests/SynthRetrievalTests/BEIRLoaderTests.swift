import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthRetrieval

/// Writes a small BEIR folder; each argument is a file's full text.
func makeBEIRFolder(
    corpus: String = """
        {"_id": "d1", "title": "Cats", "text": "Cats purr."}
        {"_id": "d2", "title": "", "text": "Dogs bark loudly."}
        {"_id": "d3", "text": "Birds sing."}

        """,
    queries: String = """
        {"_id": "q1", "text": "cat purring"}
        {"_id": "q2", "text": "barking dogs"}

        """,
    qrels: [String: String] = ["test": "query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq2\td2\t2\r\n"]
) throws -> URL {
    let folder = try TestPaths.temporaryFolder().appendingPathComponent("tiny")
    try AtomicFile.write(corpus, to: folder.appendingPathComponent("corpus.jsonl"))
    try AtomicFile.write(queries, to: folder.appendingPathComponent("queries.jsonl"))
    for (split, text) in qrels { try AtomicFile.write(text, to: folder.appendingPathComponent("qrels/\(split).tsv")) }
    return folder
}

/// The error a throwing closure raises, rendered without caret.
func renderedError(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return error.asDiagnostic.rendered(caret: false)
    }
}

@Suite struct BEIRLoaderTests {
    @Test func loadsATinyFolder() throws {
        let folder = try makeBEIRFolder()
        let dataset = try BEIRLoader.load(folder)
        #expect(dataset.name == "tiny")
        #expect(dataset.corpus == [
            Document(id: "d1", title: "Cats", text: "Cats purr."),
            Document(id: "d2", title: "", text: "Dogs bark loudly."),
            Document(id: "d3", title: "", text: "Birds sing."),
        ])
        #expect(dataset.queries.map(\.id) == ["q1", "q2"])
        #expect(dataset.qrels["test"]?.judgements == ["q1": ["d1": 1], "q2": ["d2": 2]])
        #expect(dataset.splits == ["test"])
        #expect(dataset.warnings.isEmpty)
        #expect(dataset.summary == "dataset tiny: 3 docs, 2 queries, splits test (2 queries)")
        #expect(try dataset.queries(split: "test").map(\.id) == ["q1", "q2"])
    }

    @Test func readsTheSharedSciFactWithGzippedCorpusAndCRLFQrels() throws {
        let dataset = try BEIRLoader.load(TestPaths.sharedData.appendingPathComponent("scifact"))
        #expect(dataset.corpus.count == 5183)
        #expect(dataset.queries.count == 1109)
        #expect(dataset.qrels["test"]?.count == 300)
        #expect(dataset.qrels["train"]?.count == 809)
        #expect(dataset.qrels["test"]?.judgementCount == 339)
        #expect(dataset.qrels["train"]?.judgementCount == 919)
        #expect(dataset.corpus[0].id == "4983")
        #expect(dataset.corpus[0].title.hasPrefix("Microstructural development of human newborn"))
        #expect(dataset.warnings.isEmpty)
        #expect(try dataset.queries(split: "test").count == 300)
    }

    @Test func malformedJSONNamesFileAndLine() throws {
        let folder = try makeBEIRFolder(corpus: "{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d2\", \"text\": \n")
        let path = folder.appendingPathComponent("corpus.jsonl").path
        #expect(renderedError { _ = try BEIRLoader.load(folder) }
            == "\(path):2: error: expected a JSON object, found malformed JSON")
    }

    @Test func nonObjectLineIsRejected() throws {
        let folder = try makeBEIRFolder(queries: "[1, 2]\n")
        let path = folder.appendingPathComponent("queries.jsonl").path
        #expect(renderedError { _ = try BEIRLoader.load(folder) }
            == "\(path):1: error: expected a JSON object, found a JSON array")
    }

    @Test func missingIDIsAnError() throws {
        let folder = try makeBEIRFolder(corpus: "{\"_id\": \"d1\", \"text\": \"a\"}\n\n{\"title\": \"t\", \"text\": \"b\"}\n")
        let path = folder.appendingPathComponent("corpus.jsonl").path
        #expect(renderedError { _ = try BEIRLoader.load(folder) }
            == "\(path):3: error: expected a string field \"_id\", found none")
    }

    @Test func duplicateIDNamesBothLines() throws {
        let folder = try makeBEIRFolder(queries: "{\"_id\": \"q1\", \"text\": \"a\"}\n{\"_id\": \"q1\", \"text\": \"b\"}\n")
        let path = folder.appendingPathComponent("queries.jsonl").path
        #expect(renderedError { _ = try BEIRLoader.load(folder) }
            == "\(path):2: error: duplicate id \"q1\" (first seen on line 1)")
    }

    @Test func theEarliestProblemIsReportedInLargeFiles() throws {
        // Enough lines to be parsed in several parallel chunks.
        var lines = (0..<3000).map { "{\"_id\": \"d\($0)\", \"text\": \"x\"}" }
        lines[2500] = "{\"_id\": "
        lines[700] = "{\"_id\": \"d5\", \"text\": \"again\"}"
        let duplicateFirst = try makeBEIRFolder(corpus: lines.joined(separator: "\n"))
        #expect(renderedError { _ = try BEIRLoader.load(duplicateFirst) }
            == "\(duplicateFirst.path)/corpus.jsonl:701: error: duplicate id \"d5\" (first seen on line 6)")
        lines[100] = "not json"
        let malformedFirst = try makeBEIRFolder(corpus: lines.joined(separator: "\n"))
        #expect(renderedError { _ = try BEIRLoader.load(malformedFirst) }
            == "\(malformedFirst.path)/corpus.jsonl:101: error: expected a JSON object, found malformed JSON")
        lines[100] = "{\"_id\": \"d100\", \"text\": \"x\"}"
        lines[700] = "{\"_id\": \"d700\", \"text\": \"x\"}"
        lines[2500] = "{\"_id\": 2500, \"title\": null}"
        let fine = try BEIRLoader.load(try makeBEIRFolder(corpus: lines.joined(separator: "\r\n") + "\r\n"))
        #expect(fine.corpus.count == 3000)
        #expect(fine.corpus[2500] == Document(id: "2500", title: "", text: ""))
        #expect(fine.corpus[2999].id == "d2999")
    }

    @Test func badQrelsRows() throws {
        let short = try makeBEIRFolder(qrels: ["test": "query-id\tcorpus-id\tscore\nq1\td1\n"])
        #expect(renderedError { _ = try BEIRLoader.load(short) }
            == "\(short.path)/qrels/test.tsv:2: error: expected 3 tab-separated fields (query-id, corpus-id, score), found 2")
        let grade = try makeBEIRFolder(qrels: ["test": "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\thigh\n"])
        #expect(renderedError { _ = try BEIRLoader.load(grade) }
            == "\(grade.path)/qrels/test.tsv:3:7: error: expected an integer score, found \"high\"")
    }

    @Test func trecFormatQrelsAreAccepted() throws {
        let folder = try makeBEIRFolder(qrels: ["dev": "q1 0 d1 1\nq2 0 d3 0\n"])
        #expect(try BEIRLoader.load(folder).qrels["dev"]?.judgements == ["q1": ["d1": 1], "q2": ["d3": 0]])
    }

    @Test func unknownIDsInQrelsAreCountedWarnings() throws {
        let folder = try makeBEIRFolder(qrels: [
            "test": "query-id\tcorpus-id\tscore\nq1\td1\t1\nq9\td1\t1\nq8\td2\t1\nq2\tdX\t1\nq1\td1\t2\n"
        ])
        let dataset = try BEIRLoader.load(folder)
        let path = folder.path + "/qrels/test.tsv"
        #expect(dataset.warnings.map { $0.rendered(caret: false) } == [
            "\(path):3: warning: 2 qrels rows name query ids missing from queries.jsonl (first: \"q9\"); skipped",
            "\(path):5: warning: 1 qrels rows name document ids missing from the corpus (first: \"dX\"); skipped",
            "\(path):6: warning: 1 qrels rows repeat a (query, document) pair; the last grade wins (first: \"q1 d1\"); skipped",
        ])
        #expect(dataset.qrels["test"]?.judgements == ["q1": ["d1": 2]])
    }

    @Test func missingSplitListsTheAvailableOnes() throws {
        let folder = try makeBEIRFolder(qrels: ["test": "q1\td1\t1\n", "train": "q2\td2\t1\n"])
        #expect(renderedError { _ = try BEIRLoader.load(folder, splits: ["tset"]) }
            == "\(folder.path)/qrels/tset.tsv: error: unknown split \"tset\": expected one of test, train\n  note: did you mean \"test\"?")
    }

    @Test func missingCorpusIsAnError() throws {
        let folder = try makeBEIRFolder()
        try FileManager.default.removeItem(at: folder.appendingPathComponent("corpus.jsonl"))
        #expect(renderedError { _ = try BEIRLoader.load(folder) }
            == "\(folder.path)/corpus.jsonl: error: missing file: expected corpus.jsonl or corpus.jsonl.gz in a BEIR folder")
    }

    @Test func persistRoundTrip() throws {
        let dataset = try BEIRLoader.load(try makeBEIRFolder())
        let target = try TestPaths.temporaryFolder()
        try dataset.persist(into: target)
        let restored = try BEIRDataset.restore(from: target)
        #expect(restored.name == "tiny")
        #expect(restored.corpus == dataset.corpus)
        #expect(restored.queries == dataset.queries)
        #expect(restored.qrels == dataset.qrels)
    }
}
