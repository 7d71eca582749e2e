import SynthMetrics
import SynthRetrieval

/// A retrieval dev split scored during training: dev queries search a dev corpus with the model being
/// trained (exact inner-product top-k over its embeddings), and a trec_eval measure of the run against the
/// dev qrels is the score — sentence-transformers' `InformationRetrievalEvaluator`, computed with
/// SynthMetrics.
///
/// Texts are tokenized once; each evaluation embeds the queries and documents (longest first, batched)
/// without a tape. Keep the corpus small (a few hundred to a few thousand passages): it is re-embedded at
/// every evaluation.
///
/// ```swift
/// let dev = try RetrievalDevSet(queries: dataset.queries(split: "dev"), documents: slice,
///                               qrels: dataset.qrels["dev"]!, tokenizer: tokenizer)
/// trainer.devEvaluation = dev.evaluation(every: 25, patience: 3)
/// ```
package struct RetrievalDevSet: Sendable {
    /// Query ids, aligned with ``queryTokens``.
    package var queryIDs: [String]
    /// Tokenized queries (with `[CLS]`/`[SEP]`).
    package var queryTokens: [[Int32]]
    /// Document ids, aligned with ``documentTokens``.
    package var documentIDs: [String]
    /// Tokenized documents (`title + " " + text`, as ``DenseRetriever`` embeds them).
    package var documentTokens: [[Int32]]
    /// Relevance judgements of the dev queries.
    package var qrels: Qrels
    /// The measure (default nDCG@10).
    package var measure: Measure
    /// Texts per forward pass.
    package var batchSize: Int
    /// Padding id of the tokenizer.
    package var padId: Int32

    /// Wraps already tokenized queries and documents.
    package init(
        queryIDs: [String], queryTokens: [[Int32]], documentIDs: [String], documentTokens: [[Int32]], qrels: Qrels,
        measure: Measure = .ndcgCut(10), batchSize: Int = 32, padId: Int32 = 0
    ) {
        precondition(queryIDs.count == queryTokens.count && documentIDs.count == documentTokens.count, "ids differ")
        self.queryIDs = queryIDs
        self.queryTokens = queryTokens
        self.documentIDs = documentIDs
        self.documentTokens = documentTokens
        self.qrels = qrels
        self.measure = measure
        self.batchSize = max(1, batchSize)
        self.padId = padId
    }

    /// Tokenizes dev queries and documents (documents as `title + " " + text`, truncated to `maxLength`).
    package init(
        queries: [Query], documents: [Document], qrels: Qrels, tokenizer: WordPieceTokenizer, maxLength: Int = 256,
        measure: Measure = .ndcgCut(10), batchSize: Int = 32
    ) {
        self.init(
            queryIDs: queries.map(\.id), queryTokens: queries.map { tokenizer.encode($0.text, maxLength: maxLength) },
            documentIDs: documents.map(\.id),
            documentTokens: documents.map { tokenizer.encode(DenseRetriever.documentText($0), maxLength: maxLength) },
            qrels: qrels, measure: measure, batchSize: batchSize, padId: tokenizer.padId)
    }

    /// The dev run of `encoder`: every query's top `topK` documents by inner product.
    package func run(_ encoder: BiEncoder, topK: Int = 100) -> Run {
        let queries = embed(encoder, queryTokens), documents = embed(encoder, documentTokens)
        let width = queries.first?.count ?? documents.first?.count ?? 0
        return DenseSearch.run(
            queryIDs: queryIDs, queries: DenseEmbeddings(rows: queries, dimension: width), documentIDs: documentIDs,
            documents: DenseEmbeddings(rows: documents, dimension: width), topK: topK, name: "dev")
    }

    /// The mean of ``measure`` over the judged dev queries.
    package func score(_ encoder: BiEncoder) -> Double {
        let depth: Int
        switch measure {
        case .ndcgCut(let k), .recall(let k), .precision(let k), .mapCut(let k): depth = k
        case .recipRank(let cutoff?): depth = cutoff
        default: depth = 1000
        }
        return evaluate(qrels: qrels, run: run(encoder, topK: depth), measures: [measure]).mean[measure] ?? 0
    }

    /// A ``DevEvaluation`` scoring with this set.
    package func evaluation(
        every: Int, patience: Int? = nil, minDelta: Double = 0, restoreBest: Bool = true, evaluateAtStart: Bool = true
    ) -> DevEvaluation {
        DevEvaluation(
            metric: measure.description, every: every, patience: patience, minDelta: minDelta,
            restoreBest: restoreBest, evaluateAtStart: evaluateAtStart, evaluate: { self.score($0) })
    }

    private func embed(_ encoder: BiEncoder, _ sequences: [[Int32]]) -> [[Float]] {
        var result = [[Float]](repeating: [], count: sequences.count)
        for batch in LengthBatches.split(LengthBatches.order(sequences.map(\.count)), batchSize: batchSize) {
            let padded = TokenBatch(sequences: batch.map { sequences[$0] }, padId: padId)
            for (index, vector) in zip(batch, encoder.embed(inputIds: padded.inputIds, attentionMask: padded.attentionMask)) {
                result[index] = vector
            }
        }
        return result
    }
}
