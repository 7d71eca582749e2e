import Foundation
import SynthMetrics
import SynthTestSupport
import Testing

@testable import SynthRetrieval

/// Exact inner-product top-k, the embeddings file format and the embedding cache.
@Suite struct DenseSearchTests {
    /// Deterministic pseudo-random rows of small integers, so every dot product is exact in `Float`
    /// (BLAS and a plain loop then agree bit for bit, and ties are common).
    static func matrix(_ rows: Int, _ dimension: Int, seed: UInt64) -> DenseEmbeddings {
        var state = seed
        var values: [Float] = []
        for _ in 0..<(rows * dimension) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Float(Int64(bitPattern: state >> 11) % 7 - 3))
        }
        return DenseEmbeddings(count: rows, dimension: dimension, values: values)
    }

    @Test(arguments: [1, 7, 50, 500])
    func topKEqualsBruteForce(_ k: Int) {
        let queries = Self.matrix(37, 16, seed: 1), documents = Self.matrix(300, 16, seed: 2)
        let hits = DenseSearch.topK(queries: queries, documents: documents, k: k)
        #expect(hits.count == 37)
        for (q, row) in hits.enumerated() {
            let scores = (0..<documents.count).map { d in
                zip(queries[q], documents[d]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            }
            let expected = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
                .prefix(min(k, documents.count))
            #expect(row.map(\.index) == Array(expected))
            for hit in row { #expect(abs(hit.score - scores[hit.index]) < 1e-4) }
        }
    }

    @Test func tiesKeepDocumentOrder() {
        let queries = DenseEmbeddings(rows: [[1, 0]])
        let documents = DenseEmbeddings(rows: [[0, 1], [1, 0], [0.5, 0], [1, 0]])
        #expect(DenseSearch.topK(queries: queries, documents: documents, k: 3)[0].map(\.index) == [1, 3, 2])
        #expect(DenseSearch.topK(queries: queries, documents: DenseEmbeddings(rows: [], dimension: 2), k: 3)
            .map(\.count) == [0])
    }

    @Test func runNamesDocumentsAndQueries() {
        let run = DenseSearch.run(
            queryIDs: ["q1"], queries: DenseEmbeddings(rows: [[0, 1]]), documentIDs: ["a", "b"],
            documents: DenseEmbeddings(rows: [[1, 0], [0, 2]]), topK: 10)
        #expect(run["q1"] == [Run.Entry(docID: "b", score: 2), Run.Entry(docID: "a", score: 0)])
    }

    @Test func fileRoundTripAndErrors() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let matrix = Self.matrix(5, 3, seed: 9)
        let url = folder.appendingPathComponent("m.slem")
        try matrix.save(to: url)
        #expect(try DenseEmbeddings.load(from: url) == matrix)
        try Data("nope".utf8).write(to: url)
        #expect(throws: (any Error).self) { try DenseEmbeddings.load(from: url) }
        do {
            _ = try DenseEmbeddings.decode(Data("nope".utf8), source: "x.slem")
        } catch {
            #expect("\(error)" == "x.slem: error: expected a SynthLab embeddings file (SLEM version 1), found other data")
        }
        var truncated = matrix.encoded()
        truncated.removeLast(4)
        #expect(throws: (any Error).self) { try DenseEmbeddings.decode(truncated, source: "t") }
    }

    @Test func cacheStoresByKeyAndCorpusHashSeparatesFields() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = DenseEmbeddingCache(folder: folder.appendingPathComponent("dense"))
        let key = DenseEmbeddingCache.Key(model: String(repeating: "a", count: 64), corpus: String(repeating: "b", count: 64))
        #expect(cache.load(key) == nil)
        let matrix = Self.matrix(4, 2, seed: 3)
        try cache.store(matrix, for: key)
        #expect(cache.load(key) == matrix)
        #expect(cache.url(for: key).lastPathComponent == "aaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb.slem")
        let one = DenseEmbeddingCache.corpusHash(ids: ["1", "2"], texts: ["ab", "c"], settings: "maxLength 256")
        let two = DenseEmbeddingCache.corpusHash(ids: ["1", "2"], texts: ["a", "bc"], settings: "maxLength 256")
        let three = DenseEmbeddingCache.corpusHash(ids: ["1", "2"], texts: ["ab", "c"], settings: "maxLength 128")
        #expect(Set([one, two, three]).count == 3)
        #expect(one == DenseEmbeddingCache.corpusHash(ids: ["1", "2"], texts: ["ab", "c"], settings: "maxLength 256"))
    }
}
