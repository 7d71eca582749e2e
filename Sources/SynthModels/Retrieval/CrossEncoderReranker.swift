import Foundation
import SynthMetrics

/// Re-scores the top of a first-stage ``Run`` with a ``CrossEncoder`` (the usual retrieve-then-re-rank pipeline).
///
/// For each query, the `depth` best entries of `run` (trec_eval order) are scored as
/// `[CLS] query [SEP] document [SEP]` pairs; the new run holds only those re-scored entries (the cross-encoder
/// logit as score). Queries without text and documents without text are skipped.
///
/// ```swift
/// let reranked = CrossEncoderReranker(model: reranker, tokenizer: tokenizer).rerank(
///     bm25Run, queries: ["q1": "..."], documents: ["d1": "..."], depth: 100)
/// ```
package struct CrossEncoderReranker: Sendable {
    /// The re-ranker.
    package var model: CrossEncoder
    /// Its tokenizer.
    package var tokenizer: WordPieceTokenizer
    /// Maximum pair length in tokens.
    package var maxLength: Int
    /// Pairs per forward pass.
    package var batchSize: Int

    /// Creates a re-ranker.
    package init(
        model: CrossEncoder, tokenizer: WordPieceTokenizer, maxLength: Int = 256, batchSize: Int = 32
    ) {
        self.model = model
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        self.batchSize = batchSize
    }

    /// The re-scored top-`depth` of every query of `run`, named `name`.
    ///
    /// - Parameters:
    ///   - queries: query text by id.
    ///   - documents: document text by id (e.g. title + " " + text).
    ///   - progress: called with (queries done, total queries).
    package func rerank(
        _ run: Run, queries: [String: String], documents: [String: String], depth: Int = 100,
        name: String? = nil,
        progress: (Int, Int) -> Void = { _, _ in }
    ) -> Run {
        var result = Run(name: name ?? run.name + "+ce")
        let ids = run.queryIDs.filter { queries[$0] != nil }
        for (done, qid) in ids.enumerated() {
            let query = queries[qid]!
            let candidates = run.ranked(qid).prefix(depth).filter { documents[$0.docID] != nil }
            var entries: [Run.Entry] = []
            for start in stride(from: 0, to: candidates.count, by: max(1, batchSize)) {
                let slice = Array(
                    candidates[
                        (candidates.startIndex + start)..<min(
                            candidates.endIndex, candidates.startIndex + start + batchSize)])
                let batch = tokenizer.batch(
                    pairs: slice.map { (query, documents[$0.docID]!) }, maxLength: maxLength)
                let scores = model.score(
                    inputIds: batch.inputIds, attentionMask: batch.attentionMask,
                    tokenTypeIds: batch.tokenTypeIds)
                entries += zip(slice, scores).map { Run.Entry(docID: $0.0.docID, score: Double($0.1)) }
            }
            result[qid] = entries
            progress(done + 1, ids.count)
        }
        return result
    }
}
