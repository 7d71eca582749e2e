import Foundation
import Testing

@testable import SynthTensor

@Suite("Kernels")
struct KernelTests {
    @Test("fast exp and erf agree with libm")
    func fastMath() {
        var worstExp: Float = 0, worstErf: Float = 0
        for step in 0...4000 {
            let x = Float(step) / 40 - 50
            worstExp = max(worstExp, abs(FastMath.exp(x) - Foundation.exp(x)) / Foundation.exp(x))
            let y = Float(step) / 500 - 4
            worstErf = max(worstErf, abs(FastMath.erf(y) - Foundation.erf(y)))
        }
        #expect(worstExp < 5e-7)
        #expect(worstErf < 5e-7)
    }

    @Test("masked softmax gives zero to masked keys and rows summing to one")
    func maskedSoftmax() {
        let tape = Tape(recording: false)
        let x = Tensor(shape: [2, 3], values: [1, 2, 3, 100, 1, 1])
        let mask = Tensor(shape: [2, 3], values: [1, 1, 0, 0, 1, 1])
        let y = tape.softmax(tape.constant(x), keyMask: mask).value.scalars
        let e1 = Foundation.exp(Float(1)), e2 = Foundation.exp(Float(2))
        #expect(abs(y[0] - e1 / (e1 + e2)) < 1e-6)
        #expect(y[2] == 0 && y[3] == 0)
        #expect(abs(y[4] - 0.5) < 1e-6)
    }

    @Test("layer norm has zero mean and unit variance before the affine part")
    func layerNormStatistics() {
        let tape = Tape(recording: false)
        let x = Tensor(shape: [2, 4], values: [1, 2, 3, 4, -10, 0, 10, 20])
        let y = tape.layerNorm(
            tape.constant(x), gamma: tape.constant(Tensor(shape: [4], repeating: 1)),
            beta: tape.constant(Tensor(shape: [4], repeating: 0)), epsilon: 1e-12
        ).value.scalars
        for row in 0..<2 {
            let values = y[(row * 4)..<(row * 4 + 4)]
            let mean = values.reduce(0, +) / 4
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
            #expect(abs(mean) < 1e-6)
            #expect(abs(variance - 1) < 1e-5)
        }
    }

    @Test("dropout masks do not depend on the number of cores and repeat with the seed")
    func dropoutDeterminism() {
        func mask(seed: UInt64) -> [Float] {
            let tape = Tape(training: true, seed: seed)
            return tape.dropout(tape.input(Tensor(shape: [200_000], repeating: 1)), rate: 0.1).value.scalars
        }
        #expect(mask(seed: 1) == mask(seed: 1))
        #expect(mask(seed: 1) != mask(seed: 2))
    }

    @Test("buffers return to the pool and are reused")
    func poolReuse() {
        let pool = BufferPool()
        var first: UnsafeMutablePointer<Float>?
        do {
            let tensor = Tensor(shape: [1000], repeating: 0, pool: pool)
            first = tensor.pointer
        }
        let again = Tensor(shape: [1000], repeating: 0, pool: pool)
        #expect(again.pointer == first)
    }

    @Test("copy on write keeps copies independent")
    func copyOnWrite() {
        let a = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        var b = a
        b[1, 1] = 9
        #expect(a[1, 1] == 4)
        #expect(b[1, 1] == 9)
    }
}
