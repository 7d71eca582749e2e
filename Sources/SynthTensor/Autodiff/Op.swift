/// The closed set of primitive operations the ``Tape`` records, with what each backward rule needs.
///
/// Composite operations (cross-entropy, attention, a BERT layer) are built from these; every primitive
/// has exactly one backward rule in `Tape+Backward.swift` and a finite-difference test.
enum Op {
    /// An input or parameter; `name` is set for parameters.
    case leaf(name: String?)
    /// `y = x Wᵀ + b` over the last dimension of `x`; inputs `[x, W, b?]`.
    case linear(x: Tensor, weight: Tensor, hasBias: Bool)
    /// 2-D `y = op(A) op(B)`; inputs `[A, B]`.
    case matmul(a: Tensor, b: Tensor, transposeA: Bool, transposeB: Bool)
    /// Batched `y[i] = alpha * op(A[i]) op(B[i])`; inputs `[A, B]`.
    case batchedMatmul(a: Tensor, b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float)
    /// `a + b`, same shapes.
    case add
    /// `a - b`, same shapes.
    case subtract
    /// `a ⊙ b`, same shapes.
    case multiply(a: Tensor, b: Tensor)
    /// `a * factor + offset`.
    case affine(factor: Float)
    /// `GELU(x) = x Φ(x)` with the exact (erf) Φ.
    case gelu(x: Tensor)
    /// `tanh(x)`; keeps the output.
    case tanh(y: Tensor)
    /// `e^x`; keeps the output.
    case exp(y: Tensor)
    /// `ln x`.
    case log(x: Tensor)
    /// Logistic sigmoid; keeps the output.
    case sigmoid(y: Tensor)
    /// `log σ(x)`.
    case logSigmoid(x: Tensor)
    /// `max(x, 0)`.
    case relu(x: Tensor)
    /// Softmax over the last dimension; keeps the output.
    case softmax(y: Tensor)
    /// Log-softmax over the last dimension; keeps the output.
    case logSoftmax(y: Tensor)
    /// Log-sum-exp over the last dimension; keeps the softmax.
    case logSumExp(softmax: Tensor)
    /// Layer normalisation over the last dimension; inputs `[x, gamma, beta]`.
    case layerNorm(normalized: Tensor, inverseStd: Tensor, gamma: Tensor)
    /// Inverted dropout; `mask` holds 0 or `1/(1-p)`.
    case dropout(mask: Tensor)
    /// Row gather `table[ids]`; input `[table]`.
    case embedding(ids: [Int32], rows: Int)
    /// Same elements, new shape.
    case reshape(from: [Int])
    /// `[B*S, H*D] → [B*H, S, D]`.
    case splitHeads(batch: Int, sequence: Int, heads: Int)
    /// `[B*H, S, D] → [B*S, H*D]`.
    case mergeHeads(batch: Int, sequence: Int, heads: Int)
    /// `[B, S, H] → [B, H]` weighted by `weights[B, S]` (mask / count).
    case weightedPool(weights: Tensor)
    /// Rows scaled to unit L2 norm; keeps output and norms.
    case l2Normalize(y: Tensor, norms: Tensor, epsilon: Float)
    /// `[B, S, H] → [B, H]` taking position `position`.
    case selectPosition(position: Int, sequence: Int)
    /// Concatenation along the first dimension; inputs are the parts.
    case concatRows(rows: [Int])
    /// Columns `start..<start+count` of a `[N, C]` matrix.
    case sliceColumns(start: Int, columns: Int)
    /// `y[i] = x[i, indices[i]]` for `[N, C]` x.
    case pick(indices: [Int], columns: Int)
    /// Sum of all elements (scalar).
    case sum
    /// Sum over the last dimension.
    case sumLastDimension(size: Int)
}
