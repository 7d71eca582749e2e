import Foundation
import SynthTensor
import SynthTestSupport
import Testing

@testable import SynthModels

/// Runs the numpy BERT reference on the given padded batch and returns its JSON answer.
func numpyBertReference(folder: URL, inputIds: [[Int32]], attentionMask: [[Int32]]) throws -> [String: Any] {
    let script = TestPaths.root.appendingPathComponent("Tests/SynthModelsTests/Fixtures/bert_numpy_reference.py")
    let process = Process()
    process.executableURL = TestPaths.python
    process.arguments = [script.path, folder.path]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let request = try JSONSerialization.data(withJSONObject: ["input_ids": inputIds, "attention_mask": attentionMask])
    input.fileHandleForWriting.write(request)
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
}

@Suite("BertModel")
struct BertModelTests {
    static let minilm = TestPaths.synthlabHome.appendingPathComponent("models/all-MiniLM-L6-v2")

    static let ids: [[Int32]] = [
        [101, 7592, 2088, 999, 102, 0, 0, 0],
        [101, 2023, 2003, 1037, 3231, 1997, 6251, 102],
        [101, 1996, 4937, 2938, 2006, 1996, 13523, 102],
    ]
    static let mask: [[Int32]] = [[1, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1]]

    @Test("MiniLM weights load with the configured shapes")
    func loadsMiniLM() throws {
        let model = try BertModel.load(folder: Self.minilm)
        #expect(model.config.numHiddenLayers == 6)
        #expect(model.config.hiddenSize == 384)
        #expect(model.parameters["embeddings.word_embeddings.weight"]?.shape == [30522, 384])
        #expect(model.parameters["pooler.dense.weight"]?.shape == [384, 384])
        #expect(model.parameters["embeddings.position_ids"] == nil)
    }

    @Test("last hidden states and pooled embeddings match the numpy reference within 1e-4")
    func forwardParity() throws {
        let model = try BertModel.load(folder: Self.minilm)
        let reference = try numpyBertReference(folder: Self.minilm, inputIds: Self.ids, attentionMask: Self.mask)
        let expected = try #require(reference["last_hidden_state"] as? [[[Double]]])
        let hidden = model.encode(inputIds: Self.ids, attentionMask: Self.mask)
        #expect(hidden.shape == [3, 8, 384])
        var worst = 0.0
        for b in 0..<3 {
            for s in 0..<8 where Self.mask[b][s] == 1 {
                for h in 0..<384 { worst = max(worst, abs(Double(hidden[b, s, h]) - expected[b][s][h])) }
            }
        }
        #expect(worst < 1e-4, "max abs difference \(worst)")

        let expectedEmbeddings = try #require(reference["embeddings"] as? [[Double]])
        let embeddings = BiEncoder(model: model).embed(inputIds: Self.ids, attentionMask: Self.mask)
        var worstEmbedding = 0.0
        for (row, expectedRow) in zip(embeddings, expectedEmbeddings) {
            for (value, expectedValue) in zip(row, expectedRow) { worstEmbedding = max(worstEmbedding, abs(Double(value) - expectedValue)) }
        }
        #expect(worstEmbedding < 1e-5, "max abs difference \(worstEmbedding)")
    }

    @Test("padding does not change a text's embedding")
    func paddingInvariance() throws {
        let model = BertModel(config: .tiny(), seed: 3)
        let encoder = BiEncoder(model: model)
        let alone = encoder.embed(inputIds: [[1, 5, 9, 2]], attentionMask: [[1, 1, 1, 1]])[0]
        let padded = encoder.embed(inputIds: [[1, 5, 9, 2, 0, 0], [1, 7, 7, 7, 7, 2]],
                                   attentionMask: [[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])[0]
        for (a, b) in zip(alone, padded) { #expect(abs(a - b) < 1e-5) }
        let norm = alone.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
    }

    @Test("a missing tensor is reported by name")
    func missingTensor() throws {
        var weights = BertModel(config: .tiny(), seed: 1).hostWeights()
        weights.removeValue(forKey: "encoder.layer.1.output.dense.bias")
        #expect(throws: ModelError.missingTensor(path: "weights", name: "encoder.layer.1.output.dense.bias")) {
            try BertModel(config: .tiny(), weights: weights)
        }
    }

    @Test("a mis-shaped tensor is reported with both shapes")
    func wrongShape() throws {
        var weights = BertModel(config: .tiny(), seed: 1).hostWeights()
        weights["embeddings.LayerNorm.bias"] = HostTensor(shape: [3], values: [0, 0, 0])
        #expect(throws: ModelError.shapeMismatch(path: "weights", name: "embeddings.LayerNorm.bias", expected: [32], found: [3])) {
            try BertModel(config: .tiny(), weights: weights)
        }
    }
}

@Suite("CrossEncoder")
struct CrossEncoderTests {
    @Test("a fresh head scores pairs and gradients reach the head and the encoder")
    func freshHead() {
        var config = BertConfig.tiny(vocabSize: 20)
        config.numHiddenLayers = 1
        let reranker = CrossEncoder(model: BertModel(config: config, seed: 1), labels: 1, seed: 2)
        #expect(!reranker.usesPooler)
        let input = BertInput(inputIds: [[1, 4, 2, 6, 2], [1, 5, 2, 7, 2]], attentionMask: [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1]],
                              tokenTypeIds: [[0, 0, 0, 1, 1], [0, 0, 0, 1, 1]])
        let scores = reranker.score(inputIds: input.inputIds, attentionMask: input.attentionMask, tokenTypeIds: input.tokenTypeIds)
        #expect(scores.count == 2 && scores[0] != scores[1])
        let tape = Tape()
        tape.backward(from: tape.sum(reranker.forward(tape, input)))
        let gradients = tape.parameterGradients()
        #expect(gradients["classifier.weight"]?.shape == [1, 32])
        #expect(gradients["encoder.layer.0.output.dense.weight"] != nil)
    }

    @Test("a classifier or a token-type table that does not fit the encoder is reported with the file")
    func misfitHeadIsReported() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let weightsURL = folder.appendingPathComponent("model.safetensors")
        func write(config: BertConfig, classifier: [Int], bias: [Int]) throws {
            try config.jsonData().write(to: folder.appendingPathComponent("config.json"))
            var weights = BertModel(config: config, seed: 1).hostWeights()
            weights["classifier.weight"] = HostTensor(shape: classifier, values: [Float](repeating: 0.5, count: classifier.reduce(1, *)))
            weights["classifier.bias"] = HostTensor(shape: bias, values: [Float](repeating: 0, count: bias.reduce(1, *)))
            try SafeTensors.write(weights, to: weightsURL)
        }
        try write(config: .tiny(), classifier: [2, 32], bias: [2])
        #expect(try CrossEncoder.load(folder: folder).head["classifier.weight"]?.shape == [2, 32])
        try write(config: .tiny(), classifier: [1, 16], bias: [1])
        #expect(throws: ModelError.shapeMismatch(path: weightsURL.path, name: "classifier.weight", expected: [1, 32], found: [1, 16])) {
            try CrossEncoder.load(folder: folder)
        }
        try write(config: .tiny(), classifier: [1, 32], bias: [3])
        #expect(throws: ModelError.shapeMismatch(path: weightsURL.path, name: "classifier.bias", expected: [1], found: [3])) {
            try CrossEncoder.load(folder: folder)
        }
        var single = BertConfig.tiny()
        single.typeVocabSize = 1
        try write(config: single, classifier: [1, 32], bias: [1])
        #expect(throws: ModelError.malformed(
            path: folder.appendingPathComponent("config.json").path,
            expected: "type_vocab_size of at least 2 (pairs use token type 1)", found: "1")) {
            try CrossEncoder.load(folder: folder)
        }
    }

    @Test("the MiniLM checkpoint's pooler is used and a classifier is created")
    func poolerFromCheckpoint() throws {
        let reranker = try CrossEncoder.load(folder: BertModelTests.minilm)
        #expect(reranker.usesPooler)
        #expect(reranker.head["classifier.weight"]?.shape == [1, 384])
        #expect(reranker.hostWeights()["bert.pooler.dense.weight"]?.shape == [384, 384])
    }
}
