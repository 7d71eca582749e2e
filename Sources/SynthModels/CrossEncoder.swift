import Foundation
import SynthTensor

/// A re-ranker: BERT over a (query, document) pair, then a linear head on the [CLS] vector, like Hugging Face's
/// `BertForSequenceClassification` (pooler `dense + tanh` when the checkpoint has one, then `classifier`).
///
/// A checkpoint without `classifier.*` gets a fresh head (N(0, `initializerRange`) weights, zero bias).
///
/// ```swift
/// let reranker = try CrossEncoder.load(folder: folder)
/// let scores = reranker.score(inputIds: pairs.inputIds, attentionMask: pairs.attentionMask,
///                             tokenTypeIds: pairs.tokenTypeIds)   // one logit per pair
/// ```
package struct CrossEncoder: Sendable {
    /// The transformer (its `pooler.*` tensors, if any, are used by the head).
    package var model: BertModel
    /// Head tensors: `classifier.weight` `[labels, hidden]`, `classifier.bias` `[labels]`.
    package var head: [String: Tensor]

    /// Whether the head applies BERT's pooler (`dense + tanh` on [CLS]) first.
    package var usesPooler: Bool { model.parameters["pooler.dense.weight"] != nil }

    /// Wraps a model; with no `head`, initialises a fresh one with `labels` outputs from `seed`.
    package init(model: BertModel, head: [String: Tensor]? = nil, labels: Int = 1, seed: UInt64 = 0) {
        self.model = model
        if let head {
            self.head = head
        } else {
            var generator = SeededGenerator(seed: seed)
            self.head = [
                "classifier.weight": Tensor(
                    randomNormal: [labels, model.config.hiddenSize], standardDeviation: model.config.initializerRange,
                    generator: &generator),
                "classifier.bias": Tensor(shape: [labels], repeating: 0),
            ]
        }
    }

    /// Loads a Hugging Face BERT folder; keeps its classifier when present (`bert.`-prefixed names accepted).
    ///
    /// - Throws: ``ModelError`` naming the file at fault.
    package static func load(folder: URL, seed: UInt64 = 0) throws -> CrossEncoder {
        let configURL = folder.appendingPathComponent("config.json")
        let config = try BertConfig.load(from: configURL)
        guard config.typeVocabSize >= 2 else {
            throw ModelError.malformed(
                path: configURL.path, expected: "type_vocab_size of at least 2 (pairs use token type 1)",
                found: "\(config.typeVocabSize)")
        }
        let url = folder.appendingPathComponent("model.safetensors")
        let weights = try SafeTensors.read(url)
        let model = try BertModel(config: config, weights: weights, source: url.path)
        if let weight = weights["classifier.weight"], let bias = weights["classifier.bias"] {
            let labels = max(1, weight.shape.first ?? 1)
            guard weight.shape == [labels, config.hiddenSize] else {
                throw ModelError.shapeMismatch(
                    path: url.path, name: "classifier.weight", expected: [labels, config.hiddenSize], found: weight.shape)
            }
            guard bias.shape == [labels] else {
                throw ModelError.shapeMismatch(path: url.path, name: "classifier.bias", expected: [labels], found: bias.shape)
            }
            let head = [
                "classifier.weight": Tensor(shape: weight.shape, values: weight.values),
                "classifier.bias": Tensor(shape: bias.shape, values: bias.values),
            ]
            return CrossEncoder(model: model, head: head)
        }
        return CrossEncoder(model: model, labels: config.numLabels ?? 1, seed: seed)
    }

    /// Logits `[batch, labels]` on a tape (for training).
    package func forward(_ tape: Tape, _ input: BertInput) -> Variable {
        var cls = tape.selectPosition(model.forward(tape, input), 0)
        if usesPooler {
            cls = tape.tanh(tape.linear(
                cls, weight: tape.parameter("pooler.dense.weight", model.parameters["pooler.dense.weight"]!),
                bias: tape.parameter("pooler.dense.bias", model.parameters["pooler.dense.bias"]!)))
        }
        cls = tape.dropout(cls, rate: model.config.hiddenDropoutProb)
        return tape.linear(
            cls, weight: tape.parameter("classifier.weight", head["classifier.weight"]!),
            bias: tape.parameter("classifier.bias", head["classifier.bias"]!))
    }

    /// The first logit of each pair, without gradients.
    package func score(inputIds: [[Int32]], attentionMask: [[Int32]], tokenTypeIds: [[Int32]]? = nil) -> [Float] {
        guard !inputIds.isEmpty else { return [] }
        let tape = Tape(recording: false, training: false, pool: model.pool)
        let logits = forward(tape, BertInput(inputIds: inputIds, attentionMask: attentionMask, tokenTypeIds: tokenTypeIds))
        let labels = logits.shape[1]
        return logits.value.withUnsafeBufferPointer { buffer in (0..<inputIds.count).map { buffer[$0 * labels] } }
    }

    /// All weights under `BertForSequenceClassification` names (`bert.…`, `classifier.…`).
    package func hostWeights() -> [String: HostTensor] {
        var result = model.hostWeights(prefix: "bert.")
        for (name, tensor) in head { result[name] = HostTensor(shape: tensor.shape, values: tensor.scalars) }
        return result
    }
}
