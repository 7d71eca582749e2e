import SynthTensor

// Adapter from the LM-core's `LlamaModel` (GGUF loader, Sources/SynthDecoder/Model) to the frozen
// forward/backward. Needs from LlamaModel: `config`, `tokenEmbedding`, `layers` (all `package`), `outputNorm`,
// `outputWeight`/`tiedOutput`, and GGUF's interleaved RoPE pairing (llama.cpp LLAMA_ROPE_TYPE_NORM).
extension FrozenDecoder {
    /// The frozen view of a loaded GGUF Llama model (shares its weight storage; no copy).
    package init(model: LlamaModel) {
        let config = model.config
        precondition(config.ropeDimension == config.headDimension, "partial rotary embeddings are not supported")
        let shape = DecoderShape(
            vocabulary: config.vocabularySize, width: config.hiddenSize, layers: config.layerCount,
            heads: config.headCount, kvHeads: config.kvHeadCount, headSize: config.headDimension,
            hidden: config.intermediateSize, ropeBase: config.ropeBase, normEpsilon: config.rmsEpsilon,
            pairing: .interleaved)
        let layers = model.layers.map {
            FrozenDecoderLayer(
                attentionNorm: $0.attentionNorm, query: $0.query, key: $0.key, value: $0.value, output: $0.output,
                ffnNorm: $0.feedForwardNorm, gate: $0.gate, up: $0.up, down: $0.down)
        }
        self.init(
            shape: shape, tokenEmbedding: model.tokenEmbedding, layers: layers, finalNorm: model.outputNorm,
            outputHead: model.tiedOutput ? nil : model.outputWeight)
    }
}
