import Foundation
import SynthValues

/// Writes a ``BEIRDataset`` in BEIR's own layout, readable by ``BEIRLoader`` and by BEIR's Python loader.
package enum BEIRWriter {
    /// Writes `corpus.jsonl`, `queries.jsonl` and `qrels/<split>.tsv` (with the BEIR header) into `folder`.
    package static func write(_ dataset: BEIRDataset, to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var corpus = Data()
        for document in dataset.corpus {
            corpus.append(try encoder.encode(CorpusLine(_id: document.id, title: document.title, text: document.text)))
            corpus.append(0x0A)
        }
        try AtomicFile.write(corpus, to: folder.appendingPathComponent("corpus.jsonl"))
        var queries = Data()
        for query in dataset.queries {
            queries.append(try encoder.encode(QueryLine(_id: query.id, text: query.text)))
            queries.append(0x0A)
        }
        try AtomicFile.write(queries, to: folder.appendingPathComponent("queries.jsonl"))
        for (split, table) in dataset.qrels {
            var text = "query-id\tcorpus-id\tscore\n"
            for query in table.queryIDs {
                for (doc, grade) in table.judgements[query]!.sorted(by: { $0.key < $1.key }) {
                    text += "\(query)\t\(doc)\t\(grade)\n"
                }
            }
            try AtomicFile.write(text, to: folder.appendingPathComponent("qrels/\(split).tsv"))
        }
    }

    private struct CorpusLine: Encodable {
        var _id: String
        var title: String
        var text: String
    }

    private struct QueryLine: Encodable {
        var _id: String
        var text: String
    }
}
