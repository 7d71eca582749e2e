import SynthValues

/// A synthetic set in the formats other trainers read: a BEIR folder and sentence-transformers rows.
///
/// Only accepted records are exported (rejected ones keep their reason in the set and in its JSONL).
extension SyntheticSet {
    /// The files of a BEIR folder: `corpus.jsonl`, `queries.jsonl` and `qrels/<split>.tsv`.
    package struct BEIRExport: Sendable {
        /// `{"_id", "title", "text"}` per passage: corpus passages keep their id, synthetic ones are named
        /// `<record id>:pos<i>` / `<record id>:neg<i>`; each text once.
        package var corpus: [Value]
        /// `{"_id", "text"}` per accepted record with a positive.
        package var queries: [Value]
        /// `query-id`, `corpus-id`, `score` with a header: grade 1 for positives. Negatives are in the
        /// corpus (so a retriever can rank them) but not in the qrels, as in BEIR.
        package var qrels: String
    }

    /// The accepted records with positives as a BEIR dataset (for `load` or any BEIR trainer).
    package func beirExport(split: String = "train") -> BEIRExport {
        var corpus: [Value] = []
        var idsByText: [String: String] = [:]
        var usedIDs: Set<String> = []
        func passageID(_ passage: SyntheticPassage, fallback: String) -> String {
            if let known = idsByText[passage.text] { return known }
            var id = passage.origin == "corpus" ? (passage.id ?? fallback) : fallback
            if usedIDs.contains(id) { id = fallback }
            idsByText[passage.text] = id
            usedIDs.insert(id)
            corpus.append(.record(Record([("_id", .string(id)), ("title", .string("")), ("text", .string(passage.text))])))
            return id
        }
        var queries: [Value] = []
        var qrels = "query-id\tcorpus-id\tscore\n"
        for record in accepted where !record.query.isEmpty && !record.positives.isEmpty {
            queries.append(.record(Record([("_id", .string(record.id)), ("text", .string(record.query))])))
            for (index, positive) in record.positives.enumerated() {
                let id = passageID(positive, fallback: "\(record.id):pos\(index)")
                qrels += "\(record.id)\t\(id)\t1\n"
            }
            for (index, negative) in record.negatives.enumerated() {
                _ = passageID(negative, fallback: "\(record.id):neg\(index)")
            }
        }
        return BEIRExport(corpus: corpus, queries: queries, qrels: qrels)
    }

    /// Rows in the column layouts sentence-transformers' trainers read (one JSON object per line).
    ///
    /// - query records (`synthesize queries`, `synthesize syntriever`, `critique …`): `{"anchor",
    ///   "positive", "negative"}` for each positive with the record's first hard negative (no `negative`
    ///   when it has none) — MultipleNegativesRankingLoss / triplet losses;
    /// - `pairwise` preferences: `{"anchor": query, "positive": preferred, "negative": other}`;
    /// - `pointwise` labels: `{"sentence1": query, "sentence2": passage, "score": P(yes)}` — CrossEncoder
    ///   or CoSENT-style regression;
    /// - ranked chains and listwise rankings: `{"anchor": first, "positive": next, "negative": last}` of
    ///   each ranked list (order as a triplet; the full order is in the JSONL export).
    package var sentenceTransformerRows: [Value] {
        var rows: [Value] = []
        for record in accepted {
            switch record.kind {
            case "pointwise":
                for (candidate, score) in zip(record.candidates, record.scores) {
                    rows.append(
                        .record(
                            Record([
                                ("sentence1", .string(record.query)), ("sentence2", .string(candidate.text)),
                                ("score", .double(score)),
                            ])))
                }
            case "ranked-chain", "listwise":
                let list = record.kind == "ranked-chain" ? record.texts : record.candidates.map(\.text)
                let head = record.kind == "ranked-chain" ? list.first : record.query
                let rest = record.kind == "ranked-chain" ? Array(list.dropFirst()) : list
                guard let anchor = head, rest.count >= 2, let positive = rest.first, let negative = rest.last else {
                    continue
                }
                rows.append(
                    .record(
                        Record([
                            ("anchor", .string(anchor)), ("positive", .string(positive)),
                            ("negative", .string(negative)),
                        ])))
            default:
                guard !record.query.isEmpty else { continue }
                for positive in record.positives {
                    var row = Record([("anchor", .string(record.query)), ("positive", .string(positive.text))])
                    if let negative = record.negatives.first { row["negative"] = .string(negative.text) }
                    rows.append(.record(row))
                }
            }
        }
        return rows
    }
}
