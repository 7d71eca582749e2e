import Foundation
import SynthCommands
import SynthSynthesis
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// `export` of synthetic sets for other trainers: a BEIR folder that `load` reads back, and
/// sentence-transformers rows.
@Suite struct SyntheticExportVerbTests {
    static func jsonLines(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func beirFolderLoadsBackAndSentenceTransformerRowsMatchTheSet() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        try await runCell(interpreter, TinyBEIR.setup)
        interpreter.restore("t", .object(TeacherObject(teacher: ScriptedTeacher(), source: "script")))
        try await runCell(interpreter, "queries = synthesize queries from=data per_doc=2 docs=3 teacher=t")
        let set = try #require(
            { if case .object(let s as SyntheticSet)? = interpreter.variables["queries"] { s } else { nil } }())
        let exported = set.accepted.filter { !$0.query.isEmpty && !$0.positives.isEmpty }
        try #require(exported.count == 6)

        let result = try await runCell(
            interpreter,
            """
            export queries path="out/beir" format="beir"
            back = load "./out/beir" split="train"
            print back
            """)
        let folder = project.appendingPathComponent("out/beir")
        let queries = try Self.jsonLines(folder.appendingPathComponent("queries.jsonl"))
        #expect(queries.map { $0["_id"] as? String } == exported.map(\.id))
        #expect(queries.map { $0["text"] as? String } == exported.map(\.query))
        let corpus = try Self.jsonLines(folder.appendingPathComponent("corpus.jsonl"))
        let ids = corpus.compactMap { $0["_id"] as? String }
        #expect(Set(ids).count == ids.count)
        // Corpus passages keep their ids; each positive is judged relevant (grade 1).
        let qrels = try String(contentsOf: folder.appendingPathComponent("qrels/train.tsv"), encoding: .utf8)
        var expected = "query-id\tcorpus-id\tscore\n"
        for record in exported { expected += "\(record.id)\t\(record.positive!.id!)\t1\n" }
        #expect(qrels == expected)
        #expect(Set(exported.map { $0.positive!.id! }).isSubset(of: Set(ids)))
        #expect(
            result.outputs.contains {
                if case .text(let text) = $0 {
                    text.hasPrefix(
                        "dataset beir: \(corpus.count) docs, \(exported.count) queries, splits train (\(exported.count) queries)")
                } else { false }
            }, "\(result.outputs)")

        try await runCell(
            interpreter,
            """
            export queries path="out/st.jsonl" format="sentence-transformers"
            labels = distill pointwise from=queries teacher=t retriever=index on=data top_k=2 queries=2
            export labels path="out/pointwise.jsonl" format="sentence-transformers"
            """)
        let rows = try Self.jsonLines(project.appendingPathComponent("out/st.jsonl"))
        #expect(rows.map { $0["anchor"] as? String } == exported.map(\.query))
        #expect(rows.map { $0["positive"] as? String } == exported.map { $0.positive!.text })
        let labelSet = try #require(
            { if case .object(let s as SyntheticSet)? = interpreter.variables["labels"] { s } else { nil } }())
        let pairs = labelSet.accepted.flatMap { record in zip(record.candidates, record.scores).map { (record.query, $0.0.text) } }
        let labels = try Self.jsonLines(project.appendingPathComponent("out/pointwise.jsonl"))
        #expect(labels.count == pairs.count && labels.count >= 2)
        #expect(labels.map { $0["sentence1"] as? String } == pairs.map(\.0))
        #expect(labels.map { $0["sentence2"] as? String } == pairs.map(\.1))
        for label in labels {
            #expect(Set(label.keys) == ["sentence1", "sentence2", "score"])
            #expect(abs((label["score"] as? Double ?? 0) - 0.9) < 1e-9)
        }
    }

    @Test func trainerFormatsNeedASyntheticSet() async throws {
        let interpreter = try makeInterpreter()
        await #expect {
            try await runCell(interpreter, "export [1, 2] path=\"x\" format=\"beir\"")
        } throws: { error in
            (error as? Diagnostic)?.message == "expected a synthetic_set for format=\"beir\", found list"
        }
    }
}
