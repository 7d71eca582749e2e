import Foundation
import SynthTensor

/// A sentence embedding model: BERT, then pooling (mean by default), then L2 normalisation —
/// the sentence-transformers `Transformer → Pooling → Normalize` pipeline of all-MiniLM-L6-v2.
///
/// ```swift
/// let encoder = BiEncoder(model: try BertModel.load(folder: folder))
/// let vectors = encoder.embed(inputIds: batch.inputIds, attentionMask: batch.attentionMask)  // unit rows
/// ```
package struct BiEncoder: Sendable {
    /// The transformer.
    package var model: BertModel
    /// How token vectors become one vector.
    package var pooling: Pooling
    /// Whether embeddings are scaled to unit length.
    package var normalize: Bool

    /// Wraps a model.
    package init(model: BertModel, pooling: Pooling = .mean, normalize: Bool = true) {
        self.model = model
        self.pooling = pooling
        self.normalize = normalize
    }

    /// Sentence embeddings `[batch, hidden]` on a tape (for training losses).
    package func forward(_ tape: Tape, _ input: BertInput) -> Variable {
        let pooled = pooling.apply(tape, model.forward(tape, input), attentionMask: input.attentionMask)
        return normalize ? tape.l2Normalize(pooled) : pooled
    }

    /// Sentence embeddings `[batch, hidden]` on a tape of token sequences of any lengths, padded with
    /// the model's pad id (the training losses' input).
    package func forward(_ tape: Tape, tokenIds: [[Int32]]) -> Variable {
        let padded = TokenBatch(sequences: tokenIds, padId: Int32(model.config.padTokenId))
        return forward(tape, BertInput(inputIds: padded.inputIds, attentionMask: padded.attentionMask))
    }

    /// Embeddings of a padded batch, one row per text, without gradients.
    package func embed(inputIds: [[Int32]], attentionMask: [[Int32]], tokenTypeIds: [[Int32]]? = nil) -> [[Float]] {
        guard !inputIds.isEmpty else { return [] }
        let tape = Tape(recording: false, training: false, pool: model.pool)
        let input = BertInput(inputIds: inputIds, attentionMask: attentionMask, tokenTypeIds: tokenTypeIds)
        let output = forward(tape, input).value
        let width = output.shape[1]
        return output.withUnsafeBufferPointer { buffer in
            (0..<inputIds.count).map { Array(buffer[($0 * width)..<(($0 + 1) * width)]) }
        }
    }
}
