import SynthModels
import SynthRetrieval

/// Dense retrieval with a sentence encoder, for round-trip filtering and retrieval rewards.
///
/// The corpus is embedded once at construction; a query is embedded and documents ranked by the dot
/// product of the vectors (the cosine for encoders that normalise, such as all-MiniLM-L6-v2). Meant for
/// the small corpora synthesis filters run over; full-corpus evaluation uses the models' own search.
package struct EncoderRetriever: PassageRetriever {
    package var name: String
    private let encoder: SentenceEncoder
    private let ids: [String]
    private let vectors: [[Float]]

    /// Embeds `documents` (title and text) with `encoder`.
    ///
    /// - Complexity: one forward pass per document, batched by length.
    package init(
        encoder: SentenceEncoder, documents: [Document], name: String = "dense", batchSize: Int = 32,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) {
        self.name = name
        self.encoder = encoder
        ids = documents.map(\.id)
        vectors = encoder.embed(documents.map(\.indexedText), batchSize: batchSize, progress: progress)
    }

    package func rank(_ query: String, topK: Int) async throws -> [String] {
        guard let q = encoder.embed([query]).first else { return [] }
        var scored: [(index: Int, score: Float)] = []
        scored.reserveCapacity(vectors.count)
        for (index, vector) in vectors.enumerated() {
            var dot: Float = 0
            for i in 0..<min(q.count, vector.count) { dot += q[i] * vector[i] }
            scored.append((index, dot))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : ids[$0.index] < ids[$1.index] }
        return scored.prefix(max(0, topK)).map { ids[$0.index] }
    }
}
