import SynthTensor

/// A row-major `[rows, columns]` Float32 buffer owned by one activation of the frozen-decoder backward pass.
///
/// The frozen-LM ops (``RMSNormOp``, ``RotaryOp``, ``CausalAttentionOp``, ``SwiGLUOp``, ``FrozenLinear``,
/// ``NextTokenLoss``) work on raw pointers for speed; this class owns that memory and frees it when the last
/// reference goes, so recomputed layer activations disappear as soon as their layer's backward is done.
/// Not thread-safe to mutate concurrently except on disjoint rows (which is how the kernels split work).
package final class FloatMatrix: @unchecked Sendable {  // unchecked: kernels write disjoint rows only
    /// Number of rows (tokens).
    package let rows: Int
    /// Number of columns (features).
    package let columns: Int
    /// The elements, row-major. Valid only while this matrix is alive: never read it from a temporary
    /// (`make().pointer` dangles, because Swift releases the temporary as soon as the property is read,
    /// before the call that uses the pointer). Copy between matrices with ``copyRows(_:from:row:to:)``.
    package let pointer: UnsafeMutablePointer<Float>

    /// A zero-filled matrix.
    package init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        pointer = .allocate(capacity: max(1, rows * columns))
        pointer.initialize(repeating: 0, count: max(1, rows * columns))
    }

    /// A matrix holding a copy of `tensor`'s elements viewed as `[count / columns, columns]`.
    package convenience init(_ tensor: Tensor, columns: Int) {
        self.init(rows: tensor.count / max(columns, 1), columns: columns)
        tensor.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: rows * columns) }
    }

    /// A matrix holding `values` (row-major).
    package convenience init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "expected \(rows * columns) values, found \(values.count)")
        self.init(rows: rows, columns: columns)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { pointer.deallocate() }

    /// Number of elements.
    package var count: Int { rows * columns }

    /// The start of row `row`.
    @inline(__always) package func row(_ row: Int) -> UnsafeMutablePointer<Float> { pointer + row * columns }

    /// The elements as an array.
    package var values: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// A copy as a ``Tensor`` of shape `[rows, columns]`.
    package var tensor: Tensor { Tensor(shape: [rows, columns], values: values) }

    /// A deep copy.
    package func copy() -> FloatMatrix {
        let result = FloatMatrix(rows: rows, columns: columns)
        result.pointer.update(from: pointer, count: count)
        return result
    }

    /// Copies rows `row ..< row + count` of `source` into rows `destination ..< destination + count`.
    ///
    /// Takes the source matrix rather than its pointer so that it stays alive for the copy, even when it
    /// is a temporary such as `copyRows(n, from: decoder.embed(tokens), to: r)`.
    package func copyRows(_ count: Int, from source: FloatMatrix, row: Int = 0, to destination: Int) {
        precondition(source.columns == columns, "copying rows of width \(source.columns) into width \(columns)")
        precondition(count >= 0 && row >= 0 && row + count <= source.rows && destination >= 0
                     && destination + count <= rows,
                     "rows \(row)..<\(row + count) of \(source.rows) into \(destination)..<\(destination + count) of \(rows)")
        self.row(destination).update(from: source.row(row), count: count * columns)
    }

    /// `self += other` elementwise.
    package func add(_ other: FloatMatrix) {
        precondition(other.count == count, "adding [\(other.rows), \(other.columns)] to [\(rows), \(columns)]")
        let a = pointer, b = other.pointer
        Parallel.forRanges(rows, costPerItem: columns) { range in
            for index in (range.lowerBound * self.columns)..<(range.upperBound * self.columns) { a[index] += b[index] }
        }
    }
}

/// A frozen weight tensor with a stable pointer for the kernels.
///
/// The tensor is held (never mutated), so its storage stays alive and unshared-copy-free for the pointer's
/// lifetime: the pointer is taken once at load instead of inside every kernel call.
package struct FrozenWeight: @unchecked Sendable {  // unchecked: the storage is immutable after init
    /// The weight (`[out, in]` for projections, `[width]` for norms).
    package let tensor: Tensor
    /// Read-only view of `tensor`'s elements.
    package let pointer: UnsafePointer<Float>

    /// Wraps `tensor`.
    package init(_ tensor: Tensor) {
        self.tensor = tensor
        pointer = tensor.withUnsafeBufferPointer { UnsafePointer($0.baseAddress!) }
    }

    /// The shape of the weight.
    package var shape: [Int] { tensor.shape }
}
