import Foundation

/// Row-wise kernels over the last dimension: softmax, layer normalisation and their backward passes.
enum RowKernels {
    /// Softmax of each row of `[rows, columns]`; with `keyMask` (`[maskRows, columns]`, 1 keep / 0 drop),
    /// row `r` uses mask row `r / rowsPerMaskRow` and masked entries get probability 0.
    static func softmax(
        _ x: Tensor, keyMask: Tensor?, rowsPerMaskRow: Int, logarithm: Bool = false, pool: BufferPool?
    ) -> Tensor {
        let columns = x.shape.last ?? 1
        let rows = x.count / max(columns, 1)
        let y = Tensor(uninitialized: x.shape, pool: pool)
        let source = x.pointer, target = y.pointer, mask = keyMask?.pointer
        let ones = Tensor(shape: [columns], repeating: 1, pool: pool)
        let onesPointer = ones.pointer
        Parallel.forRanges(rows, costPerItem: columns * 8) { range in
            for row in range {
                let input = source + row * columns, output = target + row * columns
                let keep = mask.map { $0 + (row / rowsPerMaskRow) * columns } ?? onesPointer
                // The row maximum (over all columns: cheap and vectorisable) only guards exp against overflow.
                var maximum = rowMaximum(input, columns)
                for column in 0..<columns { output[column] = FastMath.exp(input[column] - maximum) * keep[column] }
                var total = sum(output, columns)
                if !(total > 1e-30) {
                    // Kept scores far below masked ones (or every key masked): use the maximum over kept keys,
                    // and attend uniformly when nothing is kept, as a large negative bias would.
                    var keptMaximum = -Float.greatestFiniteMagnitude
                    for column in 0..<columns where keep[column] != 0 { keptMaximum = Swift.max(keptMaximum, input[column]) }
                    let anyKept = keptMaximum > -Float.greatestFiniteMagnitude
                    maximum = anyKept ? keptMaximum : maximum
                    for column in 0..<columns {
                        output[column] = FastMath.exp(input[column] - maximum) * (anyKept ? keep[column] : 1)
                    }
                    total = sum(output, columns)
                }
                if logarithm {
                    let logTotal = Foundation.log(total) + maximum
                    for column in 0..<columns { output[column] = input[column] - logTotal }
                } else {
                    let inverse = 1 / total
                    for column in 0..<columns { output[column] *= inverse }
                }
            }
        }
        // `ones` is only reached through `onesPointer`: keep it alive until the loop is done (Swift may
        // release a local right after its last use, the `.pointer` read).
        withExtendedLifetime(ones) {}
        return y
    }

    /// Maximum of `count` floats (count ≥ 1) with four independent accumulators.
    @inline(__always)
    static func rowMaximum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var a = x[0], b = x[0], c = x[0], d = x[0]
        var index = 0
        while index + 4 <= count {
            a = x[index] > a ? x[index] : a
            b = x[index + 1] > b ? x[index + 1] : b
            c = x[index + 2] > c ? x[index + 2] : c
            d = x[index + 3] > d ? x[index + 3] : d
            index += 4
        }
        while index < count {
            a = x[index] > a ? x[index] : a
            index += 1
        }
        return Swift.max(Swift.max(a, b), Swift.max(c, d))
    }

    /// Sum of `count` floats with four independent accumulators (vectorisable without reassociation flags).
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var a: Float = 0, b: Float = 0, c: Float = 0, d: Float = 0
        var index = 0
        while index + 4 <= count {
            a += x[index]; b += x[index + 1]; c += x[index + 2]; d += x[index + 3]
            index += 4
        }
        while index < count {
            a += x[index]
            index += 1
        }
        return (a + b) + (c + d)
    }

    /// `dx = y ⊙ (g - Σ g⊙y)` per row.
    static func softmaxBackward(y: Tensor, gradient: Tensor, pool: BufferPool?) -> Tensor {
        let columns = y.shape.last ?? 1
        let rows = y.count / max(columns, 1)
        let dx = Tensor(uninitialized: y.shape, pool: pool)
        let probabilities = y.pointer, upstream = gradient.pointer, target = dx.pointer
        Parallel.forRanges(rows, costPerItem: columns * 3) { range in
            for row in range {
                let p = probabilities + row * columns, g = upstream + row * columns, out = target + row * columns
                var dot: Float = 0
                for column in 0..<columns { dot += p[column] * g[column] }
                for column in 0..<columns { out[column] = p[column] * (g[column] - dot) }
            }
        }
        return dx
    }

    /// `dx = g - softmax ⊙ Σ g` per row, for log-softmax with output `y`.
    static func logSoftmaxBackward(y: Tensor, gradient: Tensor, pool: BufferPool?) -> Tensor {
        let columns = y.shape.last ?? 1
        let rows = y.count / max(columns, 1)
        let dx = Tensor(uninitialized: y.shape, pool: pool)
        let logProbabilities = y.pointer, upstream = gradient.pointer, target = dx.pointer
        Parallel.forRanges(rows, costPerItem: columns * 3) { range in
            for row in range {
                let lp = logProbabilities + row * columns, g = upstream + row * columns
                let out = target + row * columns
                var total: Float = 0
                for column in 0..<columns { total += g[column] }
                for column in 0..<columns { out[column] = g[column] - Foundation.exp(lp[column]) * total }
            }
        }
        return dx
    }

    /// Layer normalisation of each row: returns `(y, normalized, inverseStd)`.
    static func layerNorm(
        _ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float, keepStatistics: Bool, pool: BufferPool?
    ) -> (y: Tensor, normalized: Tensor?, inverseStd: Tensor?) {
        let columns = x.shape.last ?? 1
        let rows = x.count / max(columns, 1)
        precondition(gamma.count == columns && beta.count == columns,
                     "layer norm over \(columns) features got gamma \(gamma.shape) and beta \(beta.shape)")
        let y = Tensor(uninitialized: x.shape, pool: pool)
        let normalized = keepStatistics ? Tensor(uninitialized: x.shape, pool: pool) : nil
        let inverseStd = keepStatistics ? Tensor(uninitialized: [rows], pool: pool) : nil
        let source = x.pointer, target = y.pointer, g = gamma.pointer, b = beta.pointer
        let normalizedPointer = normalized?.pointer, inverseStdPointer = inverseStd?.pointer
        let count = Float(columns)
        Parallel.forRanges(rows, costPerItem: columns * 4) { range in
            for row in range {
                let input = source + row * columns, output = target + row * columns
                var mean: Float = 0
                for column in 0..<columns { mean += input[column] }
                mean /= count
                var variance: Float = 0
                for column in 0..<columns {
                    let d = input[column] - mean
                    variance += d * d
                }
                variance /= count
                let inverse = 1 / (variance + epsilon).squareRoot()
                if let normalizedPointer, let inverseStdPointer {
                    let xhat = normalizedPointer + row * columns
                    for column in 0..<columns {
                        let value = (input[column] - mean) * inverse
                        xhat[column] = value
                        output[column] = value * g[column] + b[column]
                    }
                    inverseStdPointer[row] = inverse
                } else {
                    for column in 0..<columns { output[column] = (input[column] - mean) * inverse * g[column] + b[column] }
                }
            }
        }
        return (y, normalized, inverseStd)
    }

    /// Backward of layer normalisation: `(dx, dgamma, dbeta)`.
    static func layerNormBackward(
        gradient: Tensor, normalized: Tensor, inverseStd: Tensor, gamma: Tensor, pool: BufferPool?
    ) -> (dx: Tensor, dgamma: Tensor, dbeta: Tensor) {
        let columns = normalized.shape.last ?? 1
        let rows = normalized.count / max(columns, 1)
        let dx = Tensor(uninitialized: normalized.shape, pool: pool)
        let chunks = Parallel.chunkCount(rows, costPerItem: columns * 6)
        let partial = Tensor(shape: [chunks, 2, columns], repeating: 0, pool: pool)
        let upstream = gradient.pointer, xhat = normalized.pointer, inverse = inverseStd.pointer
        let g = gamma.pointer, target = dx.pointer, partials = partial.pointer
        let count = Float(columns)
        Parallel.forChunks(rows, costPerItem: columns * 6) { chunk, range in
            let dgamma = partials + chunk * 2 * columns, dbeta = dgamma + columns
            for row in range {
                let dy = upstream + row * columns, xh = xhat + row * columns, out = target + row * columns
                var meanDxhat: Float = 0, meanDxhatXhat: Float = 0
                for column in 0..<columns {
                    let dxhat = dy[column] * g[column]
                    meanDxhat += dxhat
                    meanDxhatXhat += dxhat * xh[column]
                    dgamma[column] += dy[column] * xh[column]
                    dbeta[column] += dy[column]
                }
                meanDxhat /= count
                meanDxhatXhat /= count
                let r = inverse[row]
                for column in 0..<columns {
                    out[column] = r * (dy[column] * g[column] - meanDxhat - xh[column] * meanDxhatXhat)
                }
            }
        }
        let dgamma = Tensor(shape: [columns], repeating: 0), dbeta = Tensor(shape: [columns], repeating: 0)
        for chunk in 0..<chunks {
            for column in 0..<columns {
                dgamma.pointer[column] += partials[chunk * 2 * columns + column]
                dbeta.pointer[column] += partials[chunk * 2 * columns + columns + column]
            }
        }
        withExtendedLifetime(partial) {}  // reached only through `partials` above
        return (dx, dgamma, dbeta)
    }
}
