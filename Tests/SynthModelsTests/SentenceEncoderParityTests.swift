import Foundation
import SynthTestSupport
import Testing

@testable import SynthModels

/// all-MiniLM-L6-v2 through ``SentenceEncoder`` against sentence-transformers' recorded output
/// (`Fixtures/minilm-reference.json`, written by `scripts/make-parity-reference.py`).
@Suite struct SentenceEncoderParityTests {
    static let folder = TokenizerParityTests.modelFolder

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    @Test func layoutOfMiniLM() throws {
        let layout = try SentenceTransformerLayout.read(folder: Self.folder)
        #expect(layout.maxSeqLength == 256)
        #expect(layout.pooling == .mean)
        #expect(layout.normalize)
        #expect(layout.tokenizerLowercase)
        #expect(!layout.lowercaseInput)
    }

    /// Identical token ids and cosine ≥ 0.9999 on every sentence (unicode, CJK, emoji, > 256 tokens, empty…).
    @Test func embeddingsMatchSentenceTransformers() throws {
        let encoder = try SentenceEncoder.load(folder: Self.folder)
        let reference = try ParityReference.load(TokenizerParityTests.fixtures.appendingPathComponent("minilm-reference.json"))
        let texts = reference.sentences.map(\.text)
        let vectors = encoder.embed(texts, batchSize: 8)
        #expect(vectors.count == texts.count)
        for (sentence, vector) in zip(reference.sentences, vectors) {
            #expect(encoder.tokenize(sentence.text) == sentence.ids, "text: \(sentence.text.debugDescription)")
            #expect(vector.count == 384)
            let cosine = Self.cosine(vector, sentence.embedding)
            #expect(cosine >= 0.9999, "cosine \(cosine) for \(sentence.text.debugDescription)")
        }
    }

    /// Sorting by length and padding must not change any vector, nor their order.
    @Test func batchingKeepsOrderAndValues() throws {
        let encoder = try SentenceEncoder.load(folder: Self.folder)
        let texts = ["a short one", "", "a somewhat longer sentence about dense retrieval models", "x"]
        let batched = encoder.embed(texts, batchSize: 3)
        let single = texts.map { encoder.embed([$0], batchSize: 1)[0] }
        for (a, b) in zip(batched, single) {
            #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 })
        }
        #expect(encoder.embed([], batchSize: 4).isEmpty)
        #expect(encoder.tokenize(String(repeating: "word ", count: 400), maxLength: 16).count == 16)
    }

    @Test func lengthBatchesSortLongestFirstStably() {
        #expect(LengthBatches.order([3, 5, 3, 9, 1]) == [3, 1, 0, 2, 4])
        #expect(LengthBatches.split([3, 1, 0, 2, 4], batchSize: 2) == [[3, 1], [0, 2], [4]])
    }

    @Test func missingFolderAndBadPoolingAreReported() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/model")
        #expect(throws: ModelError.io(path: "/nonexistent/model", reason: "no such model folder")) {
            try SentenceEncoder.load(folder: missing)
        }
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("1_Pooling"),
                                                withIntermediateDirectories: true)
        let modules = #"[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},"#
            + #"{"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"}]"#
        try Data(modules.utf8).write(to: folder.appendingPathComponent("modules.json"))
        try Data(#"{"pooling_mode_max_tokens": true}"#.utf8)
            .write(to: folder.appendingPathComponent("1_Pooling/config.json"))
        let poolingPath = folder.appendingPathComponent("1_Pooling/config.json").path
        #expect(throws: ModelError.malformed(path: poolingPath, expected: "exactly one pooling mode, mean or cls",
                                             found: "max")) {
            try SentenceTransformerLayout.read(folder: folder)
        }
    }

    /// Files whose numbers would make the model index outside its embedding tables are rejected at load,
    /// naming the file and the bound, and no input grows past the position table (release builds of
    /// the numeric core do not check indices).
    @Test func nothingIndexesOutsideTheModelsTables() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let configURL = folder.appendingPathComponent("config.json")
        let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "cats", "purr"]
        try Data((vocabulary.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        func writeConfig(_ change: (inout [String: Any]) -> Void) throws {
            var object = try JSONSerialization.jsonObject(
                with: BertConfig.tiny(vocabSize: vocabulary.count).jsonData()) as? [String: Any] ?? [:]
            change(&object)
            try JSONSerialization.data(withJSONObject: object).write(to: configURL)
        }
        try writeConfig { _ in }
        #expect(try SentenceTransformerLayout.read(folder: folder).wordPieceTokenizer().vocabularySize == 6)

        for pad in [-1, vocabulary.count] {
            try writeConfig { $0["pad_token_id"] = pad }
            #expect(throws: ModelError.malformed(
                path: configURL.path, expected: "pad_token_id in 0..<6 (vocab_size)", found: "\(pad)")) {
                try SentenceTransformerLayout.read(folder: folder)
            }
        }
        try writeConfig { $0["type_vocab_size"] = 0 }
        #expect(throws: ModelError.malformed(path: configURL.path, expected: "a positive type_vocab_size", found: "0")) {
            try SentenceTransformerLayout.read(folder: folder)
        }

        try writeConfig { $0["vocab_size"] = vocabulary.count - 1 }
        #expect(throws: ModelError.malformed(
            path: folder.appendingPathComponent("vocab.txt").path,
            expected: "at most 5 tokens (vocab_size of config.json)", found: "6")) {
            try SentenceTransformerLayout.read(folder: folder).wordPieceTokenizer()
        }

        // No encoding is longer than the model's 64 position embeddings, whatever a file or a caller asks.
        try writeConfig { _ in }
        try Data(#"{"max_seq_length": 1000}"#.utf8).write(to: folder.appendingPathComponent("sentence_bert_config.json"))
        let layout = try SentenceTransformerLayout.read(folder: folder)
        #expect(layout.maxSeqLength == 64)
        let tokenizer = try layout.wordPieceTokenizer()
        let long = Array(repeating: "cats purr", count: 40).joined(separator: " ")
        #expect(tokenizer.encode(long, maxLength: 1000).count == 64)
        #expect(tokenizer.encode(long, maxLength: 10).count == 10)
        #expect(tokenizer.encodePair(long, long, maxLength: 1000).ids.count == 64)
        #expect(tokenizer.batch(pairs: [("cats", long)], maxLength: 1000).sequenceLength == 64)
        let unbound = try WordPieceTokenizer(vocabURL: folder.appendingPathComponent("vocab.txt"))
        #expect(unbound.encode(long, maxLength: 1000).count == 82)
    }
}
