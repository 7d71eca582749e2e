import Foundation

/// The Hugging Face `config.json` of a BERT encoder (the fields the forward pass uses).
///
/// ```swift
/// let config = try BertConfig.load(from: folder.appendingPathComponent("config.json"))
/// config.hiddenSize   // 384 for all-MiniLM-L6-v2
/// ```
package struct BertConfig: Sendable, Equatable, Codable {
    package var vocabSize: Int
    package var hiddenSize: Int
    package var numHiddenLayers: Int
    package var numAttentionHeads: Int
    package var intermediateSize: Int
    package var maxPositionEmbeddings: Int
    package var typeVocabSize: Int
    package var layerNormEps: Float
    package var hiddenDropoutProb: Float
    package var attentionProbsDropoutProb: Float
    package var hiddenAct: String
    package var initializerRange: Float
    package var padTokenId: Int
    /// Number of classifier outputs for a cross-encoder head (`num_labels`; absent means 1).
    package var numLabels: Int?

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", intermediateSize = "intermediate_size"
        case maxPositionEmbeddings = "max_position_embeddings", typeVocabSize = "type_vocab_size"
        case layerNormEps = "layer_norm_eps", hiddenDropoutProb = "hidden_dropout_prob"
        case attentionProbsDropoutProb = "attention_probs_dropout_prob", hiddenAct = "hidden_act"
        case initializerRange = "initializer_range", padTokenId = "pad_token_id", numLabels = "num_labels"
    }

    /// A configuration; the defaults are BERT's.
    package init(
        vocabSize: Int = 30522, hiddenSize: Int = 768, numHiddenLayers: Int = 12, numAttentionHeads: Int = 12,
        intermediateSize: Int = 3072, maxPositionEmbeddings: Int = 512, typeVocabSize: Int = 2,
        layerNormEps: Float = 1e-12, hiddenDropoutProb: Float = 0.1, attentionProbsDropoutProb: Float = 0.1,
        hiddenAct: String = "gelu", initializerRange: Float = 0.02, padTokenId: Int = 0, numLabels: Int? = nil
    ) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
        self.layerNormEps = layerNormEps
        self.hiddenDropoutProb = hiddenDropoutProb
        self.attentionProbsDropoutProb = attentionProbsDropoutProb
        self.hiddenAct = hiddenAct
        self.initializerRange = initializerRange
        self.padTokenId = padTokenId
        self.numLabels = numLabels
    }

    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = BertConfig()
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        numHiddenLayers = try c.decode(Int.self, forKey: .numHiddenLayers)
        numAttentionHeads = try c.decode(Int.self, forKey: .numAttentionHeads)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 512
        typeVocabSize = try c.decodeIfPresent(Int.self, forKey: .typeVocabSize) ?? 2
        layerNormEps = try c.decodeIfPresent(Float.self, forKey: .layerNormEps) ?? defaults.layerNormEps
        hiddenDropoutProb = try c.decodeIfPresent(Float.self, forKey: .hiddenDropoutProb) ?? 0.1
        attentionProbsDropoutProb = try c.decodeIfPresent(Float.self, forKey: .attentionProbsDropoutProb) ?? 0.1
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "gelu"
        initializerRange = try c.decodeIfPresent(Float.self, forKey: .initializerRange) ?? 0.02
        padTokenId = try c.decodeIfPresent(Int.self, forKey: .padTokenId) ?? 0
        numLabels = try c.decodeIfPresent(Int.self, forKey: .numLabels)
    }

    /// A tiny configuration (2 layers, width 32) for fast tests.
    package static func tiny(vocabSize: Int = 100) -> BertConfig {
        BertConfig(
            vocabSize: vocabSize, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 64,
            maxPositionEmbeddings: 64)
    }

    /// Width of one attention head.
    package var headSize: Int { hiddenSize / numAttentionHeads }

    /// Reads and checks `config.json`.
    ///
    /// - Throws: ``ModelError`` naming the file when it is missing, not JSON, or inconsistent.
    package static func load(from url: URL) throws -> BertConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError.io(path: url.path, reason: "no readable config.json")
        }
        let config: BertConfig
        do { config = try JSONDecoder().decode(BertConfig.self, from: data) } catch {
            throw ModelError.malformed(path: url.path, expected: "a BERT config.json", found: "\(error)")
        }
        let sizes = [
            ("vocab_size", config.vocabSize), ("hidden_size", config.hiddenSize),
            ("num_hidden_layers", config.numHiddenLayers), ("num_attention_heads", config.numAttentionHeads),
            ("intermediate_size", config.intermediateSize), ("max_position_embeddings", config.maxPositionEmbeddings),
            ("type_vocab_size", config.typeVocabSize),
        ]
        if let (name, value) = sizes.first(where: { $0.1 < 1 }) {
            throw ModelError.malformed(path: url.path, expected: "a positive \(name)", found: "\(value)")
        }
        // Padding rows are looked up in the word embeddings, so the id must name one of its rows.
        guard (0..<config.vocabSize).contains(config.padTokenId) else {
            throw ModelError.malformed(
                path: url.path, expected: "pad_token_id in 0..<\(config.vocabSize) (vocab_size)",
                found: "\(config.padTokenId)")
        }
        guard config.hiddenSize % config.numAttentionHeads == 0 else {
            throw ModelError.malformed(
                path: url.path, expected: "hidden_size divisible by num_attention_heads",
                found: "\(config.hiddenSize) and \(config.numAttentionHeads)")
        }
        guard config.hiddenAct == "gelu" else {
            throw ModelError.malformed(path: url.path, expected: "hidden_act \"gelu\"", found: "\"\(config.hiddenAct)\"")
        }
        return config
    }

    /// The JSON Hugging Face writes (`model_type: bert`, `architectures`), for checkpoints.
    package func jsonData(architecture: String = "BertModel") throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var object = try JSONSerialization.jsonObject(with: encoder.encode(self)) as? [String: Any] ?? [:]
        object["model_type"] = "bert"
        object["architectures"] = [architecture]
        object["position_embedding_type"] = "absolute"
        if numLabels == nil { object.removeValue(forKey: "num_labels") }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}
