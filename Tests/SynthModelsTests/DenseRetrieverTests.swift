import Foundation
import SynthMetrics
import SynthRetrieval
import SynthTestSupport
import Testing

@testable import SynthModels

/// all-MiniLM-L6-v2 dense retrieval on a tiny corpus: ranking equals brute-force cosine, the cache is reused.
@Suite struct DenseRetrieverTests {
    static let documents = [
        Document(id: "d1", title: "Cats", text: "Cats purr when they are content."),
        Document(id: "d2", title: "", text: "Dogs bark at strangers."),
        Document(id: "d3", title: "Vaccines", text: "Vaccination reduces the spread of measles."),
        Document(id: "d4", title: "Proteins", text: "p53 is a tumour suppressor protein."),
        Document(id: "d5", text: "The stock market fell sharply on Monday."),
    ]
    static let queries = [Query(id: "q1", text: "why do cats purr"), Query(id: "q2", text: "tumor suppressor genes")]

    @Test func rankingMatchesBruteForce() throws {
        let encoder = try SentenceEncoder.load(folder: TokenizerParityTests.modelFolder)
        let retriever = try DenseRetriever.build(encoder: encoder, documents: Self.documents, batchSize: 2)
        #expect(DenseRetriever.documentText(Self.documents[0]) == "Cats Cats purr when they are content.")
        #expect(DenseRetriever.documentText(Self.documents[1]) == "Dogs bark at strangers.")
        let run = retriever.search(Self.queries, topK: 3)
        #expect(run["q1"]?.first?.docID == "d1")
        #expect(run["q2"]?.first?.docID == "d4")
        #expect(run["q1"]?.count == 3)

        let docVectors = encoder.embed(Self.documents.map(DenseRetriever.documentText))
        let queryVector = encoder.embed([Self.queries[1].text])[0]
        let scores = docVectors.map { zip($0, queryVector).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
        let expected = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(3).map { Self.documents[$0].id }
        #expect(run["q2"]?.map(\.docID) == expected)
    }

    /// A tiny random model written as a folder (hashing MiniLM's 90 MB in a debug build would take minutes).
    static func tinyModelFolder() throws -> URL {
        let folder = try TestPaths.temporaryFolder()
        let words = ["cats", "purr", "dogs", "bark", "p53", "protein", "market", "the", "a", "is"]
        let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ","] + words
        try Data((vocabulary.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        let config = BertConfig.tiny(vocabSize: vocabulary.count)
        try config.jsonData().write(to: folder.appendingPathComponent("config.json"))
        let model = BertModel(config: config, seed: 7)
        try SafeTensors.write(model.hostWeights(), to: folder.appendingPathComponent("model.safetensors"))
        return folder
    }

    @Test func corpusEmbeddingsAreCachedByModelAndCorpus() throws {
        let modelFolder = try Self.tinyModelFolder()
        let cacheFolder = try TestPaths.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: modelFolder)
            try? FileManager.default.removeItem(at: cacheFolder)
        }
        let encoder = try SentenceEncoder.load(folder: modelFolder)
        #expect(encoder.layout.pooling == .mean && !encoder.layout.normalize)
        let cache = DenseEmbeddingCache(folder: cacheFolder)
        let first = try DenseRetriever.build(encoder: encoder, documents: Self.documents, batchSize: 2, cache: cache)
        let files = try FileManager.default.contentsOfDirectory(atPath: cacheFolder.path)
        #expect(files.count == 1 && files[0].hasSuffix(".slem"))

        let calls = Counter()
        let again = try DenseRetriever.build(encoder: encoder, documents: Self.documents, cache: cache,
                                             progress: { _, _ in calls.increment() })
        #expect(calls.value == 0, "a cache hit embeds nothing")
        #expect(again.documentEmbeddings == first.documentEmbeddings)

        // another corpus is a different key: embedded and stored beside the first
        let other = try DenseRetriever.build(encoder: encoder, documents: Array(Self.documents.prefix(2)), cache: cache,
                                             progress: { _, _ in calls.increment() })
        #expect(calls.value > 0)
        #expect(other.documentEmbeddings.count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cacheFolder.path).count == 2)
    }

    final class Counter: @unchecked Sendable {  // guarded by `lock`
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
