import Foundation
import SynthValues

/// A row-major matrix of embeddings, one row per text, with a small binary file format.
///
/// File layout (little endian): magic `SLEM`, `UInt32` version 1, `UInt64` rows, `UInt64` dimension,
/// then `rows × dimension` `Float32` values.
///
/// ```swift
/// let matrix = DenseEmbeddings(rows: [[1, 0], [0, 1]])
/// try matrix.save(to: url)                      // atomic
/// let again = try DenseEmbeddings.load(from: url)
/// ```
package struct DenseEmbeddings: Sendable, Equatable {
    /// Number of rows (texts).
    package private(set) var count: Int
    /// Width of each row.
    package private(set) var dimension: Int
    /// `count × dimension` values, row after row.
    package private(set) var values: [Float]

    /// Wraps flat row-major values.
    package init(count: Int, dimension: Int, values: [Float]) {
        precondition(values.count == count * dimension, "expected \(count)×\(dimension) values, found \(values.count)")
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// Packs rows of equal width (`dimension` is used when `rows` is empty).
    package init(rows: [[Float]], dimension: Int? = nil) {
        let width = rows.first?.count ?? dimension ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "all rows must have \(width) values")
        self.init(count: rows.count, dimension: width, values: rows.flatMap { $0 })
    }

    /// Row `index` as an array.
    package subscript(index: Int) -> [Float] { Array(values[(index * dimension)..<((index + 1) * dimension)]) }

    // MARK: - Files

    private static let magic: [UInt8] = Array("SLEM".utf8)

    /// The matrix in the binary format above.
    package func encoded() -> Data {
        var data = Data(Self.magic)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        append(UInt32(1))
        append(UInt64(count))
        append(UInt64(dimension))
        if UInt32(1).littleEndian == 1 {
            values.withUnsafeBytes { data.append(contentsOf: $0) }
        } else {
            for value in values { append(value.bitPattern) }
        }
        return data
    }

    /// Writes the matrix atomically.
    package func save(to url: URL) throws { try AtomicFile.write(encoded(), to: url) }

    /// Reads a matrix written by ``save(to:)``.
    ///
    /// - Throws: a ``Diagnostic`` naming the file when it is unreadable, of another format or truncated.
    package static func load(from url: URL) throws -> DenseEmbeddings {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw Diagnostic(
                .error, "cannot read embeddings: no such file or unreadable", at: SourceLocation(file: url.path))
        }
        return try decode(data, source: url.path)
    }

    /// Parses the binary format; `source` names the data in errors.
    package static func decode(_ data: Data, source: String) throws -> DenseEmbeddings {
        let bytes = [UInt8](data)
        func fail(_ found: String) -> Diagnostic {
            Diagnostic(.error, "expected a SynthLab embeddings file (SLEM version 1), found \(found)",
                       at: SourceLocation(file: source))
        }
        guard bytes.count >= 24, Array(bytes[0..<4]) == magic else { throw fail("other data") }
        func integer<T: FixedWidthInteger>(_ offset: Int, _ type: T.Type) -> T {
            var value: T = 0
            for index in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + index]) << (8 * index) }
            return value
        }
        guard integer(4, UInt32.self) == 1 else { throw fail("version \(integer(4, UInt32.self))") }
        let count = Int(integer(8, UInt64.self)), dimension = Int(integer(16, UInt64.self))
        guard bytes.count == 24 + count * dimension * 4 else {
            throw fail("\(bytes.count) bytes for \(count)×\(dimension) values")
        }
        var values = [Float](repeating: 0, count: count * dimension)
        if UInt32(1).littleEndian == 1 {
            values.withUnsafeMutableBytes { target in
                bytes.withUnsafeBytes { source in
                    target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[24...]))
                }
            }
        } else {
            for index in values.indices { values[index] = Float(bitPattern: integer(24 + index * 4, UInt32.self)) }
        }
        return DenseEmbeddings(count: count, dimension: dimension, values: values)
    }
}
