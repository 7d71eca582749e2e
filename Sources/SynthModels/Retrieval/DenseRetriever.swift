import Foundation
import SynthMetrics
import SynthRetrieval
import SynthValues

/// Dense retrieval with a sentence encoder: documents embedded once (optionally cached on disk),
/// queries embedded at search time, exact top-k by inner product.
///
/// Documents are embedded as BEIR does for sentence-transformers models: `title + " " + text`
/// (just the text when there is no title), truncated to the encoder's token limit, batched by length.
///
/// ```swift
/// let encoder = try SentenceEncoder.load(folder: SentenceEncoder.defaultFolder())
/// let retriever = try DenseRetriever.build(encoder: encoder, documents: dataset.corpus,
///                                          cache: DenseEmbeddingCache(folder: state.appendingPathComponent("dense")))
/// let run = retriever.search(try dataset.queries(split: "test"), topK: 1000)
/// ```
package struct DenseRetriever: Sendable {
    /// The query and document encoder.
    package var encoder: SentenceEncoder
    /// Document ids, in corpus order.
    package var documentIDs: [String]
    /// One row per document.
    package var documentEmbeddings: DenseEmbeddings
    /// Texts per forward pass.
    package var batchSize: Int
    /// Token limit (including `[CLS]`/`[SEP]`) for queries and documents.
    package var maxLength: Int

    /// Wraps precomputed document embeddings.
    package init(encoder: SentenceEncoder, documentIDs: [String], documentEmbeddings: DenseEmbeddings,
                 batchSize: Int = 32, maxLength: Int? = nil) {
        self.encoder = encoder
        self.documentIDs = documentIDs
        self.documentEmbeddings = documentEmbeddings
        self.batchSize = batchSize
        self.maxLength = maxLength ?? encoder.maxSeqLength
    }

    /// The text BEIR embeds for a document: `title + " " + text`, or the text alone without a title.
    package static func documentText(_ document: Document) -> String {
        document.title.isEmpty ? document.text : document.title + " " + document.text
    }

    /// Embeds `documents` (or loads them from `cache`, keyed by model fingerprint and corpus hash).
    ///
    /// - Parameters:
    ///   - progress: called after each batch with (documents done, total); not called on a cache hit.
    /// - Throws: a ``Diagnostic`` when the model files cannot be hashed or the cache cannot be written.
    package static func build(
        encoder: SentenceEncoder, documents: [Document], batchSize: Int = 32, maxLength: Int? = nil,
        cache: DenseEmbeddingCache? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> DenseRetriever {
        let limit = maxLength ?? encoder.maxSeqLength
        let ids = documents.map(\.id)
        let texts = documents.map(documentText)
        var key: DenseEmbeddingCache.Key? = nil
        if let cache {
            let corpus = DenseEmbeddingCache.corpusHash(ids: ids, texts: texts, settings: "maxLength \(limit)")
            let newKey = DenseEmbeddingCache.Key(model: try encoder.fingerprint(), corpus: corpus)
            key = newKey
            if let cached = cache.load(newKey), cached.count == documents.count, cached.dimension == encoder.dimension {
                return DenseRetriever(encoder: encoder, documentIDs: ids, documentEmbeddings: cached,
                                      batchSize: batchSize, maxLength: limit)
            }
        }
        let vectors = encoder.embed(texts, batchSize: batchSize, maxLength: limit, progress: progress)
        let embeddings = DenseEmbeddings(rows: vectors, dimension: encoder.dimension)
        if let cache, let key { try cache.store(embeddings, for: key) }
        return DenseRetriever(encoder: encoder, documentIDs: ids, documentEmbeddings: embeddings,
                              batchSize: batchSize, maxLength: limit)
    }

    /// Embeds the queries and returns the `topK` documents of each by inner product, best first.
    package func search(_ queries: [Query], topK: Int, name: String = "dense") -> Run {
        let vectors = encoder.embed(queries.map(\.text), batchSize: batchSize, maxLength: maxLength)
        return DenseSearch.run(
            queryIDs: queries.map(\.id), queries: DenseEmbeddings(rows: vectors, dimension: encoder.dimension),
            documentIDs: documentIDs, documents: documentEmbeddings, topK: topK, name: name)
    }

    /// Builds over the dataset's corpus and searches the queries judged in `split`.
    ///
    /// - Throws: ``DatasetError`` for an unknown split, or the errors of
    ///   ``build(encoder:documents:batchSize:maxLength:cache:progress:)``.
    package static func search(
        dataset: BEIRDataset, split: String, encoder: SentenceEncoder, topK: Int, batchSize: Int = 32,
        cache: DenseEmbeddingCache? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> Run {
        let queries = try dataset.queries(split: split)
        let retriever = try build(encoder: encoder, documents: dataset.corpus, batchSize: batchSize, cache: cache,
                                  progress: progress)
        return retriever.search(queries, topK: topK)
    }
}
