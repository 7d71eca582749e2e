import SynthTensor

/// `y = x Wᵀ` with a frozen `W` (`[out, in]`): the projections of a Llama block and its output head.
///
/// Only the input gradient exists: `∂L/∂x = g W`. No weight gradient is ever formed.
package enum FrozenLinear {
    /// `x [N, in] → [N, out]`.
    package static func forward(_ x: FloatMatrix, _ weight: FrozenWeight) -> FloatMatrix {
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        precondition(x.columns == inFeatures, "linear: input [\(x.rows), \(x.columns)] does not match weight \(weight.shape)")
        let y = FloatMatrix(rows: x.rows, columns: outFeatures)
        Gemm.multiply(
            transposeB: true, m: x.rows, n: outFeatures, k: inFeatures, a: x.pointer, lda: inFeatures,
            b: weight.pointer, ldb: inFeatures, c: y.pointer, ldc: outFeatures)
        return y
    }

    /// `∂L/∂x = g W`, added into `accumulator` when given (so Q, K and V gradients sum in place).
    @discardableResult
    package static func backward(_ g: FloatMatrix, _ weight: FrozenWeight, into accumulator: FloatMatrix? = nil) -> FloatMatrix {
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        precondition(g.columns == outFeatures, "linear backward: gradient [\(g.rows), \(g.columns)] for weight \(weight.shape)")
        let dx = accumulator ?? FloatMatrix(rows: g.rows, columns: inFeatures)
        Gemm.multiply(
            m: g.rows, n: inFeatures, k: outFeatures, a: g.pointer, lda: outFeatures, b: weight.pointer,
            ldb: inFeatures, beta: accumulator == nil ? 0 : 1, c: dx.pointer, ldc: inFeatures)
        return dx
    }
}
