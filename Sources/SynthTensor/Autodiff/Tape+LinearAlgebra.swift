/// Matrix products on the tape (every one an OpenBLAS `sgemm` via ``Gemm``).
extension Tape {
    /// `y = x Wᵀ + b` applied to the last dimension: `x` is `[…, in]`, `weight` `[out, in]`, `bias` `[out]`.
    ///
    /// The PyTorch `nn.Linear` convention, so Hugging Face weights load unchanged.
    package func linear(_ x: Variable, weight: Variable, bias: Variable?) -> Variable {
        let inFeatures = x.shape.last ?? 1
        precondition(weight.shape.count == 2 && weight.shape[1] == inFeatures,
                     "linear: input \(x.shape) does not match weight \(weight.shape)")
        let outFeatures = weight.shape[0]
        let rows = x.value.count / max(inFeatures, 1)
        var shape = x.shape
        shape[shape.count - 1] = outFeatures
        let y = output(shape)
        if let bias {
            precondition(bias.value.count == outFeatures, "linear: bias \(bias.shape) for \(outFeatures) outputs")
            let target = y.pointer, b = bias.value.pointer
            Parallel.forRanges(rows, costPerItem: outFeatures) { range in
                for row in range { (target + row * outFeatures).update(from: b, count: outFeatures) }
            }
        }
        Gemm.multiply(
            transposeB: true, m: rows, n: outFeatures, k: inFeatures, a: x.value.pointer, lda: inFeatures,
            b: weight.value.pointer, ldb: inFeatures, beta: bias == nil ? 0 : 1, c: y.pointer, ldc: outFeatures)
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        return record(y, .linear(x: x.value, weight: weight.value, hasBias: bias != nil), inputs: inputs)
    }

    /// 2-D product `op(a) op(b)`, e.g. the similarity matrix `q pᵀ` of a batch.
    package func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        precondition(a.shape.count == 2 && b.shape.count == 2, "matmul needs matrices, found \(a.shape) and \(b.shape)")
        let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
        let kB = transposeB ? b.shape[1] : b.shape[0], n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kB, "matmul: inner sizes differ in \(a.shape) and \(b.shape)")
        let y = output([m, n])
        Gemm.multiply(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a.value.pointer, lda: a.shape[1],
            b: b.value.pointer, ldb: b.shape[1], c: y.pointer, ldc: n)
        return record(y, .matmul(a: a.value, b: b.value, transposeA: transposeA, transposeB: transposeB), inputs: [a, b])
    }

    /// Batched product over the first dimension of 3-D tensors: `y[i] = alpha * op(a[i]) op(b[i])`.
    package func batchedMatmul(
        _ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1
    ) -> Variable {
        precondition(a.shape.count == 3 && b.shape.count == 3 && a.shape[0] == b.shape[0],
                     "batchedMatmul needs [batch, rows, columns] tensors, found \(a.shape) and \(b.shape)")
        let m = transposeA ? a.shape[2] : a.shape[1], k = transposeA ? a.shape[1] : a.shape[2]
        let kB = transposeB ? b.shape[2] : b.shape[1], n = transposeB ? b.shape[1] : b.shape[2]
        precondition(k == kB, "batchedMatmul: inner sizes differ in \(a.shape) and \(b.shape)")
        let y = output([a.shape[0], m, n])
        Gemm.batched(
            batch: a.shape[0], transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
            a: a.value.pointer, b: b.value.pointer, c: y.pointer)
        return record(
            y, .batchedMatmul(a: a.value, b: b.value, transposeA: transposeA, transposeB: transposeB, alpha: alpha),
            inputs: [a, b])
    }
}
