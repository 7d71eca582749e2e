import Foundation
import SynthTensor

/// Attention, RoPE and RMSNorm as llama.cpp's CPU backend computes them (see ``DecoderNumerics/llamaCpp``).
package enum LlamaCppKernels {
    /// Query rows from which ggml switches to its tiled (Float32) flash-attention kernel (`GGML_FA_TILE_Q`).
    package static let tiledAttentionRows = 64

    /// ggml's `flash_attn_ext_f16_one_chunk` for an F16 KV cache: per query row and head, the query rounded to
    /// binary16, an online softmax over the visible positions with a binary16 value accumulator. Matches the
    /// compiled kernel bit for bit, including the fused multiply–adds GCC forms (`S·ms + vs`, `VKQ + v·vs`) and
    /// the AVX-512 reduction order of the score dot product.
    ///
    /// `keys`/`values` must already hold binary16-representable values (the cache rounds them).
    package static func attention(
        queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, rows: Int,
        start: Int, config: LlamaConfig, into output: UnsafeMutablePointer<Float>
    ) {
        let hd = config.headDimension
        let queryWidth = config.headCount * hd, kvWidth = config.kvWidth
        let scale = 1 / Float(hd).squareRoot()
        Parallel.forEach(config.headCount, costPerItem: rows * (start + rows) * hd * 4) { head in
            let group = head / config.groupSize
            var query = [Float](repeating: 0, count: hd), accumulator = query
            for t in 0..<rows {
                let q = queries + t * queryWidth + head * hd
                for d in 0..<hd { query[d] = Float(Float16(q[d])) }
                for d in 0..<hd { accumulator[d] = 0 }
                var maximum = -Float.infinity, sum: Float = 0
                for j in 0..<(start + t + 1) {
                    let k = keys + j * kvWidth + group * hd, v = values + j * kvWidth + group * hd
                    var s = hd == 64 ? dot64(k, query) : sequentialDot(k, query, hd)
                    s *= scale
                    var ms: Float = 1, vs: Float = 1
                    if s > maximum {
                        let previous = maximum
                        maximum = s
                        ms = expf(previous - maximum)
                        for d in 0..<hd { accumulator[d] = Float(Float16(accumulator[d] * ms)) }
                    } else {
                        vs = expf(s - maximum)
                    }
                    for d in 0..<hd { accumulator[d] = Float(Float16(accumulator[d].addingProduct(v[d], vs))) }
                    sum = vs.addingProduct(sum, ms)  // `S = S*ms + vs`, contracted to an FMA by GCC
                }
                let inverse: Float = sum == 0 ? 0 : 1 / sum
                let out = output + t * queryWidth + head * hd
                for d in 0..<hd { out[d] = accumulator[d] * inverse }
            }
        }
    }

    /// ggml's AVX-512 `ggml_vec_dot_f16` for 64 values (binary16 inputs, so every product is exact in Float32):
    /// four 16-lane accumulators `a_j = x[16j..<16j+16]·y[…]`, reduced `(a₀+a₂)+(a₁+a₃)`, then GCC's
    /// `_mm512_reduce_add_ps` tree (halves of 8, 4, then pairs).
    @inline(__always)
    static func dot64(_ x: UnsafePointer<Float>, _ y: [Float]) -> Float {
        var lanes = [Float](repeating: 0, count: 16)
        for l in 0..<16 {
            lanes[l] = (x[l] * y[l] + x[32 + l] * y[32 + l]) + (x[16 + l] * y[16 + l] + x[48 + l] * y[48 + l])
        }
        var eight = [Float](repeating: 0, count: 8)
        for i in 0..<8 { eight[i] = lanes[8 + i] + lanes[i] }
        var four = [Float](repeating: 0, count: 4)
        for i in 0..<4 { four[i] = eight[4 + i] + eight[i] }
        let a = four[0] + four[2], b = four[1] + four[3]
        return a + b
    }

    static func sequentialDot(_ x: UnsafePointer<Float>, _ y: [Float], _ count: Int) -> Float {
        var s: Float = 0
        for d in 0..<count { s += x[d] * y[d] }
        return s
    }

    /// ggml's AVX-512 `ggml_v_expf` (ARM's optimized-routines polynomial, max error 1.5 ulp), scalar.
    @inline(__always)
    static func vectorExp(_ x: Float) -> Float {
        let r: Float = 0x1.8p23
        let z = r.addingProduct(x, 0x1.715476p+0)
        let n = z - r
        let b = x.addingProduct(-n, 0x1.62e4p-1).addingProduct(-n, 0x1.7f7d1cp-20)
        guard abs(n) <= 192 else { return n > 0 ? .infinity : 0 }
        let u = b * b
        let inner = Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, b)
        let middle = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, b)
        let outer = Float(1).addingProduct(0x1.ffffecp-1, b)
        let j = outer.addingProduct(middle.addingProduct(inner, u), u)
        return Float(sign: .plus, exponent: Int(n), significand: j)
    }

    /// ggml's AVX-512 `ggml_vec_swiglu_f32`: `gate ← (g / (1 + v_expf(0 − g))) · up`.
    package static func swiGLU(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = (g / (1 + vectorExp(0 - g))) * up[i]
        }
    }

    /// ggml's RoPE cache for positions `start..<start+count`: `θ₀ = p`, `θ_{i+1} = θ_i · base^(−2/n)` in
    /// Float32, then `cosf`/`sinf`.
    package static func rotaryTable(start: Int, count: Int, dimension: Int, base: Float) -> RotaryEmbedding {
        let pairs = dimension / 2
        let thetaScale = powf(base, -2 / Float(dimension))
        var cosines = [Float](repeating: 0, count: count * pairs), sines = cosines
        for t in 0..<count {
            var theta = Float(start + t)
            for i in 0..<pairs {
                cosines[t * pairs + i] = cosf(theta)
                sines[t * pairs + i] = sinf(theta)
                theta *= thetaScale
            }
        }
        return RotaryEmbedding(dimension: dimension, cosines: cosines, sines: sines)
    }

    /// ggml's `rms_norm` then `mul`: `y = (x · 1/sqrtf(Float(Σ x²/n) + ε)) · w`, the sum in Double over
    /// Float32 squares.
    package static func rmsNorm(
        _ x: UnsafePointer<Float>, weight: Tensor, rows: Int, width: Int, epsilon: Float,
        into y: UnsafeMutablePointer<Float>
    ) {
        weight.withUnsafeBufferPointer { w in
            for t in 0..<rows {
                let row = x + t * width, out = y + t * width
                var sum: Double = 0
                for i in 0..<width { sum += Double(row[i] * row[i]) }
                let mean = Float(sum / Double(width))
                let scale = 1 / sqrtf(mean + epsilon)
                for i in 0..<width { out[i] = (row[i] * scale) * w[i] }
            }
        }
    }
}
