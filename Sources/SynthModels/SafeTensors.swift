import Foundation
import SynthValues

/// A tensor read from or written to a file: shape plus row-major Float32 values.
package struct HostTensor: Sendable, Equatable {
    /// Sizes of each dimension.
    package var shape: [Int]
    /// Row-major values.
    package var values: [Float]

    /// Creates a host tensor; `values.count` must equal the product of `shape`.
    package init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }
}

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header mapping
/// names to `dtype`, `shape` and `data_offsets`, then the raw little-endian tensor bytes.
///
/// Reading converts F32, F16, BF16, F64, I64 and I32 to Float32; writing produces F32.
///
/// ```swift
/// let weights = try SafeTensors.read(folder.appendingPathComponent("model.safetensors"))
/// weights["embeddings.word_embeddings.weight"]?.shape   // [30522, 384]
/// try SafeTensors.write(weights, to: url, metadata: ["format": "pt"])
/// ```
package enum SafeTensors {
    /// Reads every tensor of a safetensors file.
    ///
    /// - Throws: ``ModelError`` when the file is unreadable, its header malformed, or a dtype unsupported.
    package static func read(_ url: URL) throws -> [String: HostTensor] {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw ModelError.io(path: url.path, reason: "cannot read \(url.lastPathComponent)")
        }
        return try data.withUnsafeBytes { raw -> [String: HostTensor] in
            guard raw.count >= 8 else {
                throw ModelError.malformed(path: url.path, expected: "an 8-byte header length", found: "\(raw.count) bytes")
            }
            let declaredLength = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            guard let headerLength = Int(exactly: declaredLength), headerLength <= raw.count - 8 else {
                throw ModelError.malformed(
                    path: url.path, expected: "a header of at most \(raw.count - 8) bytes", found: "\(declaredLength)")
            }
            let headerData = Data(raw[8..<(8 + headerLength)])
            guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
                throw ModelError.malformed(path: url.path, expected: "a JSON header", found: "invalid JSON")
            }
            let body = UnsafeRawBufferPointer(rebasing: raw[(8 + headerLength)...])
            var result: [String: HostTensor] = [:]
            for (name, entry) in header where name != "__metadata__" {
                guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                    let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int],
                    offsets.count == 2
                else {
                    throw ModelError.malformed(path: url.path, expected: "dtype, shape and data_offsets for \(name)", found: "\(entry)")
                }
                // Hostile shapes (negative, or a product that overflows) must not trap.
                var count = 1
                for size in shape {
                    let (product, overflow) = count.multipliedReportingOverflow(by: size)
                    guard size >= 0, !overflow, product <= body.count else {
                        throw ModelError.malformed(
                            path: url.path, expected: "a shape for \(name) that fits in the file", found: "\(shape)")
                    }
                    count = product
                }
                guard let width = byteWidth(dtype) else {
                    throw ModelError.unsupportedDType(path: url.path, name: name, dtype: dtype)
                }
                guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= body.count,
                    offsets[1] - offsets[0] == count * width
                else {
                    throw ModelError.malformed(
                        path: url.path, expected: "\(count * width) bytes for \(name) inside the file",
                        found: "offsets \(offsets)")
                }
                let bytes = UnsafeRawBufferPointer(rebasing: body[offsets[0]..<offsets[1]])
                result[name] = HostTensor(shape: shape, values: convert(bytes, dtype: dtype, count: count))
            }
            return result
        }
    }

    /// Writes tensors as F32 safetensors (names sorted, 8-byte aligned header), atomically.
    ///
    /// - Throws: a ``Diagnostic`` from ``AtomicFile`` when the file cannot be written.
    package static func write(_ tensors: [String: HostTensor], to url: URL, metadata: [String: String] = ["format": "pt"]) throws {
        try AtomicFile.write(encode(tensors, metadata: metadata), to: url)
    }

    /// The safetensors bytes for `tensors` (F32).
    package static func encode(_ tensors: [String: HostTensor], metadata: [String: String] = ["format": "pt"]) -> Data {
        let names = tensors.keys.sorted()
        var header = "{"
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            header += "\"__metadata__\":{\(pairs.joined(separator: ","))}"
        }
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let end = offset + tensor.values.count * 4
            if header.count > 1 { header += "," }
            header += "\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],"
                + "\"data_offsets\":[\(offset),\(end)]}"
            offset = end
        }
        header += "}"
        while (8 + header.utf8.count) % 8 != 0 { header += " " }
        var data = Data()
        data.reserveCapacity(8 + header.utf8.count + offset)
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        for name in names {
            tensors[name]!.values.withUnsafeBufferPointer { data.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
        }
        return data
    }

    // MARK: - Conversion

    private static func byteWidth(_ dtype: String) -> Int? {
        switch dtype {
        case "F32", "I32": return 4
        case "F16", "BF16": return 2
        case "F64", "I64": return 8
        default: return nil
        }
    }

    private static func convert(_ bytes: UnsafeRawBufferPointer, dtype: String, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                switch dtype {
                case "F32":
                    buffer[index] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
                case "F16":
                    buffer[index] = halfToFloat(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)))
                case "BF16":
                    let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                    buffer[index] = Float(bitPattern: UInt32(bits) << 16)
                case "F64":
                    buffer[index] = Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))))
                case "I64":
                    buffer[index] = Float(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 8, as: Int64.self)))
                default:  // I32
                    buffer[index] = Float(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 4, as: Int32.self)))
                }
            }
            initialized = count
        }
    }

    /// IEEE 754 binary16 to binary32 (handles subnormals, infinities and NaN).
    static func halfToFloat(_ half: UInt16) -> Float {
        let sign = UInt32(half & 0x8000) << 16
        var exponent = Int32((half >> 10) & 0x1F)
        var mantissa = UInt32(half & 0x3FF)
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        if exponent == 0 {
            if mantissa == 0 { return Float(bitPattern: sign) }
            exponent = 1
            while mantissa & 0x400 == 0 {
                mantissa <<= 1
                exponent -= 1
            }
            mantissa &= 0x3FF
        }
        return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
    }

    private static func jsonString(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        let array = data.flatMap { String(data: $0, encoding: .utf8) } ?? "[\"\"]"
        return String(array.dropFirst().dropLast())
    }
}
