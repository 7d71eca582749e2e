import Foundation
import SynthTensor

/// A Q4_1 weight matrix read in place from its GGUF file, multiplied as ggml's AVX2 kernel
/// `ggml_vec_dot_q4_1_q8_1` does, bit for bit.
///
/// For one output `o` and one activation row quantised to Q8_1 (`d_a`, `s_a` binary16, `q_a` int8 per block):
/// eight Float32 lanes, lane `l` accumulating over the blocks `fma(d_w·d_a, Σ_{j=4l}^{4l+3} q_w[j]·q_a[j], lane)`
/// (the integer sums are exact), then `hsum(lanes) + Σ_blocks m_w·s_a` with hsum's order
/// `((l₀+l₄)+(l₂+l₆)) + ((l₁+l₅)+(l₃+l₇))`. Activations must match ggml's bits too, so any Float32 difference
/// upstream (summation order) can flip an 8-bit rounding: that is why the product is not done by BLAS.
package struct Q4_1Matrix: Sendable {
    let file: GGUFFile
    let offset: Int
    /// `[rows, columns]` as a linear map `[out, in]`.
    package let rows: Int, columns: Int

    init(file: GGUFFile, info: GGUFFile.TensorInfo) {
        precondition(info.type == .q4_1, "\(info.name) is \(info.type.name), not Q4_1")
        self.file = file
        offset = info.fileOffset
        columns = info.shape.last!
        rows = info.elementCount / columns
    }

    /// Activation rows quantised as ggml's `quantize_row_q8_1` (AVX path).
    struct Q8_1Rows {
        var quants: [Int8]
        var scales: [Float]
        var sums: [Float]
    }

    static func quantize(_ x: UnsafePointer<Float>, rows: Int, width: Int) -> Q8_1Rows {
        let blocks = rows * width / 32
        var result = Q8_1Rows(
            quants: [Int8](repeating: 0, count: rows * width), scales: [Float](repeating: 0, count: blocks),
            sums: [Float](repeating: 0, count: blocks))
        for b in 0..<blocks {
            let block = x + 32 * b
            var amax: Float = 0
            for j in 0..<32 { amax = max(amax, abs(block[j])) }
            let d = amax / 127
            let inverse: Float = amax != 0 ? 127 / amax : 0
            var sum: Int32 = 0
            for j in 0..<32 {
                let q = Int8((block[j] * inverse).rounded(.toNearestOrEven))
                result.quants[32 * b + j] = q
                sum &+= Int32(q)
            }
            result.scales[b] = Float(Float16(d))
            result.sums[b] = Float(Float16(d * Float(sum)))
        }
        return result
    }

    /// `y[r, o] = ggml_vec_dot_q4_1_q8_1(W[o], quantize_q8_1(x[r]))` for `rows` rows of `x` `[rows, columns]`.
    func multiply(_ x: UnsafePointer<Float>, rows activationRows: Int, into y: UnsafeMutablePointer<Float>) {
        let width = columns, blocks = columns / 32, outputs = rows
        let activations = Self.quantize(x, rows: activationRows, width: width)
        file.data.withUnsafeBytes { bytes in
            let base = bytes.baseAddress! + offset
            activations.quants.withUnsafeBufferPointer { quants in
                let qa = quants.baseAddress!
                let scales = activations.scales, sums = activations.sums
                Parallel.forRanges(outputs, costPerItem: width * activationRows) { range in
                    var unpacked = [Int32](repeating: 0, count: 32)
                    for o in range {
                        let row = base + o * blocks * 20
                        var lanes = [[Float]](repeating: [Float](repeating: 0, count: 8), count: activationRows)
                        var minimums = [Float](repeating: 0, count: activationRows)
                        for b in 0..<blocks {
                            let block = row + b * 20
                            let dw = Dequantize.half(block, 0), mw = Dequantize.half(block, 2)
                            for j in 0..<16 {
                                let byte = block.load(fromByteOffset: 4 + j, as: UInt8.self)
                                unpacked[j] = Int32(byte & 15)
                                unpacked[j + 16] = Int32(byte >> 4)
                            }
                            for r in 0..<activationRows {
                                let index = r * blocks + b
                                minimums[r] += mw * sums[index]
                                let scale = dw * scales[index]
                                let a = qa + index * 32
                                for l in 0..<8 {
                                    var total: Int32 = 0
                                    for j in (4 * l)..<(4 * l + 4) { total &+= unpacked[j] &* Int32(a[j]) }
                                    lanes[r][l] = lanes[r][l].addingProduct(scale, Float(total))
                                }
                            }
                        }
                        for r in 0..<activationRows {
                            let v = lanes[r]
                            let r0 = v[4] + v[0], r1 = v[5] + v[1], r2 = v[6] + v[2], r3 = v[7] + v[3]
                            let total = (r0 + r2) + (r1 + r3)
                            y[r * outputs + o] = total + minimums[r]
                        }
                    }
                }
            }
        }
    }
}
