import Foundation
import SynthTestSupport
import Testing

@testable import SynthModels

@Suite("SafeTensors")
struct SafeTensorsTests {
    @Test("write then read gives the same tensors")
    func roundTrip() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tensors = [
            "a.weight": HostTensor(shape: [2, 3], values: [1, -2, 3.5, 0, 1e-7, -1e9]),
            "b": HostTensor(shape: [], values: [42]),
            "ünï\"code": HostTensor(shape: [1], values: [.infinity]),
        ]
        let url = folder.appendingPathComponent("x.safetensors")
        try SafeTensors.write(tensors, to: url)
        #expect(try SafeTensors.read(url) == tensors)
        let data = try Data(contentsOf: url)
        let headerLength = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect((8 + headerLength) % 8 == 0)
    }

    /// Builds a safetensors file by hand with the given dtype and raw little-endian bytes.
    static func file(dtype: String, shape: [Int], bytes: [UInt8]) -> Data {
        var header = "{\"t\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":[0,\(bytes.count)]}}"
        while header.utf8.count % 8 != 0 { header += " " }
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        data.append(contentsOf: bytes)
        return data
    }

    @Test("F16 and BF16 are widened to Float32 exactly")
    func halfPrecision() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF, smallest subnormal 2^-24 = 0x0001.
        let f16 = Self.file(dtype: "F16", shape: [4], bytes: [0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x01, 0x00])
        let f16URL = folder.appendingPathComponent("f16.safetensors")
        try f16.write(to: f16URL)
        #expect(try SafeTensors.read(f16URL)["t"]?.values == [1, -2, 65504, Float(pow(2.0, -24.0))])
        // BF16: 1.0 = 0x3F80, -0.5 = 0xBF00, 3.140625 = 0x4049.
        let bf16 = Self.file(dtype: "BF16", shape: [3], bytes: [0x80, 0x3F, 0x00, 0xBF, 0x49, 0x40])
        let bf16URL = folder.appendingPathComponent("bf16.safetensors")
        try bf16.write(to: bf16URL)
        #expect(try SafeTensors.read(bf16URL)["t"]?.values == [1, -0.5, 3.140625])
    }

    @Test("errors name the file and what was expected")
    func errors() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("bad.safetensors")
        try Self.file(dtype: "U8", shape: [1], bytes: [1]).write(to: url)
        #expect(throws: ModelError.unsupportedDType(path: url.path, name: "t", dtype: "U8")) { try SafeTensors.read(url) }
        try Self.file(dtype: "F32", shape: [2], bytes: [0, 0, 0, 0]).write(to: url)
        #expect(throws: ModelError.malformed(path: url.path, expected: "8 bytes for t inside the file", found: "offsets [0, 4]")) {
            try SafeTensors.read(url)
        }
        let missing = folder.appendingPathComponent("none.safetensors")
        #expect(throws: ModelError.io(path: missing.path, reason: "cannot read none.safetensors")) { try SafeTensors.read(missing) }
    }
}
