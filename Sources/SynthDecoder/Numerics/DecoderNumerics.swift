/// How a ``LlamaModel`` forward pass rounds its intermediate values.
///
/// - ``float32``: weights dequantised once to Float32, activations, keys, values and attention in Float32.
///   The default, and the only mode the frozen backward pass (soft-prompt training) knows.
/// - ``llamaCpp``: reproduces the roundings of llama.cpp's CPU backend (ggml, x86 AVX2/AVX-512 kernels, F16
///   KV cache, flash attention) so that logits agree with llama-server on the same GGUF:
///   1. before every product with a quantised weight the activation rows are quantised block-wise as
///      ggml's `quantize_row_q8_1` / `quantize_row_q8_0` do (blocks of 32, `amax = max|x|`,
///      `d = amax/127` stored as binary16, `q = roundNearestEven(x · 127/amax)`; Q8_1 also keeps
///      `s = fp16(d · Σq)`), and the product uses the rounded values `fp16(d)·q`. For Q4_1 weights
///      (`w = d_w·q_w + m_w`) ggml's dot product is `Σ_blocks d_w·d·Σ q_w q + m_w·s` — with the binary16 `s`
///      rather than `d·Σq` — so the core adds `m_w·(s − fp16(d)·Σq)` per block. Q4_0/Q8_0 weights take Q8_0
///      activations, F16 weights binary16 activations, F32 weights Float32 (see ``ActivationRounding``);
///   2. keys (after RoPE) and values are stored in the cache rounded to binary16 (llama-server's default
///      `--cache-type-k/v f16`);
///   3. attention of batches below 64 query rows follows ggml's `flash_attn_ext_f16_one_chunk`: the query
///      is rounded to binary16, scores are Float32 dot products scaled after the sum, and the value
///      accumulator is kept in binary16 with an online softmax (`VKQ ← fp16(VKQ·e^{M_old−M})`,
///      `VKQ ← fp16(VKQ + v·e^{s−M})`, fused multiply–add), divided by the Float32 sum at the end. Batches of
///      64 rows or more use ggml's tiled kernel, which is Float32 throughout (the core's Float32 attention
///      over the binary16 cache);
///   4. RoPE angles are built as ggml's cache does, `θ_{i+1} = θ_i · base^(−2/n)` in Float32 with `cosf`/`sinf`,
///      and RMSNorm takes `1/sqrtf(mean + ε)` in Float32 from a Double sum of Float32 squares.
///
///   What remains is Float32 summation order (BLAS vs ggml's SIMD lanes), a few ulps per product.
package enum DecoderNumerics: String, Sendable, Equatable, CaseIterable {
    case float32
    case llamaCpp
}
