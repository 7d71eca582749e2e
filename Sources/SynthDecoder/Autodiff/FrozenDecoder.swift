import SynthTensor

/// One transformer block's frozen weights (projections `[out, in]`, as `nn.Linear` and GGUF row order).
package struct FrozenDecoderLayer: Sendable {
    package var attentionNorm: FrozenWeight
    package var query: FrozenWeight
    package var key: FrozenWeight
    package var value: FrozenWeight
    package var output: FrozenWeight
    package var ffnNorm: FrozenWeight
    package var gate: FrozenWeight
    package var up: FrozenWeight
    package var down: FrozenWeight

    package init(
        attentionNorm: Tensor, query: Tensor, key: Tensor, value: Tensor, output: Tensor, ffnNorm: Tensor,
        gate: Tensor, up: Tensor, down: Tensor
    ) {
        self.attentionNorm = FrozenWeight(attentionNorm)
        self.query = FrozenWeight(query)
        self.key = FrozenWeight(key)
        self.value = FrozenWeight(value)
        self.output = FrozenWeight(output)
        self.ffnNorm = FrozenWeight(ffnNorm)
        self.gate = FrozenWeight(gate)
        self.up = FrozenWeight(up)
        self.down = FrozenWeight(down)
    }
}

/// A Llama-architecture decoder whose weights never change: the LM that soft prompts are trained against.
///
/// It computes the next-token loss of sequences given their *input embeddings* and the gradient of that loss
/// with respect to those embeddings only (``lossAndInputGradient(_:)``); no weight-gradient buffers exist.
/// Memory is kept small by checkpointing: only each block's input is kept during the forward pass, and a
/// block's internals are recomputed just before its backward step (one extra forward in total).
/// ``DecoderGenerator`` samples from it with a key/value cache.
///
/// Build one from a loaded GGUF model (``init(shape:tokenEmbedding:layers:finalNorm:outputHead:)`` with the
/// `LlamaModel`'s tensors) or with random weights for tests (``random(_:seed:)``).
package struct FrozenDecoder: Sendable {
    package let shape: DecoderShape
    /// `[vocabulary, width]`.
    package let tokenEmbedding: FrozenWeight
    package let layers: [FrozenDecoderLayer]
    package let finalNorm: FrozenWeight
    /// `[vocabulary, width]`; the token embedding when the head is tied.
    package let outputHead: FrozenWeight

    package init(
        shape: DecoderShape, tokenEmbedding: Tensor, layers: [FrozenDecoderLayer], finalNorm: Tensor,
        outputHead: Tensor? = nil
    ) {
        precondition(tokenEmbedding.shape == [shape.vocabulary, shape.width],
                     "token embedding \(tokenEmbedding.shape) does not match [\(shape.vocabulary), \(shape.width)]")
        precondition(layers.count == shape.layers, "expected \(shape.layers) layers, found \(layers.count)")
        self.shape = shape
        self.tokenEmbedding = FrozenWeight(tokenEmbedding)
        self.layers = layers
        self.finalNorm = FrozenWeight(finalNorm)
        self.outputHead = outputHead.map(FrozenWeight.init) ?? self.tokenEmbedding
    }

    /// Random weights (normal, std 0.02·√(64/width)·3; norms around 1) for tests and benchmarks.
    package static func random(_ shape: DecoderShape, seed: UInt64 = 1) -> FrozenDecoder {
        var generator = SeededGenerator(seed: seed)
        let d = shape.width, q = shape.heads * shape.headSize, kv = shape.kvHeads * shape.headSize
        let std: Float = 0.5 / Float(d).squareRoot()
        func matrix(_ rows: Int, _ columns: Int, _ scale: Float = 1) -> Tensor {
            Tensor(randomNormal: [rows, columns], standardDeviation: std * scale, generator: &generator)
        }
        func norm() -> Tensor {
            Tensor(shape: [d], values: (0..<d).map { _ in 1 + 0.1 * generator.nextNormal() })
        }
        let layers = (0..<shape.layers).map { _ in
            FrozenDecoderLayer(
                attentionNorm: norm(), query: matrix(q, d, 4), key: matrix(kv, d, 4), value: matrix(kv, d, 2),
                output: matrix(d, q, 2), ffnNorm: norm(), gate: matrix(shape.hidden, d, 2),
                up: matrix(shape.hidden, d, 2), down: matrix(d, shape.hidden, 2))
        }
        return FrozenDecoder(
            shape: shape, tokenEmbedding: matrix(shape.vocabulary, d, 40), layers: layers, finalNorm: norm())
    }

    /// The input embeddings of `tokens` (rows of the token-embedding table), `[tokens.count, width]`.
    package func embed(_ tokens: [Int32]) -> FloatMatrix {
        let d = shape.width
        let result = FloatMatrix(rows: tokens.count, columns: d)
        for (row, token) in tokens.enumerated() {
            precondition(token >= 0 && Int(token) < shape.vocabulary, "token \(token) outside the vocabulary")
            result.row(row).update(from: tokenEmbedding.pointer + Int(token) * d, count: d)
        }
        return result
    }
}
