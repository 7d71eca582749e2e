import SynthTensor

/// The frozen weights of one transformer block, as row-major Float32 tensors `[out, in]`.
///
/// A linear map applies as `y = x · Wᵀ` for row vectors `x`. The query and key rows are in GGUF's order:
/// llama.cpp's converter permutes them so that RoPE rotates adjacent pairs `(2i, 2i+1)` of each head
/// (see ``RotaryEmbedding``).
package struct LlamaLayer: Sendable {
    /// RMSNorm gain before attention, `[d]`.
    package var attentionNorm: Tensor
    /// `[headCount·headDimension, d]`.
    package var query: Tensor
    /// `[kvHeadCount·headDimension, d]`.
    package var key: Tensor
    /// `[kvHeadCount·headDimension, d]`.
    package var value: Tensor
    /// Attention output projection `[d, headCount·headDimension]`.
    package var output: Tensor
    /// RMSNorm gain before the MLP, `[d]`.
    package var feedForwardNorm: Tensor
    /// SwiGLU gate `[intermediate, d]`.
    package var gate: Tensor
    /// SwiGLU up projection `[intermediate, d]`.
    package var up: Tensor
    /// SwiGLU down projection `[d, intermediate]`.
    package var down: Tensor
}
