import SynthMetrics
import SynthTensor

/// Exact nearest-neighbour search by inner product over ``DenseEmbeddings``.
///
/// Scores are `s(q, d) = q · d` (cosine similarity for unit-length embeddings, as sentence-transformers
/// models with a `Normalize` module produce). Queries are scored against all documents with one matrix
/// product per block of queries (OpenBLAS through SynthTensor's ``Gemm``), then each row keeps its
/// `topK` best with a bounded heap. Ties are broken by document order, so runs are deterministic.
///
/// ```swift
/// let hits = DenseSearch.topK(queries: q, documents: d, k: 10)   // [[(index, score)]], best first
/// ```
package enum DenseSearch {
    /// The `k` best documents of each query, best first.
    ///
    /// - Complexity: O(queries × documents × dimension) for the product, O(documents × log k) per query
    ///   for selection.
    package static func topK(
        queries: DenseEmbeddings, documents: DenseEmbeddings, k: Int
    ) -> [[(index: Int, score: Float)]] {
        precondition(queries.dimension == documents.dimension || queries.count == 0 || documents.count == 0,
                     "query width \(queries.dimension) differs from document width \(documents.dimension)")
        guard queries.count > 0 else { return [] }
        guard documents.count > 0, k > 0 else { return Array(repeating: [], count: queries.count) }
        let block = max(1, min(queries.count, (1 << 24) / documents.count))
        var results: [[(index: Int, score: Float)]] = []
        results.reserveCapacity(queries.count)
        var scores = [Float](repeating: 0, count: block * documents.count)
        for start in stride(from: 0, to: queries.count, by: block) {
            let rows = min(block, queries.count - start)
            queries.values.withUnsafeBufferPointer { q in
                documents.values.withUnsafeBufferPointer { d in
                    scores.withUnsafeMutableBufferPointer { c in
                        Gemm.multiply(transposeB: true, m: rows, n: documents.count, k: queries.dimension,
                                      a: q.baseAddress! + start * queries.dimension, lda: queries.dimension,
                                      b: d.baseAddress!, ldb: documents.dimension, c: c.baseAddress!,
                                      ldc: documents.count)
                    }
                }
            }
            for row in 0..<rows {
                results.append(select(scores, offset: row * documents.count, count: documents.count, k: k))
            }
        }
        return results
    }

    /// A ``Run`` of `topK` documents per query, scores as `Double`.
    package static func run(
        queryIDs: [String], queries: DenseEmbeddings, documentIDs: [String], documents: DenseEmbeddings, topK: Int,
        name: String = "dense"
    ) -> Run {
        precondition(queryIDs.count == queries.count && documentIDs.count == documents.count, "ids and rows differ")
        let hits = self.topK(queries: queries, documents: documents, k: topK)
        var rankings: [String: [Run.Entry]] = [:]
        for (qid, row) in zip(queryIDs, hits) {
            rankings[qid] = row.map { Run.Entry(docID: documentIDs[$0.index], score: Double($0.score)) }
        }
        return Run(name: name, rankings: rankings)
    }

    /// Best `k` of `scores[offset..<offset+count]` via a min-heap on (score, -index).
    static func select(_ scores: [Float], offset: Int, count: Int, k: Int) -> [(index: Int, score: Float)] {
        let k = min(k, count)
        var heap: [(index: Int, score: Float)] = []
        heap.reserveCapacity(k)
        // "worse" = lower score, or equal score and later index
        @inline(__always) func worse(_ a: (index: Int, score: Float), _ b: (index: Int, score: Float)) -> Bool {
            a.score != b.score ? a.score < b.score : a.index > b.index
        }
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count && worse(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count && worse(heap[right], heap[smallest]) { smallest = right }
                if smallest == parent { return }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        for index in 0..<count {
            let candidate = (index: index, score: scores[offset + index])
            if heap.count < k {
                heap.append(candidate)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard worse(heap[child], heap[parent]) else { break }
                    heap.swapAt(child, parent)
                    child = parent
                }
            } else if worse(heap[0], candidate) {
                heap[0] = candidate
                siftDown(0)
            }
        }
        return heap.sorted { worse($1, $0) }
    }
}
