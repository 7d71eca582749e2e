import Foundation
import SynthTensor

/// A BERT encoder (Devlin et al., 2019) with Hugging Face weight names, for inference and training.
///
/// Embeddings (word + position + token type, LayerNorm, dropout), then `numHiddenLayers` post-LN layers of
/// multi-head self-attention and a GELU (erf) feed-forward block. Parameters are keyed by their Hugging Face
/// `BertModel` names (`encoder.layer.0.attention.self.query.weight`, …), so checkpoints load and save unchanged.
///
/// ```swift
/// let model = try BertModel.load(folder: minilmFolder)
/// let hidden = model.encode(inputIds: [[101, 7592, 102]], attentionMask: [[1, 1, 1]])   // [1, 3, 384]
/// ```
package struct BertModel: Sendable {
    /// The architecture.
    package var config: BertConfig
    /// Trainable tensors by Hugging Face name (no `bert.` prefix).
    package var parameters: [String: Tensor]
    /// Memory reused across forward passes.
    package let pool: BufferPool

    /// Builds a model from named weights (e.g. ``SafeTensors/read(_:)``), accepting an optional `bert.` prefix.
    ///
    /// Only `embeddings.`, `encoder.` and `pooler.` tensors are kept; buffers such as `position_ids` are skipped.
    /// - Throws: ``ModelError`` when a required tensor is missing or has the wrong shape.
    package init(config: BertConfig, weights: [String: HostTensor], source: String = "weights") throws {
        var parameters: [String: Tensor] = [:]
        for (rawName, tensor) in weights {
            let name = rawName.hasPrefix("bert.") ? String(rawName.dropFirst(5)) : rawName
            guard name.hasPrefix("embeddings.") || name.hasPrefix("encoder.") || name.hasPrefix("pooler."),
                !name.hasSuffix("position_ids")
            else { continue }
            parameters[name] = Tensor(shape: tensor.shape, values: tensor.values)
        }
        for (name, shape) in Self.expectedShapes(config) {
            guard let tensor = parameters[name] else { throw ModelError.missingTensor(path: source, name: name) }
            guard tensor.shape == shape else {
                throw ModelError.shapeMismatch(path: source, name: name, expected: shape, found: tensor.shape)
            }
        }
        self.init(config: config, parameters: parameters)
    }

    /// Wraps already-validated parameters.
    package init(config: BertConfig, parameters: [String: Tensor], pool: BufferPool = BufferPool()) {
        self.config = config
        self.parameters = parameters
        self.pool = pool
    }

    /// A freshly initialised model as Hugging Face does it: weights ~ N(0, `initializerRange`), biases 0,
    /// LayerNorm gains 1, the padding row of the word embeddings 0.
    package init(config: BertConfig, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var parameters: [String: Tensor] = [:]
        for (name, shape) in Self.expectedShapes(config).sorted(by: { $0.key < $1.key }) {
            if name.hasSuffix("LayerNorm.weight") {
                parameters[name] = Tensor(shape: shape, repeating: 1)
            } else if name.hasSuffix(".bias") {
                parameters[name] = Tensor(shape: shape, repeating: 0)
            } else {
                var tensor = Tensor(randomNormal: shape, standardDeviation: config.initializerRange, generator: &generator)
                if name == "embeddings.word_embeddings.weight", (0..<config.vocabSize).contains(config.padTokenId) {
                    let width = config.hiddenSize, pad = config.padTokenId
                    tensor.withUnsafeMutableBufferPointer { buffer in
                        for column in 0..<width { buffer[pad * width + column] = 0 }
                    }
                }
                parameters[name] = tensor
            }
        }
        self.init(config: config, parameters: parameters)
    }

    /// Loads `config.json` and `model.safetensors` from a Hugging Face / sentence-transformers folder.
    ///
    /// - Throws: ``ModelError`` naming the file at fault.
    package static func load(folder: URL) throws -> BertModel {
        let config = try BertConfig.load(from: folder.appendingPathComponent("config.json"))
        let weightsURL = folder.appendingPathComponent("model.safetensors")
        return try BertModel(config: config, weights: SafeTensors.read(weightsURL), source: weightsURL.path)
    }

    /// Names and shapes of the encoder's tensors (without the optional pooler).
    package static func expectedShapes(_ config: BertConfig) -> [String: [Int]] {
        let hidden = config.hiddenSize, inner = config.intermediateSize
        var shapes: [String: [Int]] = [
            "embeddings.word_embeddings.weight": [config.vocabSize, hidden],
            "embeddings.position_embeddings.weight": [config.maxPositionEmbeddings, hidden],
            "embeddings.token_type_embeddings.weight": [config.typeVocabSize, hidden],
            "embeddings.LayerNorm.weight": [hidden], "embeddings.LayerNorm.bias": [hidden],
        ]
        for layer in 0..<config.numHiddenLayers {
            let prefix = "encoder.layer.\(layer)."
            for part in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                shapes[prefix + part + ".weight"] = [hidden, hidden]
                shapes[prefix + part + ".bias"] = [hidden]
            }
            shapes[prefix + "intermediate.dense.weight"] = [inner, hidden]
            shapes[prefix + "intermediate.dense.bias"] = [inner]
            shapes[prefix + "output.dense.weight"] = [hidden, inner]
            shapes[prefix + "output.dense.bias"] = [hidden]
            for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
                shapes[prefix + norm + ".weight"] = [hidden]
                shapes[prefix + norm + ".bias"] = [hidden]
            }
        }
        return shapes
    }

    /// The weights as host tensors under their Hugging Face names (for ``SafeTensors/write(_:to:metadata:)``).
    package func hostWeights(prefix: String = "") -> [String: HostTensor] {
        var result: [String: HostTensor] = [:]
        for (name, tensor) in parameters { result[prefix + name] = HostTensor(shape: tensor.shape, values: tensor.scalars) }
        return result
    }

    // MARK: - Inference

    /// Last hidden states `[batch, sequence, hidden]` without gradients or dropout.
    package func encode(inputIds: [[Int32]], attentionMask: [[Int32]], tokenTypeIds: [[Int32]]? = nil) -> Tensor {
        let tape = Tape(recording: false, training: false, pool: pool)
        let input = BertInput(inputIds: inputIds, attentionMask: attentionMask, tokenTypeIds: tokenTypeIds)
        return forward(tape, input).value
    }
}
