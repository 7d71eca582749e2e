import Foundation
import SynthMetrics
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthRetrieval

@Suite struct BM25IndexTests {
    static let corpus = [
        Document(id: "d1", title: "Cats", text: "cat dog"),  // cat ×2, dog: length 3
        Document(id: "d2", text: "dogs and birds"),  // dog, bird: length 2 ("and" is a stop word)
        Document(id: "d3", text: "fish"),
    ]

    /// Lucene's BM25 in Double: idf · tf / (tf + k1 (1 − b + b dl / avgdl)).
    static func expected(tf: Double, df: Double, dl: Double, n: Double = 3, avgdl: Double = 2, k1: Double = 0.9,
                         b: Double = 0.4) -> Double {
        let idf = log(1 + (n - df + 0.5) / (df + 0.5))
        return idf * tf / (tf + k1 * (1 - b + b * dl / avgdl))
    }

    @Test func buildsPostingsAndStatistics() {
        let index = BM25Index.build(documents: Self.corpus)
        #expect(index.documentCount == 3)
        #expect(Set(index.terms) == ["cat", "dog", "bird", "fish"])
        #expect(index.documentFrequency("dog") == 2)
        #expect(index.documentFrequency("cat") == 1)
        #expect(index.documentFrequency("and") == 0)
        #expect(index.averageLength == 2)
        #expect(index.totalTermCount == 6)
        #expect(index.checkInvariants() == nil)
        #expect(index.summary == "bm25 index: 3 docs, 4 terms, k1 0.9, b 0.4")
    }

    @Test func scoresMatchLucenesFormula() throws {
        let index = BM25Index.build(documents: Self.corpus)
        let hits = index.rank("cats and dogs", topK: 10)
        #expect(hits.map(\.documentID) == ["d1", "d2"])
        let d1 = Self.expected(tf: 2, df: 1, dl: 3) + Self.expected(tf: 1, df: 2, dl: 3)
        let d2 = Self.expected(tf: 1, df: 2, dl: 2)
        #expect(abs(Double(hits[0].score) - d1) < 1e-5)
        #expect(abs(Double(hits[1].score) - d2) < 1e-5)
        #expect(index.rank("unknown words", topK: 10).isEmpty)
        #expect(index.rank("fish", topK: 0).isEmpty)
    }

    @Test func repeatedQueryTermsCountTwice() throws {
        let index = BM25Index.build(documents: Self.corpus)
        let once = try #require(index.rank("fish", topK: 1).first?.score)
        let twice = try #require(index.rank("fish fishes", topK: 1).first?.score)
        #expect(abs(twice - 2 * once) < 1e-6)
    }

    @Test func longDocumentLengthsAreQuantisedLikeLucene() throws {
        let long = Document(id: "long", text: "needle " + Array(repeating: "hay", count: 149).joined(separator: " "))
        let index = BM25Index.build(documents: [long, Document(id: "short", text: "hay")])
        let avgdl = Double(151) / 2
        let score = try #require(index.score("needle", documentID: "long"))
        // 150 tokens are stored as 144, as Lucene's one-byte norm does.
        let lucene = Self.expected(tf: 1, df: 1, dl: 144, n: 2, avgdl: avgdl)
        let exact = Self.expected(tf: 1, df: 1, dl: 150, n: 2, avgdl: avgdl)
        #expect(abs(Double(score) - lucene) < 1e-6)
        #expect(abs(Double(score) - exact) > 1e-4)
    }

    @Test func tiesRankInCorpusOrderAndTopKCuts() {
        let docs = (0..<50).map { Document(id: "doc\($0)", text: "same words here") }
        let hits = BM25Index.build(documents: docs).rank("words", topK: 7)
        #expect(hits.map(\.documentID) == (0..<7).map { "doc\($0)" })
    }

    @Test func parallelBuildEqualsSequentialContent() {
        // Enough documents for several chunks; the result must not depend on the chunking.
        let docs = (0..<500).map { Document(id: "d\($0)", text: "term\($0 % 37) shared word\($0 % 11) x\($0)") }
        let index = BM25Index.build(documents: docs)
        #expect(index.checkInvariants() == nil)
        #expect(index.documentFrequency("share") == 500)
        #expect(index.documentFrequency("term5") == 14)
        let one = BM25Index.build(documents: Array(docs.prefix(1)))
        #expect(one.documentFrequency("term0") == 1)
    }

    @Test func searchReturnsARunByQueryID() {
        let index = BM25Index.build(documents: Self.corpus)
        let run = index.search([Query(id: "q1", text: "dog"), Query(id: "q2", text: "fish")], topK: 10)
        #expect(run.name == "bm25")
        #expect(run["q1"]?.map(\.docID) == ["d2", "d1"])
        #expect(run["q2"]?.map(\.docID) == ["d3"])
    }

    @Test func saveAndLoadRoundTrip() throws {
        let dataset = try BEIRLoader.load(TestPaths.sharedData.appendingPathComponent("scifact"), splits: ["test"])
        let corpus = Array(dataset.corpus.prefix(800))
        let index = BM25Index.build(documents: corpus, k1: 1.2, b: 0.75)
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("scifact.bm25")
        try index.save(to: file)
        let loaded = try BM25Index.load(from: file)
        #expect(loaded.k1 == 1.2 && loaded.b == 0.75)
        #expect(loaded.documentIDs == index.documentIDs)
        #expect(loaded.terms == index.terms)
        #expect(loaded.postingOffsets == index.postingOffsets)
        #expect(loaded.postingDocuments == index.postingDocuments)
        #expect(loaded.postingFrequencies == index.postingFrequencies)
        #expect(loaded.documentLengths == index.documentLengths)
        let queries = try dataset.queries(split: "test")
        #expect(loaded.rank(queries, topK: 100) == index.rank(queries, topK: 100))
        // PersistableObject goes through the same format.
        let objectFolder = folder.appendingPathComponent("object")
        try FileManager.default.createDirectory(at: objectFolder, withIntermediateDirectories: true)
        try index.persist(into: objectFolder)
        #expect(try BM25Index.restore(from: objectFolder).terms == index.terms)
    }

    @Test func loadRejectsForeignTruncatedAndNewerFiles() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("x.bm25")
        try BM25Index.build(documents: Self.corpus).save(to: file)
        let good = try Data(contentsOf: file)

        try AtomicFile.write("hello", to: file)
        #expect(renderedError { _ = try BM25Index.load(from: file) }
            == "\(file.path): error: expected a synthlab BM25 index, found another kind of file")

        try AtomicFile.write(good.prefix(good.count - 3), to: file)
        #expect(renderedError { _ = try BM25Index.load(from: file) } == "\(file.path): error: truncated index")

        var newer = good
        newer[8] = 9
        try AtomicFile.write(newer, to: file)
        #expect(renderedError { _ = try BM25Index.load(from: file) }
            == "\(file.path): error: expected index format version 1, found version 9")
    }
}
