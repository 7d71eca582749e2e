import Foundation
import SynthMetrics

/// One retrieved document and its BM25 score.
package struct SearchHit: Sendable, Equatable {
    package var documentID: String
    package var score: Float

    package init(documentID: String, score: Float) {
        self.documentID = documentID
        self.score = score
    }
}

extension BM25Index {
    /// The best `topK` documents for each query, best first, searching queries in parallel on all cores.
    ///
    /// Documents with equal scores are ranked by internal document number (corpus order), as Lucene
    /// does. Documents that share no term with the query are never returned.
    ///
    /// - Returns: One list per query, in the order of `queries`.
    /// - Complexity: O(Σ postings of the query terms + m log m) per query, m the matching documents.
    package func rank(_ queries: [Query], topK: Int) -> [[SearchHit]] {
        guard !queries.isEmpty else { return [] }
        let analyzer = EnglishAnalyzer()
        let parsed = queries.map { queryTerms(analyzer.analyze($0.text)) }
        let normInverse = normInverseTable()
        let norms = documentLengths.map { SmallFloat.intToByte4(Int($0)) }
        let chunkCount = min(queries.count, max(1, ProcessInfo.processInfo.activeProcessorCount * 4))
        let slots = UnsafeSlots<[[SearchHit]]>(count: chunkCount)
        let index = self
        DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
            let range = (queries.count * c / chunkCount)..<(queries.count * (c + 1) / chunkCount)
            var scores = [Float](repeating: 0, count: index.documentCount)
            var touched: [Int32] = []
            var lists: [[SearchHit]] = []
            for q in range {
                lists.append(
                    index.rankOne(parsed[q], topK: topK, normInverse: normInverse, norms: norms, scores: &scores,
                                  touched: &touched))
            }
            slots[c] = lists
        }
        return slots.collect().flatMap { $0 }
    }

    /// The hits for one query (see ``rank(_:topK:)``).
    package func rank(_ query: String, topK: Int) -> [SearchHit] {
        rank([Query(id: "", text: query)], topK: topK)[0]
    }

    /// The BM25 score of one document for a query, or `nil` when the document id is unknown.
    package func score(_ query: String, documentID: String) -> Float? {
        guard let d = documentIDs.firstIndex(of: documentID) else { return nil }
        let normInverse = normInverseTable()
        let norm = SmallFloat.intToByte4(Int(documentLengths[d]))
        var total: Float = 0
        for (term, count) in queryTerms(EnglishAnalyzer().analyze(query)) {
            let postings = postingOffsets[Int(term)]..<postingOffsets[Int(term) + 1]
            guard let p = postings.first(where: { postingDocuments[$0] == Int32(d) }) else { continue }
            let weight = Float(count) * idf(documentFrequency: postings.count)
            total += weight - weight / (1 + Float(postingFrequencies[p]) * normInverse[Int(norm)])
        }
        return total
    }

    /// Lucene's idf: ln(1 + (N − df + 0.5) / (df + 0.5)), computed in Double and stored as Float.
    func idf(documentFrequency df: Int) -> Float {
        Float(log(1 + (Double(documentCount) - Double(df) + 0.5) / (Double(df) + 0.5)))
    }

    /// 1 / (k1 · (1 − b + b · length / avgdl)) for every one-byte length code (Lucene's BM25Scorer cache).
    func normInverseTable() -> [Float] {
        let avgdl = averageLength
        return SmallFloat.lengthTable.map { length in
            1 / (k1 * ((1 - b) + b * length / avgdl))
        }
    }

    /// Distinct known query terms with their number of occurrences, in first-occurrence order.
    func queryTerms(_ stems: [String]) -> [(term: Int32, count: Int)] {
        var result: [(term: Int32, count: Int)] = []
        for stem in stems {
            guard let term = termNumbers[stem] else { continue }
            if let i = result.firstIndex(where: { $0.term == term }) {
                result[i].count += 1
            } else {
                result.append((term, 1))
            }
        }
        return result
    }

    private func rankOne(
        _ terms: [(term: Int32, count: Int)], topK: Int, normInverse: [Float], norms: [UInt8],
        scores: inout [Float], touched: inout [Int32]
    ) -> [SearchHit] {
        guard topK > 0 else { return [] }
        for (term, count) in terms {
            let start = postingOffsets[Int(term)], end = postingOffsets[Int(term) + 1]
            let weight = Float(count) * idf(documentFrequency: end - start)
            postingDocuments.withUnsafeBufferPointer { docs in
                postingFrequencies.withUnsafeBufferPointer { freqs in
                    for p in start..<end {
                        let d = Int(docs[p])
                        let freq = Float(freqs[p])
                        if scores[d] == 0 { touched.append(Int32(d)) }
                        scores[d] += weight - weight / (1 + freq * normInverse[Int(norms[d])])
                    }
                }
            }
        }
        var candidates = touched.map { (document: $0, score: scores[Int($0)]) }
        for d in touched { scores[Int(d)] = 0 }
        touched.removeAll(keepingCapacity: true)
        candidates.sort { $0.score != $1.score ? $0.score > $1.score : $0.document < $1.document }
        return candidates.prefix(topK).map { SearchHit(documentID: documentIDs[Int($0.document)], score: $0.score) }
    }
}

extension BM25Index {
    /// Searches `queries` and returns a ``Run`` named `bm25` keyed by query id (see ``rank(_:topK:)``).
    package func search(_ queries: [Query], topK: Int = 1000, runName: String = "bm25") -> Run {
        let lists = rank(queries, topK: topK)
        var run = Run(name: runName)
        for (query, hits) in zip(queries, lists) {
            run.rankings[query.id] = hits.map { Run.Entry(docID: $0.documentID, score: Double($0.score)) }
        }
        return run
    }
}
