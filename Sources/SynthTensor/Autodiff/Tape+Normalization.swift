import Foundation

/// Softmax-family and normalisation operations on the tape (all over the last dimension).
extension Tape {
    /// Softmax over the last dimension.
    ///
    /// With `keyMask` (`[maskRows, columns]`, 1 = attend, 0 = padding), row `r` of `x` uses mask row
    /// `r / rowsPerMaskRow`, and masked columns get probability exactly 0 (as adding a very negative bias does).
    package func softmax(_ x: Variable, keyMask: Tensor? = nil, rowsPerMaskRow: Int = 1) -> Variable {
        let y = RowKernels.softmax(x.value, keyMask: keyMask, rowsPerMaskRow: rowsPerMaskRow, pool: pool)
        return record(y, .softmax(y: y), inputs: [x])
    }

    /// `log softmax(x)` over the last dimension, computed stably.
    package func logSoftmax(_ x: Variable) -> Variable {
        let y = RowKernels.softmax(x.value, keyMask: nil, rowsPerMaskRow: 1, logarithm: true, pool: pool)
        return record(y, .logSoftmax(y: y), inputs: [x])
    }

    /// `log Σⱼ exp(xᵢⱼ)` over the last dimension: `[…, C] → […]`.
    package func logSumExp(_ x: Variable) -> Variable {
        let columns = x.shape.last ?? 1
        let rows = x.value.count / max(columns, 1)
        let logProbabilities = RowKernels.softmax(x.value, keyMask: nil, rowsPerMaskRow: 1, logarithm: true, pool: pool)
        let y = output(Array(x.shape.dropLast()))
        // log-sum-exp = x - log softmax(x), for any column; use column 0.
        for row in 0..<rows { y.pointer[row] = x.value.pointer[row * columns] - logProbabilities.pointer[row * columns] }
        let probabilities = Elementwise.map(logProbabilities, pool: pool) { Foundation.exp($0) }
        return record(y, .logSumExp(softmax: probabilities), inputs: [x])
    }

    /// Layer normalisation over the last dimension: `(x - mean) / √(var + ε) · gamma + beta` (biased variance).
    package func layerNorm(_ x: Variable, gamma: Variable, beta: Variable, epsilon: Float) -> Variable {
        let keep = isRecording && (x.requiresGradient || gamma.requiresGradient || beta.requiresGradient)
        let result = RowKernels.layerNorm(
            x.value, gamma: gamma.value, beta: beta.value, epsilon: epsilon, keepStatistics: keep, pool: pool)
        guard keep, let normalized = result.normalized, let inverseStd = result.inverseStd else {
            return constant(result.y)
        }
        return record(
            result.y, .layerNorm(normalized: normalized, inverseStd: inverseStd, gamma: gamma.value),
            inputs: [x, gamma, beta])
    }

    /// Scales each row (last dimension) to unit Euclidean norm: `x / max(‖x‖, ε)` (as `torch.nn.functional.normalize`).
    package func l2Normalize(_ x: Variable, epsilon: Float = 1e-12) -> Variable {
        let columns = x.shape.last ?? 1
        let rows = x.value.count / max(columns, 1)
        let y = output(x.shape), norms = output([rows])
        let source = x.value.pointer, target = y.pointer, normPointer = norms.pointer
        Parallel.forRanges(rows, costPerItem: columns * 2) { range in
            for row in range {
                var total: Float = 0
                for column in 0..<columns { total += source[row * columns + column] * source[row * columns + column] }
                let norm = total.squareRoot()
                normPointer[row] = norm
                let inverse = 1 / max(norm, epsilon)
                for column in 0..<columns { target[row * columns + column] = source[row * columns + column] * inverse }
            }
        }
        return record(y, .l2Normalize(y: y, norms: norms, epsilon: epsilon), inputs: [x])
    }
}
