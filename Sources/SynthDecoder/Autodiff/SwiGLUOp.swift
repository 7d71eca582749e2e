import Foundation
import SynthTensor

/// The gated activation of a Llama MLP (Shazeer 2020): `h = SiLU(a) ⊙ b` with `SiLU(a) = a σ(a)`.
///
///     ∂L/∂a = g ⊙ b ⊙ σ(a) (1 + a (1 − σ(a))),   ∂L/∂b = g ⊙ SiLU(a)
package enum SwiGLUOp {
    /// `h = SiLU(gate) ⊙ up`.
    package static func forward(gate: FloatMatrix, up: FloatMatrix) -> FloatMatrix {
        let h = FloatMatrix(rows: gate.rows, columns: gate.columns)
        let a = gate.pointer, b = up.pointer, out = h.pointer, columns = gate.columns
        Parallel.forRanges(gate.rows, costPerItem: columns * 4) { range in
            for index in (range.lowerBound * columns)..<(range.upperBound * columns) {
                let x = a[index]
                out[index] = x / (1 + Foundation.exp(-x)) * b[index]
            }
        }
        return h
    }

    /// Gradients with respect to `gate` and `up`.
    package static func backward(_ g: FloatMatrix, gate: FloatMatrix, up: FloatMatrix) -> (gate: FloatMatrix, up: FloatMatrix) {
        let dGate = FloatMatrix(rows: gate.rows, columns: gate.columns)
        let dUp = FloatMatrix(rows: gate.rows, columns: gate.columns)
        let a = gate.pointer, b = up.pointer, gp = g.pointer, da = dGate.pointer, db = dUp.pointer
        let columns = gate.columns
        Parallel.forRanges(gate.rows, costPerItem: columns * 6) { range in
            for index in (range.lowerBound * columns)..<(range.upperBound * columns) {
                let x = a[index]
                let s = 1 / (1 + Foundation.exp(-x))
                da[index] = gp[index] * b[index] * s * (1 + x * (1 - s))
                db[index] = gp[index] * x * s
            }
        }
        return (dGate, dUp)
    }
}
