import Foundation

/// A dense, row-major Float32 array with a shape: the value type every SynthTensor kernel reads and writes.
///
/// Copy-on-write: copies share storage until one is mutated. Tensors made by kernels during a forward
/// pass borrow their memory from a ``BufferPool`` and give it back when released.
///
/// ```swift
/// let x = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
/// x[1, 2]   // 6
/// ```
package struct Tensor: Sendable {
    /// Sizes of each dimension, outermost first.
    package private(set) var shape: [Int]
    var storage: TensorStorage

    /// Number of elements.
    package var count: Int { storage.count }

    /// A tensor with undefined content, for kernels that overwrite every element.
    init(uninitialized shape: [Int], pool: BufferPool?) {
        self.shape = shape
        self.storage = TensorStorage(count: shape.reduce(1, *), pool: pool)
    }

    /// A tensor filled with `value`.
    package init(shape: [Int], repeating value: Float = 0, pool: BufferPool? = nil) {
        self.init(uninitialized: shape, pool: pool)
        storage.pointer.update(repeating: value, count: count)
    }

    /// A tensor holding `values` (row-major); `values.count` must equal the product of `shape`.
    package init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.init(uninitialized: shape, pool: nil)
        values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    /// A scalar (shape `[]`).
    package init(scalar: Float) { self.init(shape: [], values: [scalar]) }

    /// A tensor of independent normal samples with the given standard deviation.
    package init(randomNormal shape: [Int], standardDeviation: Float, generator: inout SeededGenerator) {
        self.init(uninitialized: shape, pool: nil)
        for index in 0..<count { storage.pointer[index] = generator.nextNormal() * standardDeviation }
    }

    /// The elements in row-major order.
    package var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

    /// The single element of a one-element tensor.
    package var scalar: Float {
        precondition(count == 1, "expected a one-element tensor, found shape \(shape)")
        return storage.pointer[0]
    }

    /// Read access to the elements.
    package func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Write access to the elements (copies first if the storage is shared).
    package mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// Element access by full index.
    package subscript(_ indices: Int...) -> Float {
        get { storage.pointer[offset(indices)] }
        set {
            makeUnique()
            storage.pointer[offset(indices)] = newValue
        }
    }

    /// The same elements viewed with another shape of equal element count.
    package func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        var copy = self
        copy.shape = newShape
        return copy
    }

    /// Read-only pointer for kernels.
    var pointer: UnsafeMutablePointer<Float> { storage.pointer }

    /// Makes the storage unique (copying if shared) before mutation.
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            let fresh = TensorStorage(count: count, pool: storage.pool)
            fresh.pointer.update(from: storage.pointer, count: count)
            storage = fresh
        }
    }

    private func offset(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "index \(indices) does not match shape \(shape)")
        var offset = 0
        for (index, size) in zip(indices, shape) {
            precondition(index >= 0 && index < size, "index \(indices) out of range for shape \(shape)")
            offset = offset * size + index
        }
        return offset
    }
}

extension Tensor: Equatable {
    /// Same shape and identical elements.
    package static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && (lhs.storage === rhs.storage || lhs.scalars == rhs.scalars)
    }
}

extension Tensor: CustomStringConvertible {
    /// Shape and the first few elements.
    package var description: String {
        let head = scalars.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(\(shape): [\(head)\(count > 8 ? ", …" : "")])"
    }
}
