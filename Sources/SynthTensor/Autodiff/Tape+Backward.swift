import Foundation

/// One backward rule per primitive ``Op``: given the gradient of a node's output, the gradients of its inputs.
extension Tape {
    // swiftlint:disable:next cyclomatic_complexity function_body_length
    func backwardRule(_ node: Node, gradient g: Tensor) -> [Tensor?] {
        let needs = node.inputs.map { $0 >= 0 }
        switch node.op {
        case .leaf:
            return []

        case .linear(let x, let weight, let hasBias):
            let inFeatures = weight.shape[1], outFeatures = weight.shape[0]
            let rows = x.count / max(inFeatures, 1)
            var result: [Tensor?] = []
            if needs[0] {
                let dx = output(x.shape)
                Gemm.multiply(
                    m: rows, n: inFeatures, k: outFeatures, a: g.pointer, lda: outFeatures, b: weight.pointer,
                    ldb: inFeatures, c: dx.pointer, ldc: inFeatures)
                result.append(dx)
            } else {
                result.append(nil)
            }
            if needs[1] {
                let dw = output(weight.shape)
                Gemm.multiply(
                    transposeA: true, m: outFeatures, n: inFeatures, k: rows, a: g.pointer, lda: outFeatures,
                    b: x.pointer, ldb: inFeatures, c: dw.pointer, ldc: inFeatures)
                result.append(dw)
            } else {
                result.append(nil)
            }
            if hasBias {
                result.append(needs[2] ? Elementwise.columnSums(g.pointer, rows: rows, columns: outFeatures, pool: pool) : nil)
            }
            return result

        case .matmul(let a, let b, let transposeA, let transposeB):
            // y = op(a) op(b); d op(a) = g op(b)ᵀ, d op(b) = op(a)ᵀ g.
            let m = node.shape[0], n = node.shape[1], k = transposeA ? a.shape[0] : a.shape[1]
            var da: Tensor?, db: Tensor?
            if needs[0] {
                let result = output(a.shape)
                if transposeA {  // a is [k, m]: da = op(b) gᵀ
                    Gemm.multiply(
                        transposeA: transposeB, transposeB: true, m: k, n: m, k: n, a: b.pointer, lda: b.shape[1],
                        b: g.pointer, ldb: n, c: result.pointer, ldc: m)
                } else {  // a is [m, k]: da = g op(b)ᵀ
                    Gemm.multiply(
                        transposeB: !transposeB, m: m, n: k, k: n, a: g.pointer, lda: n, b: b.pointer, ldb: b.shape[1],
                        c: result.pointer, ldc: k)
                }
                da = result
            }
            if needs[1] {
                let result = output(b.shape)
                if transposeB {  // b is [n, k]: db = gᵀ op(a)
                    Gemm.multiply(
                        transposeA: true, transposeB: transposeA, m: n, n: k, k: m, a: g.pointer, lda: n, b: a.pointer,
                        ldb: a.shape[1], c: result.pointer, ldc: k)
                } else {  // b is [k, n]: db = op(a)ᵀ g
                    Gemm.multiply(
                        transposeA: !transposeA, m: k, n: n, k: m, a: a.pointer, lda: a.shape[1], b: g.pointer, ldb: n,
                        c: result.pointer, ldc: n)
                }
                db = result
            }
            return [da, db]

        case .batchedMatmul(let a, let b, let transposeA, let transposeB, let alpha):
            let batch = node.shape[0], m = node.shape[1], n = node.shape[2]
            let k = transposeA ? a.shape[1] : a.shape[2]
            var da: Tensor?, db: Tensor?
            if needs[0] {
                let result = output(a.shape)
                if transposeA {
                    Gemm.batched(
                        batch: batch, transposeA: transposeB, transposeB: true, m: k, n: m, k: n, alpha: alpha,
                        a: b.pointer, b: g.pointer, c: result.pointer)
                } else {
                    Gemm.batched(
                        batch: batch, transposeB: !transposeB, m: m, n: k, k: n, alpha: alpha, a: g.pointer,
                        b: b.pointer, c: result.pointer)
                }
                da = result
            }
            if needs[1] {
                let result = output(b.shape)
                if transposeB {
                    Gemm.batched(
                        batch: batch, transposeA: true, transposeB: transposeA, m: n, n: k, k: m, alpha: alpha,
                        a: g.pointer, b: a.pointer, c: result.pointer)
                } else {
                    Gemm.batched(
                        batch: batch, transposeA: !transposeA, m: k, n: n, k: m, alpha: alpha, a: a.pointer,
                        b: g.pointer, c: result.pointer)
                }
                db = result
            }
            return [da, db]

        case .add:
            return [g, g]
        case .subtract:
            return [g, needs[1] ? Elementwise.map(g, pool: pool) { -$0 } : nil]
        case .multiply(let a, let b):
            return [
                needs[0] ? Activation.multiply(g, b, pool: pool) : nil,
                needs[1] ? Activation.multiply(g, a, pool: pool) : nil,
            ]
        case .affine(let factor):
            return [Elementwise.map(g, pool: pool) { $0 * factor }]
        case .gelu(let x):
            return [Activation.geluBackward(g, x, pool: pool)]
        case .tanh(let y):
            return [Elementwise.zip(g, y, pool: pool) { $0 * (1 - $1 * $1) }]
        case .exp(let y):
            return [Elementwise.zip(g, y, pool: pool) { $0 * $1 }]
        case .log(let x):
            return [Elementwise.zip(g, x, pool: pool) { $0 / $1 }]
        case .sigmoid(let y):
            return [Elementwise.zip(g, y, pool: pool) { $0 * $1 * (1 - $1) }]
        case .logSigmoid(let x):
            return [Elementwise.zip(g, x, pool: pool) { $0 / (1 + Foundation.exp($1)) }]
        case .relu(let x):
            return [Elementwise.zip(g, x, pool: pool) { $1 > 0 ? $0 : 0 }]

        case .softmax(let y):
            return [RowKernels.softmaxBackward(y: y, gradient: g, pool: pool)]
        case .logSoftmax(let y):
            return [RowKernels.logSoftmaxBackward(y: y, gradient: g, pool: pool)]
        case .logSumExp(let probabilities):
            let columns = probabilities.shape.last ?? 1
            let dx = output(probabilities.shape)
            for index in 0..<probabilities.count { dx.pointer[index] = probabilities.pointer[index] * g.pointer[index / columns] }
            return [dx]
        case .layerNorm(let normalized, let inverseStd, let gamma):
            let result = RowKernels.layerNormBackward(
                gradient: g, normalized: normalized, inverseStd: inverseStd, gamma: gamma, pool: pool)
            return [result.dx, result.dgamma, result.dbeta]
        case .dropout(let mask):
            return [Activation.multiply(g, mask, pool: pool)]

        case .embedding(let ids, let rows):
            let width = node.shape[1]
            let table = Tensor(shape: [rows, width], repeating: 0, pool: pool)
            for (index, id) in ids.enumerated() {
                let target = table.pointer + Int(id) * width, source = g.pointer + index * width
                for column in 0..<width { target[column] += source[column] }
            }
            return [table]
        case .reshape(let shape):
            return [g.reshaped(shape)]
        case .splitHeads(let batch, let sequence, let heads):
            let d = g.count / (batch * sequence * heads)
            let dx = output([batch * sequence, heads * d])
            Permute.mergeHeads(g.pointer, into: dx.pointer, batch: batch, sequence: sequence, heads: heads, d: d)
            return [dx]
        case .mergeHeads(let batch, let sequence, let heads):
            let d = g.count / (batch * sequence * heads)
            let dx = output([batch * heads, sequence, d])
            Permute.splitHeads(g.pointer, into: dx.pointer, batch: batch, sequence: sequence, heads: heads, d: d)
            return [dx]
        case .weightedPool(let weights):
            let batch = weights.shape[0], sequence = weights.shape[1], width = node.shape[1]
            let dx = output([batch, sequence, width])
            for b in 0..<batch {
                for s in 0..<sequence {
                    let weight = weights.pointer[b * sequence + s]
                    let target = dx.pointer + (b * sequence + s) * width, source = g.pointer + b * width
                    for column in 0..<width { target[column] = weight * source[column] }
                }
            }
            return [dx]
        case .l2Normalize(let y, let norms, let epsilon):
            let columns = y.shape.last ?? 1
            let dx = output(y.shape)
            for row in 0..<norms.count {
                let norm = norms.pointer[row]
                let yr = y.pointer + row * columns, gr = g.pointer + row * columns, out = dx.pointer + row * columns
                if norm > epsilon {
                    var dot: Float = 0
                    for column in 0..<columns { dot += yr[column] * gr[column] }
                    for column in 0..<columns { out[column] = (gr[column] - yr[column] * dot) / norm }
                } else {
                    for column in 0..<columns { out[column] = gr[column] / epsilon }
                }
            }
            return [dx]
        case .selectPosition(let position, let sequence):
            let batch = node.shape[0], width = node.shape[1]
            let dx = Tensor(shape: [batch, sequence, width], repeating: 0, pool: pool)
            for b in 0..<batch {
                (dx.pointer + (b * sequence + position) * width).update(from: g.pointer + b * width, count: width)
            }
            return [dx]
        case .concatRows(let rows):
            let tail = Array(node.shape.dropFirst())
            let width = tail.reduce(1, *)
            var offset = 0
            var parts: [Tensor?] = []
            for (index, count) in rows.enumerated() {
                if needs[index] {
                    let part = output([count] + tail)
                    part.pointer.update(from: g.pointer + offset, count: count * width)
                    parts.append(part)
                } else {
                    parts.append(nil)
                }
                offset += count * width
            }
            return parts
        case .sliceColumns(let start, let columns):
            let rows = node.shape[0], count = node.shape[1]
            let dx = Tensor(shape: [rows, columns], repeating: 0, pool: pool)
            for row in 0..<rows { (dx.pointer + row * columns + start).update(from: g.pointer + row * count, count: count) }
            return [dx]
        case .pick(let indices, let columns):
            let dx = Tensor(shape: [indices.count, columns], repeating: 0, pool: pool)
            for (row, column) in indices.enumerated() { dx.pointer[row * columns + column] = g.pointer[row] }
            return [dx]
        case .sum:
            let inputShape = nodes[node.inputs[0]].shape
            return [Tensor(shape: inputShape, repeating: g.scalar, pool: pool)]
        case .sumLastDimension(let size):
            let dx = output(node.shape + [size])
            for index in 0..<dx.count { dx.pointer[index] = g.pointer[index / size] }
            return [dx]
        }
    }
}
