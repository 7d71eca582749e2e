/// Hyper-parameters of a Llama-architecture decoder, read from GGUF metadata (`llama.*` keys).
///
/// ```swift
/// let config = try LlamaConfig(gguf: file)   // SmolLM2-135M: 30 layers, width 576, 9 heads, 3 KV heads
/// ```
package struct LlamaConfig: Sendable, Equatable, Codable {
    /// Number of token ids (rows of the embedding matrix).
    package var vocabularySize: Int
    /// Model width `d` (`llama.embedding_length`).
    package var hiddenSize: Int
    /// SwiGLU inner width (`llama.feed_forward_length`).
    package var intermediateSize: Int
    /// Number of transformer blocks.
    package var layerCount: Int
    /// Query heads.
    package var headCount: Int
    /// Key/value heads (grouped-query attention: `headCount / kvHeadCount` query heads share one).
    package var kvHeadCount: Int
    /// Width of one head (`hiddenSize / headCount`).
    package var headDimension: Int
    /// Dimensions rotated by RoPE per head (`llama.rope.dimension_count`, usually `headDimension`).
    package var ropeDimension: Int
    /// RoPE frequency base θ (`llama.rope.freq_base`, 10000 by default; 100000 for SmolLM2).
    package var ropeBase: Float
    /// RMSNorm ε.
    package var rmsEpsilon: Float
    /// Training context length.
    package var contextLength: Int

    /// Reads the configuration of a `general.architecture = llama` GGUF file.
    ///
    /// - Throws: ``GGUFError`` when the architecture is not `llama` or a required key is missing.
    package init(gguf: GGUFFile) throws {
        let architecture = gguf.metadata["general.architecture"]?.string ?? "<none>"
        func fail(_ message: String) -> GGUFError { GGUFError(file: gguf.fileName, offset: 0, message) }
        guard architecture == "llama" else { throw fail("expected architecture \"llama\", found \"\(architecture)\"") }
        func integer(_ key: String) throws -> Int {
            guard let value = gguf.metadata["llama.\(key)"]?.int else { throw fail("missing metadata \"llama.\(key)\"") }
            return value
        }
        hiddenSize = try integer("embedding_length")
        intermediateSize = try integer("feed_forward_length")
        layerCount = try integer("block_count")
        headCount = try integer("attention.head_count")
        kvHeadCount = gguf.metadata["llama.attention.head_count_kv"]?.int ?? headCount
        headDimension = hiddenSize / headCount
        ropeDimension = gguf.metadata["llama.rope.dimension_count"]?.int ?? headDimension
        ropeBase = Float(gguf.metadata["llama.rope.freq_base"]?.double ?? 10_000)
        rmsEpsilon = Float(gguf.metadata["llama.attention.layer_norm_rms_epsilon"]?.double ?? 1e-5)
        contextLength = gguf.metadata["llama.context_length"]?.int ?? 2048
        let embedding = gguf.info(named: "token_embd.weight")
        vocabularySize =
            gguf.metadata["llama.vocab_size"]?.int ?? embedding?.shape.first
            ?? gguf.metadata["tokenizer.ggml.tokens"]?.array?.count ?? 0
        guard headCount > 0, kvHeadCount > 0, headCount % kvHeadCount == 0, hiddenSize % headCount == 0 else {
            throw fail("expected head_count divisible by head_count_kv, found \(headCount) and \(kvHeadCount)")
        }
    }

    /// Query heads per key/value head.
    package var groupSize: Int { headCount / kvHeadCount }
    /// Width of the key (and value) projection: `kvHeadCount · headDimension`.
    package var kvWidth: Int { kvHeadCount * headDimension }
}
