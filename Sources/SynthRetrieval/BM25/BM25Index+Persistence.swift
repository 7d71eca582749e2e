import Foundation
import SynthValues

/// Why a saved index could not be read.
package struct IndexFileError: Error, Sendable, Equatable, CustomStringConvertible, DiagnosticConvertible {
    package var path: String
    package var message: String

    package var diagnostic: Diagnostic { Diagnostic(.error, message, at: SourceLocation(file: path)) }
    package var description: String { diagnostic.rendered(caret: false) }
}

extension BM25Index {
    /// The file signature: `SYNBM25` and a zero byte.
    static let magic: [UInt8] = Array("SYNBM25\0".utf8)
    /// The current format version; readers reject other versions.
    package static let formatVersion: UInt32 = 1

    /// Writes the index atomically in a versioned little-endian binary format.
    ///
    /// Layout: magic, version (u32), k1, b (f32), document count, term count, posting count (u64), then
    /// the document ids and terms (u32 length + UTF-8 each), document lengths (i32), posting offsets (u64),
    /// posting documents and frequencies (i32).
    package func save(to url: URL) throws {
        var out = BinaryWriter()
        out.bytes(Self.magic)
        out.u32(Self.formatVersion)
        out.f32(k1)
        out.f32(b)
        out.u64(UInt64(documentIDs.count))
        out.u64(UInt64(terms.count))
        out.u64(UInt64(postingDocuments.count))
        for id in documentIDs { out.string(id) }
        for term in terms { out.string(term) }
        out.i32s(documentLengths)
        for offset in postingOffsets { out.u64(UInt64(offset)) }
        out.i32s(postingDocuments)
        out.i32s(postingFrequencies)
        try AtomicFile.write(out.data, to: url)
    }

    /// Reads an index written by ``save(to:)``.
    ///
    /// - Throws: ``IndexFileError`` for a missing, foreign, truncated, corrupt or newer-version file.
    package static func load(from url: URL) throws(IndexFileError) -> BM25Index {
        let path = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw IndexFileError(path: path, message: "cannot read index: \(error.localizedDescription)")
        }
        var reader = BinaryReader(data: [UInt8](data))
        guard let signature = reader.bytes(magic.count), signature == magic else {
            throw IndexFileError(path: path, message: "expected a synthlab BM25 index, found another kind of file")
        }
        guard let version = reader.u32() else { throw IndexFileError(path: path, message: "truncated index") }
        guard version == formatVersion else {
            throw IndexFileError(
                path: path, message: "expected index format version \(formatVersion), found version \(version)")
        }
        func need<T>(_ value: T?) throws(IndexFileError) -> T {
            guard let value else { throw IndexFileError(path: path, message: "truncated index") }
            return value
        }
        let k1 = try need(reader.f32()), b = try need(reader.f32())
        let documentCount = Int(try need(reader.u64()))
        let termCount = Int(try need(reader.u64()))
        let postingCount = Int(try need(reader.u64()))
        guard documentCount < data.count, termCount < data.count, postingCount < data.count else {
            throw IndexFileError(path: path, message: "corrupt index: counts exceed the file size")
        }
        var documentIDs: [String] = []
        documentIDs.reserveCapacity(documentCount)
        for _ in 0..<documentCount { documentIDs.append(try need(reader.string())) }
        var terms: [String] = []
        terms.reserveCapacity(termCount)
        for _ in 0..<termCount { terms.append(try need(reader.string())) }
        let lengths = try need(reader.i32s(documentCount))
        var offsets: [Int] = []
        offsets.reserveCapacity(termCount + 1)
        for _ in 0...termCount { offsets.append(Int(try need(reader.u64()))) }
        let postingDocuments = try need(reader.i32s(postingCount))
        let postingFrequencies = try need(reader.i32s(postingCount))
        guard reader.atEnd else { throw IndexFileError(path: path, message: "corrupt index: trailing bytes") }
        var termNumbers: [String: Int32] = [:]
        termNumbers.reserveCapacity(termCount)
        for (t, term) in terms.enumerated() { termNumbers[term] = Int32(t) }
        let index = BM25Index(
            k1: k1, b: b, documentIDs: documentIDs, terms: terms, termNumbers: termNumbers, postingOffsets: offsets,
            postingDocuments: postingDocuments, postingFrequencies: postingFrequencies, documentLengths: lengths)
        if let problem = index.checkInvariants() {
            throw IndexFileError(path: path, message: "corrupt index: \(problem)")
        }
        return index
    }
}

/// Appends little-endian values to a byte buffer.
private struct BinaryWriter {
    var data = Data()

    mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        data.append(contentsOf: s.utf8)
    }
    mutating func i32s(_ values: [Int32]) {
        values.map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
    }
}

/// Reads little-endian values; every read returns `nil` past the end.
private struct BinaryReader {
    let data: [UInt8]
    var position = 0

    var atEnd: Bool { position == data.count }

    mutating func bytes(_ n: Int) -> [UInt8]? {
        guard n >= 0, position + n <= data.count else { return nil }
        defer { position += n }
        return Array(data[position..<(position + n)])
    }

    mutating func u32() -> UInt32? {
        guard position + 4 <= data.count else { return nil }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(data[position + i]) << (8 * UInt32(i)) }
        position += 4
        return v
    }

    mutating func u64() -> UInt64? {
        guard let low = u32(), let high = u32() else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }

    mutating func f32() -> Float? { u32().map { Float(bitPattern: $0) } }

    mutating func string() -> String? {
        guard let n = u32(), let b = bytes(Int(n)) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }

    mutating func i32s(_ n: Int) -> [Int32]? {
        guard n >= 0, position + 4 * n <= data.count else { return nil }
        var values = [Int32](repeating: 0, count: n)
        values.withUnsafeMutableBytes { target in
            data.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<(position + 4 * n)]))
            }
        }
        position += 4 * n
        return values.map { Int32(littleEndian: $0) }
    }
}
