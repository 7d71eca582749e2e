/// Hot elementwise kernels written as plain loops (no per-element closure calls) so the compiler vectorises them.
enum Activation {
    /// `GELU(x) = ½ x (1 + erf(x / √2))`.
    static func gelu(_ x: Tensor, pool: BufferPool?) -> Tensor {
        let y = Tensor(uninitialized: x.shape, pool: pool)
        let source = x.pointer, target = y.pointer
        Parallel.forRanges(x.count, costPerItem: 16) { range in
            for index in range {
                let value = source[index]
                target[index] = 0.5 * value * (1 + FastMath.erf(value * 0.707_106_781))
            }
        }
        return y
    }

    /// `g · GELU'(x)` with `GELU'(x) = Φ(x) + x φ(x)`.
    static func geluBackward(_ g: Tensor, _ x: Tensor, pool: BufferPool?) -> Tensor {
        let dx = Tensor(uninitialized: x.shape, pool: pool)
        let upstream = g.pointer, source = x.pointer, target = dx.pointer
        Parallel.forRanges(x.count, costPerItem: 16) { range in
            for index in range {
                let value = source[index]
                let cdf = 0.5 * (1 + FastMath.erf(value * 0.707_106_781))
                let pdf = FastMath.exp(-0.5 * value * value) * 0.398_942_280
                target[index] = upstream[index] * (cdf + value * pdf)
            }
        }
        return dx
    }

    /// `a + b`.
    static func add(_ a: Tensor, _ b: Tensor, pool: BufferPool?) -> Tensor {
        precondition(a.count == b.count, "shapes \(a.shape) and \(b.shape) differ")
        let y = Tensor(uninitialized: a.shape, pool: pool)
        let left = a.pointer, right = b.pointer, target = y.pointer
        Parallel.forRanges(a.count, costPerItem: 2) { range in
            for index in range { target[index] = left[index] + right[index] }
        }
        return y
    }

    /// `a ⊙ b`.
    static func multiply(_ a: Tensor, _ b: Tensor, pool: BufferPool?) -> Tensor {
        precondition(a.count == b.count, "shapes \(a.shape) and \(b.shape) differ")
        let y = Tensor(uninitialized: a.shape, pool: pool)
        let left = a.pointer, right = b.pointer, target = y.pointer
        Parallel.forRanges(a.count, costPerItem: 2) { range in
            for index in range { target[index] = left[index] * right[index] }
        }
        return y
    }
}
