import Foundation

/// An inverted index scored with Lucene's BM25, built from documents analysed by ``EnglishAnalyzer``.
///
/// Scores follow Lucene 8+ `BM25Similarity`, which Anserini and Pyserini use:
///
///     score(q, d) = Σ_{t ∈ q} n_t · idf(t) · tf / (tf + k1 · (1 − b + b · |d| / avgdl))
///     idf(t)      = ln(1 + (N − df + 0.5) / (df + 0.5))
///
/// with `n_t` the number of times `t` occurs in the query (Anserini boosts repeated query terms),
/// `|d|` decoded from Lucene's one-byte ``SmallFloat`` length code, and the arithmetic done in `Float`
/// as Lucene does (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework: BM25 and Beyond").
/// The title and text of a document are indexed as one field (Pyserini's "flat" BEIR indexes).
///
/// ```swift
/// let index = BM25Index.build(documents: dataset.corpus)          // k1 0.9, b 0.4
/// let run = index.search(try dataset.queries(split: "test"), topK: 1000)
/// try index.save(to: URL(fileURLWithPath: "scifact.bm25"))
/// ```
package struct BM25Index: Sendable {
    /// Term-frequency saturation (Lucene/Pyserini default 0.9).
    package var k1: Float
    /// Length normalisation (Lucene/Pyserini default 0.4).
    package var b: Float
    /// External document ids, by internal document number.
    package internal(set) var documentIDs: [String]
    /// Indexed terms (stems), by term number.
    package internal(set) var terms: [String]
    /// Term → term number.
    var termNumbers: [String: Int32]
    /// Postings of term t are `postingOffsets[t] ..< postingOffsets[t + 1]` in the two arrays below.
    var postingOffsets: [Int]
    /// Document numbers, ascending within each term.
    var postingDocuments: [Int32]
    var postingFrequencies: [Int32]
    /// Number of terms in each document after analysis (stop words removed).
    var documentLengths: [Int32]

    /// The number of documents.
    package var documentCount: Int { documentIDs.count }
    /// The number of distinct terms.
    package var termCount: Int { terms.count }
    /// The total number of indexed terms.
    package var totalTermCount: Int { postingFrequencies.reduce(0) { $0 + Int($1) } }

    /// Average document length, as Lucene computes it (`sumTotalTermFreq / docCount`, in `Float`).
    package var averageLength: Float {
        documentIDs.isEmpty ? 0 : Float(Double(documentLengths.reduce(0) { $0 + Int($1) }) / Double(documentCount))
    }

    /// The number of documents containing the term `stem`.
    package func documentFrequency(_ stem: String) -> Int {
        guard let t = termNumbers[stem] else { return 0 }
        return postingOffsets[Int(t) + 1] - postingOffsets[Int(t)]
    }

    /// Checks the index's structural invariants (used by tests and after loading).
    func checkInvariants() -> String? {
        guard postingOffsets.count == terms.count + 1, postingOffsets.first == 0,
            postingOffsets.last == postingDocuments.count, postingDocuments.count == postingFrequencies.count,
            documentLengths.count == documentIDs.count, termNumbers.count == terms.count
        else { return "array sizes disagree" }
        for t in 0..<terms.count {
            let range = postingOffsets[t]..<postingOffsets[t + 1]
            if range.isEmpty { return "term \(terms[t]) has no postings" }
            var previous: Int32 = -1
            for p in range {
                let d = postingDocuments[p]
                if d <= previous || Int(d) >= documentIDs.count || postingFrequencies[p] <= 0 {
                    return "postings of \(terms[t]) are not ascending documents with positive frequencies"
                }
                previous = d
            }
        }
        return nil
    }
}
