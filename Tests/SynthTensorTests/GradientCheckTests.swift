import Testing

@testable import SynthTensor

/// Finite-difference checks of every primitive's backward rule (and a few composites).
@Suite("Gradients agree with finite differences")
struct GradientCheckTests {
    static func random(_ shape: [Int], seed: UInt64, scale: Float = 1, offset: Float = 0) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, values: (0..<count).map { _ in (generator.nextUniform() * 2 - 1) * scale + offset })
    }

    static func expectClose(
        _ inputs: [Tensor], tolerance: Double = 1e-2, step: Float = 1e-2,
        sourceLocation: SourceLocation = #_sourceLocation, _ function: (Tape, [Variable]) -> Variable
    ) {
        let report = GradientCheck.run(inputs: inputs, step: step, function)
        #expect(report.maxError < tolerance, "\(report)", sourceLocation: sourceLocation)
    }

    @Test func linear() {
        Self.expectClose([Self.random([3, 4], seed: 1), Self.random([5, 4], seed: 2), Self.random([5], seed: 3)]) {
            $0.linear($1[0], weight: $1[1], bias: $1[2])
        }
        Self.expectClose([Self.random([2, 3, 4], seed: 4), Self.random([2, 4], seed: 5)]) {
            $0.linear($1[0], weight: $1[1], bias: nil)
        }
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func matmul(transposeA: Bool, transposeB: Bool) {
        let a = Self.random(transposeA ? [4, 3] : [3, 4], seed: 6), b = Self.random(transposeB ? [5, 4] : [4, 5], seed: 7)
        Self.expectClose([a, b]) { $0.matmul($1[0], $1[1], transposeA: transposeA, transposeB: transposeB) }
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func batchedMatmul(transposeA: Bool, transposeB: Bool) {
        let a = Self.random(transposeA ? [3, 4, 2] : [3, 2, 4], seed: 8)
        let b = Self.random(transposeB ? [3, 5, 4] : [3, 4, 5], seed: 9)
        Self.expectClose([a, b]) {
            $0.batchedMatmul($1[0], $1[1], transposeA: transposeA, transposeB: transposeB, alpha: 0.5)
        }
    }

    @Test func arithmetic() {
        let a = Self.random([3, 4], seed: 10), b = Self.random([3, 4], seed: 11)
        Self.expectClose([a, b]) { $0.add($1[0], $1[1]) }
        Self.expectClose([a, b]) { $0.subtract($1[0], $1[1]) }
        Self.expectClose([a, b]) { $0.multiply($1[0], $1[1]) }
        Self.expectClose([a]) { $0.affine($1[0], factor: -1.5, offset: 2) }
        Self.expectClose([a]) { $0.multiply($1[0], $1[0]) }
    }

    @Test func pointwiseFunctions() {
        let x = Self.random([4, 5], seed: 12, scale: 2)
        Self.expectClose([x]) { $0.gelu($1[0]) }
        Self.expectClose([x]) { $0.tanh($1[0]) }
        Self.expectClose([x]) { $0.exp($1[0]) }
        Self.expectClose([x]) { $0.sigmoid($1[0]) }
        Self.expectClose([x]) { $0.logSigmoid($1[0]) }
        Self.expectClose([Self.random([4, 5], seed: 13, scale: 0.5, offset: 1.5)]) { $0.log($1[0]) }
        // ReLU away from its kink.
        let away = Tensor(shape: [6], values: [-1.2, -0.5, -0.2, 0.3, 0.7, 1.9])
        Self.expectClose([away]) { $0.relu($1[0]) }
    }

    @Test func softmaxFamily() {
        let x = Self.random([3, 6], seed: 14, scale: 2)
        Self.expectClose([x]) { $0.softmax($1[0]) }
        Self.expectClose([x]) { $0.logSoftmax($1[0]) }
        Self.expectClose([x]) { $0.logSumExp($1[0]) }
        // Masked attention layout: [batch·heads, queries, keys], mask per batch row.
        let scores = Self.random([4, 3, 5], seed: 15)
        let mask = Tensor(shape: [2, 5], values: [1, 1, 1, 0, 0, 1, 1, 1, 1, 1])
        Self.expectClose([scores]) { $0.softmax($1[0], keyMask: mask, rowsPerMaskRow: 6) }
    }

    @Test func layerNorm() {
        Self.expectClose(
            [Self.random([3, 6], seed: 16, scale: 2), Self.random([6], seed: 17, offset: 1), Self.random([6], seed: 18)]
        ) { $0.layerNorm($1[0], gamma: $1[1], beta: $1[2], epsilon: 1e-5) }
    }

    @Test func normalizationAndPooling() {
        Self.expectClose([Self.random([3, 5], seed: 19, offset: 0.3)]) { $0.l2Normalize($1[0]) }
        let weights = Tensor(shape: [2, 3], values: [0.5, 0.5, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3])
        Self.expectClose([Self.random([2, 3, 4], seed: 20)]) { $0.weightedPool($1[0], weights: weights) }
        Self.expectClose([Self.random([2, 3, 4], seed: 21)]) { $0.selectPosition($1[0], 1) }
    }

    @Test func gathersAndLayout() {
        Self.expectClose([Self.random([5, 3], seed: 22)]) { $0.embedding($1[0], ids: [4, 0, 4, 2]) }
        Self.expectClose([Self.random([6, 8], seed: 23)]) { tape, v in
            tape.splitHeads(v[0], batch: 2, sequence: 3, heads: 2)
        }
        Self.expectClose([Self.random([4, 3, 4], seed: 24)]) { tape, v in
            tape.mergeHeads(v[0], batch: 2, sequence: 3, heads: 2)
        }
        Self.expectClose([Self.random([2, 6], seed: 25)]) { $0.reshape($1[0], [3, 4]) }
        Self.expectClose([Self.random([2, 3], seed: 26), Self.random([1, 3], seed: 27)]) { $0.concatRows($1) }
        Self.expectClose([Self.random([3, 5], seed: 28)]) { $0.sliceColumns($1[0], start: 1, count: 3) }
        Self.expectClose([Self.random([3, 5], seed: 29)]) { $0.pick($1[0], indices: [4, 0, 2]) }
    }

    @Test func reductions() {
        let x = Self.random([3, 4], seed: 30)
        Self.expectClose([x]) { $0.sum($1[0]) }
        Self.expectClose([x]) { $0.mean($1[0]) }
        Self.expectClose([x]) { $0.sumLastDimension($1[0]) }
    }

    @Test("dropout's gradient is its mask")
    func dropout() {
        let tape = Tape(training: true, seed: 5)
        let x = tape.input(Tensor(shape: [1000], repeating: 2))
        let y = tape.dropout(x, rate: 0.25)
        tape.backward(from: tape.sum(y))
        let gradient = tape.gradient(of: x)!.scalars
        let kept = y.value.scalars.filter { $0 != 0 }.count
        #expect(kept > 650 && kept < 850)
        for (g, value) in zip(gradient, y.value.scalars) { #expect(abs(g - value / 2) < 1e-6) }
        #expect(abs(gradient.first { $0 != 0 }! - 4.0 / 3) < 1e-6)
    }

    @Test("a reused input accumulates gradients from every use")
    func fanOut() {
        Self.expectClose([Self.random([2, 3], seed: 31)]) { tape, v in
            tape.multiply(tape.tanh(v[0]), tape.add(v[0], tape.gelu(v[0])))
        }
    }

    @Test("a small attention block end to end")
    func attentionComposite() {
        let mask = Tensor(shape: [2, 3], values: [1, 1, 0, 1, 1, 1])
        Self.expectClose([Self.random([6, 4], seed: 32), Self.random([4, 4], seed: 33)]) { tape, v in
            let projected = tape.linear(v[0], weight: v[1], bias: nil)
            let heads = tape.splitHeads(projected, batch: 2, sequence: 3, heads: 2)
            let scores = tape.batchedMatmul(heads, heads, transposeB: true, alpha: 0.7)
            let probabilities = tape.softmax(scores, keyMask: mask, rowsPerMaskRow: 6)
            return tape.mergeHeads(tape.batchedMatmul(probabilities, heads), batch: 2, sequence: 3, heads: 2)
        }
    }
}
