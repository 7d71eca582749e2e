import SynthRetrieval
import SynthValues

/// `bm25`: builds a BM25 index over a dataset's corpus.
package enum BM25Command: VerbCommand {
    package static let spec = VerbSpec(
        name: "bm25",
        summary: "build a BM25 index over a dataset's corpus (title and text)",
        discussion: """
            Documents are analysed like Lucene's English analyzer (standard tokenizer, lowercase, English \
            stop words, Porter stemmer) and scored with Lucene's BM25 (document lengths stored as one byte), \
            which is what Pyserini's BEIR baselines use. Search the index with `search`, or give it directly to \
            `evaluate`. Fields: `docs`, `terms`, `tokens`, `k1`, `b`, `avgdl`.
            """,
        paper: "Robertson & Zaragoza 2009, The Probabilistic Relevance Framework: BM25 and Beyond",
        positional: [ArgSpec("data", .object("dataset"), doc: "the dataset whose corpus is indexed")],
        keywords: [
            ArgSpec("k1", .number, default: .double(0.9), doc: "term frequency saturation"),
            ArgSpec("b", .number, default: .double(0.4), doc: "document length normalisation"),
        ],
        result: "bm25_index",
        example: "index = bm25 data k1=0.9 b=0.4")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let dataset = call.object("data", as: BEIRDataset.self) else { throw call.error("expected a dataset") }
        let k1 = call.double("k1") ?? 0.9
        let b = call.double("b") ?? 0.4
        guard k1 >= 0, b >= 0, b <= 1 else {
            throw call.error("expected k1 ≥ 0 and 0 ≤ b ≤ 1, found k1=\(formatNumber(k1)) b=\(formatNumber(b))")
        }
        context.progress(ProgressEvent(label: "bm25 index", count: 0, total: dataset.corpus.count))
        try Task.checkCancellation()
        let index = BM25Index.build(documents: dataset.corpus, k1: Float(k1), b: Float(b))
        context.progress(ProgressEvent(label: "bm25 index", count: dataset.corpus.count, total: dataset.corpus.count))
        return VerbOutcome(value: .object(index))
    }
}
