import Foundation
import SynthTensor

/// The BERT forward pass on a ``Tape`` (recorded for training, or not for inference).
extension BertModel {
    /// Runs the encoder: returns the last hidden states `[batch, sequence, hidden]`.
    ///
    /// Dropout is active when the tape is training. Attention ignores padded keys (mask 0), like Hugging Face's
    /// extended attention mask. `overrides` replaces named parameters by given variables (gradient checks).
    package func forward(_ tape: Tape, _ input: BertInput, overrides: [String: Variable] = [:]) -> Variable {
        let batch = input.batchSize, sequence = input.sequenceLength
        let hidden = config.hiddenSize, heads = config.numAttentionHeads
        precondition(sequence <= config.maxPositionEmbeddings,
                     "sequence length \(sequence) exceeds max_position_embeddings \(config.maxPositionEmbeddings)")
        let p = { (name: String) -> Variable in
            if let override = overrides[name] { return override }
            guard let tensor = parameters[name] else { preconditionFailure("model has no tensor \(name)") }
            return tape.parameter(name, tensor)
        }
        let ids = input.inputIds.flatMap { $0 }
        let types = input.tokenTypeIds.flatMap { $0 }
        let positions = (0..<batch).flatMap { _ in (0..<sequence).map { Int32($0) } }
        let keyMask = Tensor(shape: [batch, sequence], values: input.attentionMask.flatMap { $0.map { Float($0) } })

        var h = tape.add(
            tape.add(
                tape.embedding(p("embeddings.word_embeddings.weight"), ids: ids),
                tape.embedding(p("embeddings.position_embeddings.weight"), ids: positions)),
            tape.embedding(p("embeddings.token_type_embeddings.weight"), ids: types))
        h = tape.layerNorm(
            h, gamma: p("embeddings.LayerNorm.weight"), beta: p("embeddings.LayerNorm.bias"), epsilon: config.layerNormEps)
        h = tape.dropout(h, rate: config.hiddenDropoutProb)

        let scale = 1 / Float(config.headSize).squareRoot()
        for layer in 0..<config.numHiddenLayers {
            let prefix = "encoder.layer.\(layer)."
            func dense(_ x: Variable, _ name: String) -> Variable {
                tape.linear(x, weight: p(prefix + name + ".weight"), bias: p(prefix + name + ".bias"))
            }
            func split(_ x: Variable) -> Variable { tape.splitHeads(x, batch: batch, sequence: sequence, heads: heads) }
            let query = split(dense(h, "attention.self.query"))
            let key = split(dense(h, "attention.self.key"))
            let value = split(dense(h, "attention.self.value"))
            let scores = tape.batchedMatmul(query, key, transposeB: true, alpha: scale)
            var probabilities = tape.softmax(scores, keyMask: keyMask, rowsPerMaskRow: heads * sequence)
            probabilities = tape.dropout(probabilities, rate: config.attentionProbsDropoutProb)
            let context = tape.mergeHeads(
                tape.batchedMatmul(probabilities, value), batch: batch, sequence: sequence, heads: heads)
            let attention = tape.dropout(dense(context, "attention.output.dense"), rate: config.hiddenDropoutProb)
            let attended = tape.layerNorm(
                tape.add(attention, h), gamma: p(prefix + "attention.output.LayerNorm.weight"),
                beta: p(prefix + "attention.output.LayerNorm.bias"), epsilon: config.layerNormEps)
            let intermediate = tape.gelu(dense(attended, "intermediate.dense"))
            let output = tape.dropout(dense(intermediate, "output.dense"), rate: config.hiddenDropoutProb)
            h = tape.layerNorm(
                tape.add(output, attended), gamma: p(prefix + "output.LayerNorm.weight"),
                beta: p(prefix + "output.LayerNorm.bias"), epsilon: config.layerNormEps)
        }
        return tape.reshape(h, [batch, sequence, hidden])
    }
}
