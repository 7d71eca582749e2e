/// How rotary position embeddings pair the features of a head.
package enum RotaryPairing: String, Sendable, Equatable, Codable {
    /// Adjacent features `(x₂ᵢ, x₂ᵢ₊₁)` rotate together: llama.cpp's `LLAMA_ROPE_TYPE_NORM`, used with GGUF
    /// Llama weights (whose converter permuted the Q/K rows into this order).
    case interleaved
    /// Feature `i` rotates with `i + d/2` (`rotate_half`): Hugging Face / NeoX order.
    case halves
}

/// The hyper-parameters of a Llama-architecture decoder, as the frozen forward/backward needs them.
///
/// SmolLM2-135M: width 576, 30 layers, 9 query heads, 3 key/value heads, head size 64, hidden 1,536,
/// vocabulary 49,152, RoPE base 100,000, RMSNorm ε 1e-5, tied output head.
package struct DecoderShape: Sendable, Equatable, Codable {
    package var vocabulary: Int
    /// Model width d (embedding size).
    package var width: Int
    package var layers: Int
    /// Query heads.
    package var heads: Int
    /// Key/value heads (grouped-query attention: `heads` is a multiple of it).
    package var kvHeads: Int
    package var headSize: Int
    /// SwiGLU inner size.
    package var hidden: Int
    /// RoPE frequency base θ.
    package var ropeBase: Float
    package var normEpsilon: Float
    package var pairing: RotaryPairing

    package init(
        vocabulary: Int, width: Int, layers: Int, heads: Int, kvHeads: Int, headSize: Int, hidden: Int,
        ropeBase: Float = 10_000, normEpsilon: Float = 1e-5, pairing: RotaryPairing = .interleaved
    ) {
        precondition(heads % max(kvHeads, 1) == 0, "heads \(heads) must be a multiple of kv heads \(kvHeads)")
        precondition(headSize % 2 == 0, "head size \(headSize) must be even for rotary embeddings")
        self.vocabulary = vocabulary
        self.width = width
        self.layers = layers
        self.heads = heads
        self.kvHeads = kvHeads
        self.headSize = headSize
        self.hidden = hidden
        self.ropeBase = ropeBase
        self.normEpsilon = normEpsilon
        self.pairing = pairing
    }

    /// A small random-weight shape for tests (2 layers, width 16, 4 heads over 2 kv heads).
    package static let tiny = DecoderShape(
        vocabulary: 40, width: 16, layers: 2, heads: 4, kvHeads: 2, headSize: 4, hidden: 24)
}
