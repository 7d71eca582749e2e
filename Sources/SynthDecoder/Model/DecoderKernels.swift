import Foundation
import SynthTensor

/// Row kernels of the decoder forward pass (RMSNorm, linear maps, SwiGLU, causal attention) on raw buffers.
package enum DecoderKernels {
    /// `y[t] = x[t] / sqrt(mean(x[t]²) + ε) ⊙ weight` for each of `rows` rows of width `width`.
    package static func rmsNorm(
        _ x: UnsafePointer<Float>, weight: Tensor, rows: Int, width: Int, epsilon: Float,
        into y: UnsafeMutablePointer<Float>
    ) {
        weight.withUnsafeBufferPointer { w in
            for t in 0..<rows {
                let row = x + t * width, out = y + t * width
                var sum: Double = 0
                for i in 0..<width { sum += Double(row[i]) * Double(row[i]) }
                let scale = Float(1 / (sum / Double(width) + Double(epsilon)).squareRoot())
                for i in 0..<width { out[i] = row[i] * scale * w[i] }
            }
        }
    }

    /// `y = x · Wᵀ` for `x` `[rows, in]` and `W` `[out, in]`; for few rows the output columns are split
    /// across cores (decoding is a matrix–vector product).
    package static func linear(
        _ x: UnsafePointer<Float>, rows: Int, weight: Tensor, into y: UnsafeMutablePointer<Float>
    ) {
        let outputs = weight.shape[0], inputs = weight.shape[1]
        weight.withUnsafeBufferPointer { w in
            let base = w.baseAddress!
            if rows >= 2 * Parallel.workers {
                Gemm.multiply(
                    transposeB: true, m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: base, ldb: inputs,
                    c: y, ldc: outputs)
                return
            }
            Parallel.forRanges(outputs, costPerItem: inputs * rows) { range in
                Gemm.multiply(
                    transposeB: true, m: rows, n: range.count, k: inputs, a: x, lda: inputs,
                    b: base + range.lowerBound * inputs, ldb: inputs, c: y + range.lowerBound, ldc: outputs)
            }
        }
    }

    /// `gate ← silu(gate) ⊙ up`, elementwise over `count` values.
    package static func swiGLU(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + exp(-g)) * up[i]
        }
    }

    /// Causal grouped-query attention of `rows` new queries at positions `start..<start+rows` over the
    /// `start + rows` cached keys and values.
    ///
    /// `queries` is `[rows, headCount·headDimension]`; `keys`/`values` are `[positions, kvHeadCount·headDimension]`;
    /// query head `h` reads key/value head `h / groupSize`. Scores are scaled by `1/√headDimension`.
    package static func attention(
        queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, rows: Int,
        start: Int, config: LlamaConfig, into output: UnsafeMutablePointer<Float>
    ) {
        let positions = start + rows, hd = config.headDimension
        let queryWidth = config.headCount * hd, kvWidth = config.kvWidth
        let scale = 1 / Float(hd).squareRoot()
        Parallel.forEach(config.headCount, costPerItem: rows * positions * hd * 2) { head in
            let group = head / config.groupSize
            var scores = [Float](repeating: 0, count: rows * positions)
            scores.withUnsafeMutableBufferPointer { s in
                let p = s.baseAddress!
                Gemm.multiply(
                    transposeB: true, m: rows, n: positions, k: hd, alpha: scale, a: queries + head * hd,
                    lda: queryWidth, b: keys + group * hd, ldb: kvWidth, c: p, ldc: positions)
                for t in 0..<rows {
                    let row = p + t * positions, visible = start + t + 1
                    var maximum = -Float.infinity
                    for j in 0..<visible { maximum = max(maximum, row[j]) }
                    var sum: Float = 0
                    for j in 0..<visible {
                        row[j] = exp(row[j] - maximum)
                        sum += row[j]
                    }
                    let inverse = 1 / sum
                    for j in 0..<visible { row[j] *= inverse }
                    for j in visible..<positions { row[j] = 0 }
                }
                Gemm.multiply(
                    m: rows, n: hd, k: positions, a: p, lda: positions, b: values + group * hd, ldb: kvWidth,
                    c: output + head * hd, ldc: queryWidth)
            }
        }
    }
}
