import Foundation
import SynthMetrics
import SynthRetrieval
import SynthTensor
import SynthTestSupport
import Testing

@testable import SynthModels

/// The real MiniLM cross-encoder on real SciFact claims: pair encoding, batch invariance, save/reload, and an
/// overfit sanity check (a handful of train-split claims must learn to put their gold abstract above BM25's
/// negatives). Sized for a debug build: short pairs, a few claims, a few dozen steps.
@Suite("MiniLM cross-encoder on SciFact claims", .serialized)
struct CrossEncoderMiniLMTests {
    static let folder = TestPaths.synthlabHome.appendingPathComponent("models/all-MiniLM-L6-v2")

    static func tokenizer() throws -> WordPieceTokenizer {
        try WordPieceTokenizer(vocabURL: folder.appendingPathComponent("vocab.txt"))
    }

    static func scores(_ model: CrossEncoder, _ tokenizer: WordPieceTokenizer, _ pairs: [(String, String)], maxLength: Int)
        -> [Float]
    {
        let batch = tokenizer.batch(pairs: pairs, maxLength: maxLength)
        return model.score(inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds)
    }

    /// The first `count` SciFact train claims, each with its gold abstract and BM25's best non-gold abstracts.
    static func claims(count: Int, negatives: Int) throws -> [(query: String, gold: String, negatives: [String])] {
        let data = try BEIRLoader.load(TestPaths.sharedData.appendingPathComponent("scifact"), splits: ["train"])
        let texts = Dictionary(uniqueKeysWithValues: data.corpus.map { ($0.id, $0.indexedText) })
        let index = BM25Index.build(documents: data.corpus)
        let qrels = data.qrels["train"]!
        return try data.queries(split: "train").prefix(count).map { query in
            let relevant = Set(qrels[query.id]!.filter { $0.value > 0 }.keys)
            let gold = texts[relevant.sorted(by: trecLess)[0]]!
            let hard = index.rank(query.text, topK: negatives + relevant.count).map(\.documentID)
                .filter { !relevant.contains($0) }.prefix(negatives).map { texts[$0]! }
            return (query.text, gold, Array(hard))
        }
    }

    @Test("pairs are [CLS] query [SEP] document [SEP] with segment ids 0 then 1; long documents are cut first")
    func pairEncoding() throws {
        let tokenizer = try Self.tokenizer()
        let query = tokenizer.tokenIds("vitamin d lowers fracture risk")
        let document = tokenizer.tokenIds(String(repeating: "bone density in elderly women. ", count: 40))
        let pair = tokenizer.encodePair("vitamin d lowers fracture risk", String(repeating: "bone density in elderly women. ", count: 40), maxLength: 32)
        #expect(pair.ids.count == 32)
        #expect(pair.ids == [tokenizer.clsId] + query + [tokenizer.sepId] + document.prefix(32 - 3 - query.count) + [tokenizer.sepId])
        #expect(pair.typeIds == Array(repeating: 0, count: query.count + 2) + Array(repeating: 1, count: 32 - query.count - 2))
    }

    @Test("a pair's score does not depend on its batch, its padding or the head being re-read; segments matter")
    func batchInvariance() throws {
        let tokenizer = try Self.tokenizer()
        let model = try CrossEncoder.load(folder: Self.folder, seed: 7)
        #expect(model.usesPooler)
        let pairs = [
            ("vitamin d lowers fracture risk", "Vitamin D supplementation and fractures in older adults: a trial."),
            ("smoking causes lung cancer", "A short note."),
            ("coffee protects the liver", "Coffee consumption is associated with lower liver enzyme levels in a cohort."),
        ]
        let batched = Self.scores(model, tokenizer, pairs, maxLength: 64)
        for (index, pair) in pairs.enumerated() {
            let alone = Self.scores(model, tokenizer, [pair], maxLength: 64)[0]
            #expect(abs(alone - batched[index]) < 1e-4, "pair \(index): alone \(alone), in a batch \(batched[index])")
        }
        // the same query and document in the other order is a different input
        let swapped = Self.scores(model, tokenizer, [(pairs[0].1, pairs[0].0)], maxLength: 64)[0]
        #expect(abs(swapped - batched[0]) > 1e-5)
        // segment ids reach the model
        let batch = tokenizer.batch(pairs: [pairs[0]], maxLength: 64)
        let zeros = model.score(
            inputIds: batch.inputIds, attentionMask: batch.attentionMask,
            tokenTypeIds: batch.inputIds.map { $0.map { _ in 0 } })[0]
        #expect(abs(zeros - batched[0]) > 1e-5)
    }

    @Test("overfit sanity: 4 SciFact train claims learn to rank their gold abstract above BM25's negatives; save/reload and rerank keep the trained scores")
    func overfitsAHandfulOfClaims() throws {
        let tokenizer = try Self.tokenizer()
        let claims = try Self.claims(count: 4, negatives: 3)
        let maxLength = 48
        let groups = claims.map {
            CrossEncoderGroup(
                query: $0.query, passages: [$0.gold] + $0.negatives, labels: [1, 0, 0, 0], tokenizer: tokenizer,
                maxLength: maxLength)
        }
        let base = try CrossEncoder.load(folder: Self.folder, seed: 0)
        func goldFirst(_ model: CrossEncoder) -> Int {
            claims.filter { claim in
                let s = Self.scores(model, tokenizer, ([claim.gold] + claim.negatives).map { (claim.query, $0) }, maxLength: maxLength)
                return s.dropFirst().allSatisfy { $0 < s[0] }
            }.count
        }
        var options = TrainingOptions()
        options.batchSize = 4
        options.epochs = 30
        options.maxSteps = 30
        options.learningRate = 1e-4
        options.warmupSteps = 2
        options.seed = 1
        let result = CrossEncoderTrainer(options: options, loss: LocalizedContrastiveLoss()).train(base, groups: groups)
        let early = result.losses.prefix(3).reduce(0, +) / 3
        let late = result.losses.suffix(3).reduce(0, +) / 3
        #expect(early > 1.1 && late < early / 2, "LCE loss \(early) → \(late) (ln 4 = 1.386)")
        #expect(goldFirst(result.model) == 4, "gold first for \(goldFirst(base)) of 4 claims before training")

        // the saved folder reloads with the trained head and body: identical scores, unlike a fresh head
        let saved = try TestPaths.temporaryFolder().appendingPathComponent("ce")
        defer { try? FileManager.default.removeItem(at: saved.deletingLastPathComponent()) }
        try result.model.save(to: saved, baseModelFolder: Self.folder)
        let reloaded = try CrossEncoder.load(folder: saved, seed: 99)
        let probe = claims.flatMap { claim in ([claim.gold] + claim.negatives).map { (claim.query, $0) } }
        let trained = Self.scores(result.model, tokenizer, probe, maxLength: maxLength)
        let back = Self.scores(reloaded, tokenizer, probe, maxLength: maxLength)
        #expect(zip(trained, back).allSatisfy { abs($0 - $1) < 1e-4 })
        #expect(reloaded.head["classifier.weight"]!.scalars == result.model.head["classifier.weight"]!.scalars)
        #expect(goldFirst(reloaded) == 4)

        // rerank: every entry keeps its own pair's score (batch of 3 over 4 candidates) and the gold comes first
        var run = Run(name: "bm25")
        var documents: [String: String] = [:]
        var queries: [String: String] = [:]
        for (q, claim) in claims.enumerated() {
            queries["q\(q)"] = claim.query
            let texts = [claim.gold] + claim.negatives
            for (d, text) in texts.enumerated() { documents["q\(q)d\(d)"] = text }
            // BM25-like order that puts the gold last
            run["q\(q)"] = texts.indices.map { Run.Entry(docID: "q\(q)d\($0)", score: Double($0)) }
        }
        let reranked = CrossEncoderReranker(model: reloaded, tokenizer: tokenizer, maxLength: maxLength, batchSize: 3)
            .rerank(run, queries: queries, documents: documents, depth: 4)
        for (q, claim) in claims.enumerated() {
            let ranked = reranked.ranked("q\(q)")
            #expect(ranked.first?.docID == "q\(q)d0")
            #expect(ranked.map(\.score) == ranked.map(\.score).sorted(by: >))
            for entry in ranked {
                let alone = Self.scores(reloaded, tokenizer, [(claim.query, documents[entry.docID]!)], maxLength: maxLength)[0]
                #expect(abs(Float(entry.score) - alone) < 1e-4, "\(entry.docID)")
            }
        }
    }
}
