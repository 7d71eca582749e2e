import Foundation

/// A GGUF model file (llama.cpp's format): header, metadata key/values, tensor infos and tensor data.
///
/// The file is memory-mapped; tensors are decoded to Float32 on request with ``tensor(named:)``.
/// Every structural problem (truncation, bad magic or version, absurd counts, unknown value types,
/// tensors outside the file) throws a ``GGUFError`` naming the byte offset, never crashes.
///
/// Layout (little-endian): `"GGUF"`, `u32` version (2 or 3), `u64` tensor count, `u64` key/value count;
/// key/values (`string` key, `u32` type, value); tensor infos (`string` name, `u32` n_dims, `u64` dims
/// innermost first, `u32` ggml type, `u64` offset into the data section); padding to `general.alignment`
/// (default 32); the data section.
///
/// ```swift
/// let file = try GGUFFile(url: modelURL)
/// file.metadata["llama.block_count"]?.int          // 30
/// let embeddings = try file.tensor(named: "token_embd.weight")   // shape [49152, 576]
/// ```
package struct GGUFFile: Sendable {
    /// One tensor's description.
    package struct TensorInfo: Sendable, Equatable {
        /// Tensor name (`blk.0.attn_q.weight`).
        package var name: String
        /// Dimensions as GGUF stores them: innermost (contiguous) first.
        package var dimensions: [Int]
        /// Element encoding.
        package var type: GGMLType
        /// Absolute byte offset of the tensor's data in the file.
        package var fileOffset: Int
        /// Number of elements.
        package var elementCount: Int { dimensions.reduce(1, *) }
        /// Row-major shape (outermost first), the reverse of ``dimensions``.
        package var shape: [Int] { dimensions.reversed() }
        /// Bytes of encoded data.
        package var byteCount: Int { elementCount / type.blockSize * type.bytesPerBlock }
    }

    /// Format version (2 or 3).
    package let version: Int
    /// Metadata key/values in file order.
    package let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    package let metadataKeys: [String]
    /// Tensor descriptions in file order.
    package let tensors: [TensorInfo]
    /// Byte alignment of the data section.
    package let alignment: Int
    /// Absolute offset of the data section.
    package let dataOffset: Int
    /// The file's name, for messages.
    package let fileName: String
    let data: Data
    private let tensorIndex: [String: Int]

    /// Opens and parses a GGUF file (memory-mapped).
    ///
    /// - Throws: ``GGUFError`` for malformed content; Foundation errors when the file cannot be read.
    package init(url: URL) throws {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        try self.init(data: data, fileName: url.lastPathComponent)
    }

    /// Parses GGUF bytes already in memory.
    package init(data: Data, fileName: String = "<memory>") throws {
        self.data = data
        self.fileName = fileName
        let parsed = try data.withUnsafeBytes { bytes in
            var reader = GGUFReader(bytes: bytes, file: fileName)
            return try reader.parseHeader()
        }
        version = parsed.version
        metadata = parsed.metadata
        metadataKeys = parsed.keys
        tensors = parsed.tensors
        alignment = parsed.alignment
        dataOffset = parsed.dataOffset
        var index: [String: Int] = [:]
        for (position, info) in tensors.enumerated() { index[info.name] = position }
        tensorIndex = index
    }

    /// The description of the tensor called `name`, if present.
    package func info(named name: String) -> TensorInfo? { tensorIndex[name].map { tensors[$0] } }

    /// The tensor called `name` decoded to Float32, as a row-major array with ``TensorInfo/shape``.
    ///
    /// - Throws: ``GGUFError`` when the tensor is missing or its type is not supported.
    package func floats(named name: String) throws -> [Float] {
        guard let info = info(named: name) else {
            let hint = nearestTensorName(name).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw GGUFError(file: fileName, offset: dataOffset, "missing tensor \"\(name)\"\(hint)")
        }
        guard info.type.isSupported else {
            throw GGUFError(
                file: fileName, offset: info.fileOffset,
                "tensor \"\(name)\": unsupported type \(info.type.name), expected one of F32, F16, BF16, Q4_0, Q4_1, Q8_0, Q4_K, Q6_K")
        }
        var output = [Float](repeating: 0, count: info.elementCount)
        data.withUnsafeBytes { bytes in
            let source = UnsafeRawBufferPointer(rebasing: bytes[info.fileOffset..<(info.fileOffset + info.byteCount)])
            output.withUnsafeMutableBufferPointer { destination in
                Dequantize.decode(type: info.type, source: source, count: info.elementCount, into: destination.baseAddress!)
            }
        }
        return output
    }

    private func nearestTensorName(_ name: String) -> String? {
        let parts = name.split(separator: ".").last.map(String.init) ?? name
        return tensors.first(where: { $0.name.hasSuffix(parts) })?.name
    }
}

/// A bounds-checked little-endian cursor over the file's bytes.
struct GGUFReader {
    let bytes: UnsafeRawBufferPointer
    let file: String
    var offset = 0

    init(bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    struct Header {
        var version: Int
        var metadata: [String: GGUFValue]
        var keys: [String]
        var tensors: [GGUFFile.TensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    func error(_ message: String, at position: Int? = nil) -> GGUFError {
        GGUFError(file: file, offset: position ?? offset, message)
    }

    mutating func need(_ count: Int, _ what: String) throws {
        guard count >= 0, offset + count <= bytes.count else {
            throw error("truncated file: expected \(count) bytes of \(what), found \(max(0, bytes.count - offset))")
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: String) throws -> T {
        try need(MemoryLayout<T>.size, what)
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    /// A u64 count that must fit in the remaining bytes at `minimumBytes` each.
    mutating func count(_ what: String, minimumBytes: Int) throws -> Int {
        let start = offset
        let raw = try read(UInt64.self, what)
        let remaining = bytes.count - offset
        guard raw <= UInt64(Int.max), Int(raw) <= remaining / max(1, minimumBytes) else {
            throw error("\(what) \(raw) is larger than the \(remaining) bytes left can hold", at: start)
        }
        return Int(raw)
    }

    mutating func string(_ what: String) throws -> String {
        let length = try count("\(what) length", minimumBytes: 1)
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
        offset += length
        return text
    }

    mutating func value(type: UInt32, depth: Int = 0) throws -> GGUFValue {
        switch type {
        case 0: return .uint8(try read(UInt8.self, "uint8 value"))
        case 1: return .int8(try read(Int8.self, "int8 value"))
        case 2: return .uint16(try read(UInt16.self, "uint16 value"))
        case 3: return .int16(try read(Int16.self, "int16 value"))
        case 4: return .uint32(try read(UInt32.self, "uint32 value"))
        case 5: return .int32(try read(Int32.self, "int32 value"))
        case 6: return .float32(Float(bitPattern: try read(UInt32.self, "float32 value")))
        case 7:
            let start = offset
            let byte = try read(UInt8.self, "bool value")
            guard byte <= 1 else { throw error("expected bool 0 or 1, found \(byte)", at: start) }
            return .bool(byte == 1)
        case 8: return .string(try string("string value"))
        case 9:
            guard depth < 4 else { throw error("arrays nested deeper than 4 levels") }
            let typeOffset = offset
            let elementType = try read(UInt32.self, "array element type")
            guard let minimum = Self.minimumSize(of: elementType) else {
                throw error("expected a value type 0...12, found \(elementType)", at: typeOffset)
            }
            let length = try count("array length", minimumBytes: minimum)
            var elements: [GGUFValue] = []
            elements.reserveCapacity(length)
            for _ in 0..<length { elements.append(try value(type: elementType, depth: depth + 1)) }
            return .array(elements)
        case 10: return .uint64(try read(UInt64.self, "uint64 value"))
        case 11: return .int64(try read(Int64.self, "int64 value"))
        case 12: return .float64(Double(bitPattern: try read(UInt64.self, "float64 value")))
        default: throw error("expected a value type 0...12, found \(type)", at: offset - 4)
        }
    }

    static func minimumSize(of type: UInt32) -> Int? {
        switch type {
        case 0, 1, 7: 1
        case 2, 3: 2
        case 4, 5, 6: 4
        case 8, 9, 10, 11, 12: 8
        default: nil
        }
    }

    mutating func parseHeader() throws -> Header {
        try need(4, "magic")
        let magic = Array(UnsafeRawBufferPointer(rebasing: bytes[0..<4]))
        guard magic == Array("GGUF".utf8) else {
            let shown = String(decoding: magic.map { (32..<127).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            throw error("expected magic \"GGUF\", found \"\(shown)\"")
        }
        offset = 4
        let version = try read(UInt32.self, "version")
        guard version == 2 || version == 3 else { throw error("expected version 2 or 3, found \(version)", at: 4) }
        // A tensor info takes at least 8 (name length) + 4 + 8 + 4 + 8 bytes; a key/value at least 8 + 4 + 1.
        let tensorCount = try count("tensor count", minimumBytes: 32)
        let keyCount = try count("metadata count", minimumBytes: 13)
        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        for _ in 0..<keyCount {
            let key = try string("metadata key")
            let typeOffset = offset
            let type = try read(UInt32.self, "value type of \"\(key)\"")
            guard Self.minimumSize(of: type) != nil else {
                throw error("metadata \"\(key)\": expected a value type 0...12, found \(type)", at: typeOffset)
            }
            metadata[key] = try value(type: type)
            keys.append(key)
        }
        var alignment = 32
        if let value = metadata["general.alignment"] {
            guard let a = value.int, a > 0, a & (a - 1) == 0 else {
                throw error("expected general.alignment to be a power of two, found \(value)")
            }
            alignment = a
        }
        var tensors: [GGUFFile.TensorInfo] = []
        var relativeOffsets: [(Int, Int)] = []
        for _ in 0..<tensorCount {
            let start = offset
            let name = try string("tensor name")
            let dimensionCount = try read(UInt32.self, "dimension count of \"\(name)\"")
            guard (1...4).contains(dimensionCount) else {
                throw error("tensor \"\(name)\": expected 1...4 dimensions, found \(dimensionCount)", at: offset - 4)
            }
            var dimensions: [Int] = []
            var elements = 1
            for _ in 0..<dimensionCount {
                let raw = try read(UInt64.self, "dimension of \"\(name)\"")
                guard raw > 0, raw < 1 << 40 else {
                    throw error("tensor \"\(name)\": dimension \(raw) out of range", at: offset - 8)
                }
                let (product, overflow) = elements.multipliedReportingOverflow(by: Int(raw))
                guard !overflow, product < 1 << 40 else {
                    throw error("tensor \"\(name)\": element count overflows", at: offset - 8)
                }
                elements = product
                dimensions.append(Int(raw))
            }
            let typeOffset = offset
            let rawType = try read(UInt32.self, "type of \"\(name)\"")
            guard let type = GGMLType(rawValue: rawType) else {
                throw error("tensor \"\(name)\": unknown ggml type \(rawType)", at: typeOffset)
            }
            guard dimensions[0] % type.blockSize == 0 else {
                throw error(
                    "tensor \"\(name)\": expected a row length divisible by \(type.blockSize) for \(type.name), found \(dimensions[0])",
                    at: typeOffset)
            }
            let relative = try read(UInt64.self, "data offset of \"\(name)\"")
            guard relative < 1 << 48, Int(relative) % alignment == 0 else {
                throw error("tensor \"\(name)\": data offset \(relative) is not a multiple of \(alignment)", at: offset - 8)
            }
            tensors.append(.init(name: name, dimensions: dimensions, type: type, fileOffset: 0))
            relativeOffsets.append((Int(relative), start))
        }
        let dataOffset = (offset + alignment - 1) / alignment * alignment
        for index in tensors.indices {
            let (relative, infoOffset) = relativeOffsets[index]
            tensors[index].fileOffset = dataOffset + relative
            let end = tensors[index].fileOffset + tensors[index].byteCount
            guard end <= bytes.count else {
                throw error(
                    "tensor \"\(tensors[index].name)\": data ends at byte \(end), past the end of the file (\(bytes.count) bytes)",
                    at: infoOffset)
            }
        }
        return Header(
            version: Int(version), metadata: metadata, keys: keys, tensors: tensors, alignment: alignment,
            dataOffset: dataOffset)
    }
}
