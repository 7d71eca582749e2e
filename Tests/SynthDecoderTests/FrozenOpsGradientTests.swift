import Foundation
import SynthTensor
import Testing

@testable import SynthDecoder

/// Central finite differences of `objective` with respect to every element of `inputs` (perturbed in place).
func numericGradients(_ inputs: [FloatMatrix], step: Float = 1e-2, _ objective: () -> Double) -> [[Double]] {
    inputs.map { input in
        (0..<input.count).map { index in
            let original = input.pointer[index]
            input.pointer[index] = original + step
            let plus = objective()
            input.pointer[index] = original - step
            let minus = objective()
            input.pointer[index] = original
            return (plus - minus) / (2 * Double(step))
        }
    }
}

/// Largest `|a − n| / max(1, |a|, |n|)`.
func worstError(_ analytic: [Float], _ numeric: [Double]) -> Double {
    zip(analytic, numeric).map { abs(Double($0) - $1) / max(1, abs(Double($0)), abs($1)) }.max() ?? 0
}

/// A matrix of seeded normal values.
func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64, scale: Float = 1) -> FloatMatrix {
    var generator = SeededGenerator(seed: seed)
    return FloatMatrix(rows: rows, columns: columns, values: (0..<rows * columns).map { _ in generator.nextNormal() * scale })
}

/// `Σ wᵢ yᵢ` with fixed weights: the scalar every op check reduces to.
func weightedSum(_ y: FloatMatrix, _ weights: FloatMatrix) -> Double {
    (0..<y.count).reduce(0.0) { $0 + Double(y.pointer[$1]) * Double(weights.pointer[$1]) }
}

@Suite("Frozen decoder ops: gradients against finite differences")
struct FrozenOpsGradientTests {
    @Test func rmsNormInputGradient() {
        let x = randomMatrix(3, 8, seed: 1)
        let weight = FrozenWeight(Tensor(shape: [8], values: (0..<8).map { 0.5 + Float($0) * 0.1 }))
        let g = randomMatrix(3, 8, seed: 2)
        let (_, inverse) = RMSNormOp.forward(x, weight: weight, epsilon: 1e-5)
        let analytic = RMSNormOp.backward(g, x: x, inverseRMS: inverse, weight: weight).values
        let numeric = numericGradients([x]) { weightedSum(RMSNormOp.forward(x, weight: weight, epsilon: 1e-5).y, g) }
        #expect(worstError(analytic, numeric[0]) < 2e-3)
    }

    @Test func linearInputGradient() {
        let x = randomMatrix(4, 6, seed: 3)
        let weight = FrozenWeight(randomMatrix(5, 6, seed: 4).tensor)
        let g = randomMatrix(4, 5, seed: 5)
        let analytic = FrozenLinear.backward(g, weight).values
        let numeric = numericGradients([x]) { weightedSum(FrozenLinear.forward(x, weight), g) }
        #expect(worstError(analytic, numeric[0]) < 1e-3)
        // Accumulating into an existing gradient adds.
        let accumulator = FloatMatrix(rows: 4, columns: 6, values: Array(repeating: 1, count: 24))
        FrozenLinear.backward(g, weight, into: accumulator)
        #expect(zip(accumulator.values, analytic).allSatisfy { abs($0 - 1 - $1) < 1e-5 })
    }

    @Test func swiGLUGradients() {
        let gate = randomMatrix(3, 5, seed: 6, scale: 2), up = randomMatrix(3, 5, seed: 7)
        let g = randomMatrix(3, 5, seed: 8)
        let (dGate, dUp) = SwiGLUOp.backward(g, gate: gate, up: up)
        let numeric = numericGradients([gate, up], step: 1e-3) { weightedSum(SwiGLUOp.forward(gate: gate, up: up), g) }
        #expect(worstError(dGate.values, numeric[0]) < 1e-3)
        #expect(worstError(dUp.values, numeric[1]) < 1e-3)
    }

    @Test(arguments: [RotaryPairing.interleaved, .halves])
    func rotaryIsARotationWithInverseBackward(pairing: RotaryPairing) {
        let x = randomMatrix(6, 8, seed: 9)  // 2 sequences of 3 tokens, 2 heads of size 4
        let original = x.values
        let g = randomMatrix(6, 8, seed: 10)
        func rotated() -> FloatMatrix {
            let copy = x.copy()
            RotaryOp.apply(copy, heads: 2, headSize: 4, sequence: 3, base: 10, pairing: pairing)
            return copy
        }
        // Position 0 is unrotated; norms are preserved; inverse undoes the rotation.
        let y = rotated()
        #expect(zip(y.values[0..<8], original[0..<8]).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(y.values != original)
        RotaryOp.apply(y, heads: 2, headSize: 4, sequence: 3, base: 10, pairing: pairing, inverse: true)
        #expect(zip(y.values, original).allSatisfy { abs($0 - $1) < 1e-5 })
        let analytic = g.copy()
        RotaryOp.apply(analytic, heads: 2, headSize: 4, sequence: 3, base: 10, pairing: pairing, inverse: true)
        let numeric = numericGradients([x]) { weightedSum(rotated(), g) }
        #expect(worstError(analytic.values, numeric[0]) < 1e-3)
    }

    @Test func causalGroupedQueryAttentionGradients() {
        let layout = CausalAttentionOp.Layout(batch: 2, sequence: 4, heads: 4, kvHeads: 2, headSize: 3)
        let q = randomMatrix(8, 12, seed: 11), k = randomMatrix(8, 6, seed: 12), v = randomMatrix(8, 6, seed: 13)
        let g = randomMatrix(8, 12, seed: 14)
        let (_, probabilities) = CausalAttentionOp.forward(q: q, k: k, v: v, layout: layout)
        let (dq, dk, dv) = CausalAttentionOp.backward(g, q: q, k: k, v: v, probabilities: probabilities, layout: layout)
        let numeric = numericGradients([q, k, v], step: 1e-3) {
            weightedSum(CausalAttentionOp.forward(q: q, k: k, v: v, layout: layout).output, g)
        }
        #expect(worstError(dq.values, numeric[0]) < 2e-3)
        #expect(worstError(dk.values, numeric[1]) < 2e-3)
        #expect(worstError(dv.values, numeric[2]) < 2e-3)
    }

    @Test func attentionIsCausalAndMatchesNaiveReference() {
        let layout = CausalAttentionOp.Layout(batch: 1, sequence: 5, heads: 2, kvHeads: 1, headSize: 4)
        let q = randomMatrix(5, 8, seed: 15), k = randomMatrix(5, 4, seed: 16), v = randomMatrix(5, 4, seed: 17)
        let output = CausalAttentionOp.forward(q: q, k: k, v: v, layout: layout).output
        // Naive: head h at position i attends to keys 0...i of the single kv head.
        for h in 0..<2 {
            for i in 0..<5 {
                var scores = (0...i).map { j in
                    (0..<4).reduce(Float(0)) { $0 + q.row(i)[h * 4 + $1] * k.row(j)[$1] } / 2
                }
                let maximum = scores.max()!
                scores = scores.map { Foundation.exp($0 - maximum) }
                let total = scores.reduce(0, +)
                for c in 0..<4 {
                    let expected = (0...i).reduce(Float(0)) { $0 + scores[$1] / total * v.row($1)[c] }
                    #expect(abs(output.row(i)[h * 4 + c] - expected) < 1e-5)
                }
            }
        }
    }

    @Test func nextTokenLossGradient() {
        let hidden = randomMatrix(5, 6, seed: 18)
        let head = FrozenWeight(randomMatrix(7, 6, seed: 19).tensor)
        let labels: [Int32] = [3, -1, 0, 6, -1]
        let result = NextTokenLoss.evaluate(hidden: hidden, labels: labels, head: head, chunk: 2)
        #expect(result.count == 3)
        // Reference: log-softmax by hand in Float64.
        var expected = 0.0
        for (row, label) in labels.enumerated() where label >= 0 {
            let logits = (0..<7).map { v in (0..<6).reduce(0.0) { $0 + Double(hidden.row(row)[$1] * head.pointer[v * 6 + $1]) } }
            let maximum = logits.max()!
            expected += maximum + Foundation.log(logits.map { Foundation.exp($0 - maximum) }.reduce(0, +)) - logits[Int(label)]
        }
        #expect(abs(result.lossSum - expected) < 1e-4)
        let numeric = numericGradients([hidden], step: 1e-3) {
            NextTokenLoss.evaluate(hidden: hidden, labels: labels, head: head, gradient: false).lossSum / 3
        }
        #expect(worstError(result.gradient!.values, numeric[0]) < 1e-3)
        // Unlabelled rows get no gradient.
        #expect(result.gradient!.values[6..<12].allSatisfy { $0 == 0 })
    }
}
