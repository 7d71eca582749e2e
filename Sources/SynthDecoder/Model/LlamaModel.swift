import Foundation
import SynthTensor

/// A Llama-architecture decoder LM (SmolLM2, TinyLlama, Llama 2/3 layouts) loaded from GGUF, run in Float32.
///
/// Quantised weights are dequantised once at load. The forward pass follows llama.cpp: token embeddings,
/// per block `x += Wo·attn(RoPE(Wq·n₁), RoPE(Wk·n₁), Wv·n₁)` and `x += W_down·(silu(W_gate·n₂) ⊙ W_up·n₂)`
/// with `nᵢ = RMSNorm(x)`, then a final RMSNorm and the output head (tied to the embeddings when the file
/// has no `output.weight`). The weights are `package` so that a taped forward (soft prompts) can reuse them.
///
/// ```swift
/// let model = try LlamaModel.load(gguf: url)
/// let ids = model.tokenizer.encode("The capital of France is", addSpecial: true)
/// let continuation = model.generate(prompt: ids, maxTokens: 16, sampler: .greedy)
/// print(model.tokenizer.decode(continuation))
/// ```
package final class LlamaModel: Sendable {
    /// Hyper-parameters.
    package let config: LlamaConfig
    /// `[vocabularySize, d]` token embeddings.
    package let tokenEmbedding: Tensor
    /// Transformer blocks, first to last.
    package let layers: [LlamaLayer]
    /// Final RMSNorm gain `[d]`.
    package let outputNorm: Tensor
    /// Output head `[vocabularySize, d]` (the same storage as ``tokenEmbedding`` when tied).
    package let outputWeight: Tensor
    /// Whether the output head is the token embedding matrix.
    package let tiedOutput: Bool
    /// The tokenizer stored in the same file.
    package let tokenizer: BPETokenizer
    /// Per layer, how llama.cpp rounds the activations of each product (from the GGUF tensor types); used
    /// only with ``DecoderNumerics/llamaCpp``.
    package let activationRoundings: [LlamaLayerRoundings]
    /// The same for the output head.
    package let outputRounding: ActivationRounding

    package init(
        config: LlamaConfig, tokenEmbedding: Tensor, layers: [LlamaLayer], outputNorm: Tensor, outputWeight: Tensor?,
        tokenizer: BPETokenizer, activationRoundings: [LlamaLayerRoundings]? = nil,
        outputRounding: ActivationRounding = .none
    ) {
        self.activationRoundings =
            activationRoundings ?? Array(repeating: LlamaLayerRoundings(), count: layers.count)
        self.outputRounding = outputRounding
        self.config = config
        self.tokenEmbedding = tokenEmbedding
        self.layers = layers
        self.outputNorm = outputNorm
        self.outputWeight = outputWeight ?? tokenEmbedding
        self.tiedOutput = outputWeight == nil
        self.tokenizer = tokenizer
    }

    /// Loads config, weights (dequantised to Float32) and tokenizer from a GGUF file.
    ///
    /// - Throws: ``GGUFError`` for malformed files, another architecture, missing tensors, unsupported
    ///   tensor types or shapes that disagree with the configuration.
    package static func load(gguf url: URL) throws -> LlamaModel {
        let file = try GGUFFile(url: url)
        let config = try LlamaConfig(gguf: file)
        func tensor(_ name: String, _ shape: [Int]) throws -> Tensor {
            let values = try file.floats(named: name)
            let found = file.info(named: name)!.shape
            guard found == shape || (shape.count == 1 && found.reduce(1, *) == shape[0]) else {
                throw GGUFError(
                    file: file.fileName, offset: file.info(named: name)!.fileOffset,
                    "tensor \"\(name)\": expected shape \(shape), found \(found)")
            }
            return Tensor(shape: shape, values: values)
        }
        let d = config.hiddenSize, q = config.headCount * config.headDimension, kv = config.kvWidth
        let ff = config.intermediateSize
        let embedding = try tensor("token_embd.weight", [config.vocabularySize, d])
        var layers: [LlamaLayer] = []
        for index in 0..<config.layerCount {
            let p = "blk.\(index)."
            layers.append(
                LlamaLayer(
                    attentionNorm: try tensor(p + "attn_norm.weight", [d]), query: try tensor(p + "attn_q.weight", [q, d]),
                    key: try tensor(p + "attn_k.weight", [kv, d]), value: try tensor(p + "attn_v.weight", [kv, d]),
                    output: try tensor(p + "attn_output.weight", [d, q]),
                    feedForwardNorm: try tensor(p + "ffn_norm.weight", [d]),
                    gate: try tensor(p + "ffn_gate.weight", [ff, d]), up: try tensor(p + "ffn_up.weight", [ff, d]),
                    down: try tensor(p + "ffn_down.weight", [d, ff])))
        }
        let output = file.info(named: "output.weight") == nil ? nil : try tensor("output.weight", [config.vocabularySize, d])
        let roundings = (0..<config.layerCount).map { LlamaLayerRoundings(file: file, layer: $0) }
        return LlamaModel(
            config: config, tokenEmbedding: embedding, layers: layers,
            outputNorm: try tensor("output_norm.weight", [d]), outputWeight: output,
            tokenizer: try BPETokenizer(gguf: file), activationRoundings: roundings,
            outputRounding: .forWeight(named: output == nil ? "token_embd.weight" : "output.weight", in: file))
    }

    /// The embedding rows of `tokens`: `[tokens.count, d]` (rows are positions).
    package func embed(tokens: [Int32]) -> Tensor {
        let d = config.hiddenSize
        var result = Tensor(shape: [tokens.count, d])
        tokenEmbedding.withUnsafeBufferPointer { table in
            result.withUnsafeMutableBufferPointer { out in
                for (row, token) in tokens.enumerated() {
                    precondition(token >= 0 && Int(token) < config.vocabularySize, "token id \(token) out of range")
                    (out.baseAddress! + row * d).update(from: table.baseAddress! + Int(token) * d, count: d)
                }
            }
        }
        return result
    }

    /// Logits `[positions, vocabularySize]` of a full causal forward pass over input embeddings `[positions, d]`
    /// (no cache; row `t` predicts the token after position `t`).
    package func logits(inputEmbeddings: Tensor, numerics: DecoderNumerics = .float32) -> Tensor {
        var cache = KVCache(config: config, capacity: inputEmbeddings.shape[0])
        return outputLogits(forward(inputEmbeddings, cache: &cache, numerics: numerics), numerics: numerics)
    }

    /// Generates up to `maxTokens` tokens after `prompt`, stopping early at an end-of-generation token
    /// (not included in the result).
    ///
    /// - Parameters:
    ///   - prompt: token ids (include BOS / the chat template yourself, see ``BPETokenizer``).
    ///   - prefixEmbeddings: optional `[p, d]` rows placed before the prompt's embeddings (soft prompts).
    ///   - stopAtEndOfGeneration: stop at ``BPETokenizer/endOfGeneration`` tokens (false: always `maxTokens`).
    ///   - numerics: Float32 (default) or llama.cpp's roundings (``DecoderNumerics``).
    /// - Returns: the generated token ids.
    package func generate(
        prompt: [Int32], maxTokens: Int, sampler: Sampler, prefixEmbeddings: Tensor? = nil,
        stopAtEndOfGeneration: Bool = true, numerics: DecoderNumerics = .float32
    ) -> [Int32] {
        var sampler = sampler
        var input = embed(tokens: prompt)
        if let prefixEmbeddings { input = Self.concatenateRows(prefixEmbeddings, input) }
        guard input.shape[0] > 0, maxTokens > 0 else { return [] }
        var cache = KVCache(config: config, capacity: input.shape[0] + maxTokens)
        var hidden = forward(input, cache: &cache, numerics: numerics)
        var generated: [Int32] = []
        while true {
            let logits = outputLogits(hidden, lastRowOnly: true, numerics: numerics)
            let token = logits.withUnsafeBufferPointer { sampler.sample($0) }
            if stopAtEndOfGeneration && tokenizer.endOfGeneration.contains(token) { break }
            generated.append(token)
            if generated.count == maxTokens { break }
            hidden = forward(embed(tokens: [token]), cache: &cache, numerics: numerics)
        }
        return generated
    }

    static func concatenateRows(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.shape.count == 2 && a.shape[1] == b.shape[1], "cannot stack \(a.shape) on \(b.shape)")
        return Tensor(shape: [a.shape[0] + b.shape[0], a.shape[1]], values: a.scalars + b.scalars)
    }
}
