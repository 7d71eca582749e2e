import Foundation

/// Elementwise operations on the tape.
extension Tape {
    /// `a + b` (same shapes).
    package func add(_ a: Variable, _ b: Variable) -> Variable {
        precondition(a.shape == b.shape, "add: shapes \(a.shape) and \(b.shape) differ")
        return record(Elementwise.add(a.value, b.value, pool: pool), .add, inputs: [a, b])
    }

    /// `a - b` (same shapes).
    package func subtract(_ a: Variable, _ b: Variable) -> Variable {
        precondition(a.shape == b.shape, "subtract: shapes \(a.shape) and \(b.shape) differ")
        return record(Elementwise.zip(a.value, b.value, pool: pool) { $0 - $1 }, .subtract, inputs: [a, b])
    }

    /// `a ⊙ b` (same shapes).
    package func multiply(_ a: Variable, _ b: Variable) -> Variable {
        precondition(a.shape == b.shape, "multiply: shapes \(a.shape) and \(b.shape) differ")
        return record(
            Activation.multiply(a.value, b.value, pool: pool), .multiply(a: a.value, b: b.value),
            inputs: [a, b])
    }

    /// `x * factor + offset`.
    package func affine(_ x: Variable, factor: Float, offset: Float = 0) -> Variable {
        record(Elementwise.map(x.value, pool: pool) { $0 * factor + offset }, .affine(factor: factor), inputs: [x])
    }

    /// `x * factor`.
    package func scale(_ x: Variable, by factor: Float) -> Variable { affine(x, factor: factor) }

    /// GELU with the exact Gaussian CDF: `x · ½(1 + erf(x/√2))` (BERT's `hidden_act: gelu`).
    package func gelu(_ x: Variable) -> Variable {
        record(Activation.gelu(x.value, pool: pool), .gelu(x: x.value), inputs: [x])
    }

    /// `tanh(x)`.
    package func tanh(_ x: Variable) -> Variable {
        let y = Elementwise.map(x.value, pool: pool) { Foundation.tanh($0) }
        return record(y, .tanh(y: y), inputs: [x])
    }

    /// `eˣ`.
    package func exp(_ x: Variable) -> Variable {
        let y = Elementwise.map(x.value, pool: pool) { Foundation.exp($0) }
        return record(y, .exp(y: y), inputs: [x])
    }

    /// `ln x`.
    package func log(_ x: Variable) -> Variable {
        record(Elementwise.map(x.value, pool: pool) { Foundation.log($0) }, .log(x: x.value), inputs: [x])
    }

    /// Logistic sigmoid `1 / (1 + e⁻ˣ)`.
    package func sigmoid(_ x: Variable) -> Variable {
        let y = Elementwise.map(x.value, pool: pool) { 1 / (1 + Foundation.exp(-$0)) }
        return record(y, .sigmoid(y: y), inputs: [x])
    }

    /// `log σ(x) = -softplus(-x)`, computed stably (for binary cross-entropy on logits).
    package func logSigmoid(_ x: Variable) -> Variable {
        let y = Elementwise.map(x.value, pool: pool) { value in
            min(value, 0) - Foundation.log1p(Foundation.exp(-abs(value)))
        }
        return record(y, .logSigmoid(x: x.value), inputs: [x])
    }

    /// `max(x, 0)`.
    package func relu(_ x: Variable) -> Variable {
        record(Elementwise.map(x.value, pool: pool) { max($0, 0) }, .relu(x: x.value), inputs: [x])
    }

    /// Inverted dropout: zeroes each element with probability `rate` and scales the rest by `1/(1-rate)`.
    ///
    /// Identity unless the tape is training and `rate > 0`. Masks come from the tape's seeded generator in
    /// fixed-size blocks, so they are identical whatever the number of cores.
    package func dropout(_ x: Variable, rate: Float) -> Variable {
        guard isTraining, rate > 0 else { return x }
        let base = SeededGenerator(seed: generator.next())
        let mask = output(x.shape)
        let keepScale = 1 / (1 - rate)
        let target = mask.pointer, count = x.value.count
        let block = 1 << 16
        let blocks = (count + block - 1) / block
        Parallel.forEach(blocks, costPerItem: block) { index in
            var local = base.derived(UInt64(index))
            for position in (index * block)..<min(count, (index + 1) * block) {
                target[position] = local.nextUniform() < rate ? 0 : keepScale
            }
        }
        return record(Activation.multiply(x.value, mask, pool: pool), .dropout(mask: mask), inputs: [x])
    }
}
