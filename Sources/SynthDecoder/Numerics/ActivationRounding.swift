import Foundation
import SynthTensor

/// How llama.cpp's CPU backend encodes the activations of one matrix product, chosen by the weight's
/// GGML type (ggml's `vec_dot_type`).
///
/// | weight | activations | product in the core |
/// |---|---|---|
/// | F32 | F32 | BLAS, Float32 |
/// | F16 | F16 | activations rounded to binary16, BLAS (products exact, Float32 sums) |
/// | Q4_0, Q8_0 | Q8_0 | activations rounded as `quantize_row_q8_0`, BLAS on the dequantised weights |
/// | Q4_1 | Q8_1 | ggml's `ggml_vec_dot_q4_1_q8_1`, bit for bit (``Q4_1Matrix``) |
/// | Q4_K, Q6_K | Q8_K | activations rounded as `quantize_row_q8_K_ref`, BLAS (not parity-tested) |
///
/// BLAS products agree with ggml's integer dot products up to Float32 summation order; only the Q4_1 path
/// (the reference model's 210 block matrices) reproduces ggml's order too, which matters because an ulp
/// upstream of the next 8-bit rounding can flip it. The reference model's only other product is its Q8_0
/// output head, whose result is not rounded again.
package enum ActivationRounding: Sendable {
    /// Float32 activations (F32 weights, or the ``DecoderNumerics/float32`` mode).
    case none
    /// Activations rounded to binary16.
    case half
    /// ggml's `quantize_row_q8_0`: blocks of 32 with a binary16 scale.
    case q8_0
    /// ggml's `quantize_row_q8_1` and `ggml_vec_dot_q4_1_q8_1` for a Q4_1 weight read from the GGUF file.
    case q8_1(Q4_1Matrix)
    /// ggml's `quantize_row_q8_K_ref`: blocks of 256 with a Float32 scale (`d = 1/(−127/x_max)` of the signed
    /// extreme). Not parity-tested: the reference model has no K-quant tensors.
    case q8_K

    /// The rounding llama.cpp applies before multiplying by the weight `name` of `file`.
    static func forWeight(named name: String, in file: GGUFFile) -> ActivationRounding {
        guard let info = file.info(named: name) else { return .none }
        switch info.type {
        case .f16: return .half
        case .q4_0, .q8_0: return .q8_0
        case .q4_1: return .q8_1(Q4_1Matrix(file: file, info: info))
        case .q4_K, .q6_K: return .q8_K
        default: return .none
        }
    }

    /// Rounds `rows` rows of width `width` from `x` into `y` (dequantised values).
    func round(_ x: UnsafePointer<Float>, rows: Int, width: Int, into y: UnsafeMutablePointer<Float>) {
        switch self {
        case .none:
            y.update(from: x, count: rows * width)
        case .half:
            for i in 0..<(rows * width) { y[i] = Float(Float16(x[i])) }
        case .q8_0, .q8_1:
            precondition(width % 32 == 0, "Q8 activations need a width divisible by 32, found \(width)")
            for b in 0..<(rows * width / 32) { Self.roundQ8Block(x + 32 * b, into: y + 32 * b) }
        case .q8_K:
            precondition(width % 256 == 0, "Q8_K activations need a width divisible by 256, found \(width)")
            for b in 0..<(rows * width / 256) { Self.roundQ8KBlock(x + 256 * b, into: y + 256 * b) }
        }
    }

    /// One block of 32 as ggml's AVX `quantize_row_q8_0` / `_q8_1`: `d = amax/127`,
    /// `q = roundNearestEven(x·(127/amax))`, value `fp16(d)·q`.
    @inline(__always)
    static func roundQ8Block(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let stored = Float(Float16(amax / 127))
        let inverse: Float = amax != 0 ? 127 / amax : 0
        for j in 0..<32 { y[j] = stored * (x[j] * inverse).rounded(.toNearestOrEven) }
    }

    /// One block of 256 as ggml's `quantize_row_q8_K_ref`.
    static func roundQ8KBlock(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        var amax: Float = 0, extreme: Float = 0
        for j in 0..<256 where abs(x[j]) > amax {
            amax = abs(x[j])
            extreme = x[j]
        }
        guard amax != 0 else {
            for j in 0..<256 { y[j] = 0 }
            return
        }
        let inverse = -127 / extreme
        let d = 1 / inverse
        for j in 0..<256 { y[j] = d * min(127, (inverse * x[j]).rounded(.toNearestOrEven)) }
    }

    /// `y = round(x) · Wᵀ`: one matrix product as llama.cpp computes it (`W` is the dequantised weight).
    func linear(_ x: UnsafePointer<Float>, rows: Int, weight: Tensor, into y: UnsafeMutablePointer<Float>) {
        switch self {
        case .none:
            DecoderKernels.linear(x, rows: rows, weight: weight, into: y)
        case .q8_1(let matrix):
            matrix.multiply(x, rows: rows, into: y)
        default:
            let width = weight.shape[1]
            var rounded = [Float](repeating: 0, count: rows * width)
            rounded.withUnsafeMutableBufferPointer { round(x, rows: rows, width: width, into: $0.baseAddress!) }
            rounded.withUnsafeBufferPointer { DecoderKernels.linear($0.baseAddress!, rows: rows, weight: weight, into: y) }
        }
    }
}
