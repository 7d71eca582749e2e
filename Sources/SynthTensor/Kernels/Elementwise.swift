/// Elementwise kernels over whole tensors, split across cores when large.
package enum Elementwise {
    /// `f(x)` for every element.
    @inline(__always)
    static func map(_ x: Tensor, pool: BufferPool?, _ f: (Float) -> Float) -> Tensor {
        let y = Tensor(uninitialized: x.shape, pool: pool)
        let source = x.pointer, target = y.pointer
        Parallel.forRanges(x.count, costPerItem: 4) { range in
            for index in range { target[index] = f(source[index]) }
        }
        return y
    }

    /// `f(a, b)` for every pair of elements; shapes must match.
    @inline(__always)
    static func zip(_ a: Tensor, _ b: Tensor, pool: BufferPool?, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(a.count == b.count, "shapes \(a.shape) and \(b.shape) differ")
        let y = Tensor(uninitialized: a.shape, pool: pool)
        let left = a.pointer, right = b.pointer, target = y.pointer
        Parallel.forRanges(a.count, costPerItem: 4) { range in
            for index in range { target[index] = f(left[index], right[index]) }
        }
        return y
    }

    /// `f(a, b, c)` for every triple of elements; shapes must match.
    @inline(__always)
    static func zip3(
        _ a: Tensor, _ b: Tensor, _ c: Tensor, pool: BufferPool?, _ f: (Float, Float, Float) -> Float
    ) -> Tensor {
        precondition(a.count == b.count && a.count == c.count, "shapes \(a.shape), \(b.shape), \(c.shape) differ")
        let y = Tensor(uninitialized: a.shape, pool: pool)
        let first = a.pointer, second = b.pointer, third = c.pointer, target = y.pointer
        Parallel.forRanges(a.count, costPerItem: 4) { range in
            for index in range { target[index] = f(first[index], second[index], third[index]) }
        }
        return y
    }

    /// `a + b`.
    package static func add(_ a: Tensor, _ b: Tensor, pool: BufferPool?) -> Tensor { Activation.add(a, b, pool: pool) }

    /// Sum of every element, accumulated in Float64.
    static func sum(_ x: Tensor) -> Double {
        var total = 0.0
        let source = x.pointer
        for index in 0..<x.count { total += Double(source[index]) }
        return total
    }

    /// Sums `[rows, columns]` over rows into `[columns]` (partial sums per core, then combined).
    static func columnSums(_ x: UnsafePointer<Float>, rows: Int, columns: Int, pool: BufferPool?) -> Tensor {
        let chunks = Parallel.chunkCount(rows, costPerItem: columns)
        let partial = Tensor(shape: [chunks, columns], repeating: 0, pool: pool)
        let partials = partial.pointer
        Parallel.forChunks(rows, costPerItem: columns) { chunk, range in
            let target = partials + chunk * columns
            for row in range {
                let source = x + row * columns
                for column in 0..<columns { target[column] += source[column] }
            }
        }
        let result = Tensor(shape: [columns], repeating: 0, pool: pool)
        for chunk in 0..<chunks {
            for column in 0..<columns { result.pointer[column] += partials[chunk * columns + column] }
        }
        withExtendedLifetime(partial) {}  // reached only through `partials` above
        return result
    }
}
