import Foundation
import Testing

@testable import SynthDecoder

/// Hand-built GGUF headers: well-formed round trip, and malformed files that must fail with the byte offset.
@Suite struct GGUFFileTests {
    /// Little-endian GGUF writer for tests.
    struct Builder {
        var bytes: [UInt8] = []
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        mutating func string(_ s: String) {
            u64(UInt64(s.utf8.count))
            bytes += Array(s.utf8)
        }
        mutating func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64) {
            bytes += Array("GGUF".utf8)
            u32(version)
            u64(tensors)
            u64(keys)
        }
        var data: Data { Data(bytes) }
    }

    /// One F32 tensor `[2, 32]` and one Q8_0 tensor `[1, 32]`, with metadata of several types.
    static func validFile() -> Data {
        var b = Builder()
        b.header(tensors: 2, keys: 4)
        b.string("general.architecture"); b.u32(8); b.string("llama")
        b.string("test.count"); b.u32(4); b.u32(7)
        b.string("test.flag"); b.u32(7); b.bytes.append(1)
        b.string("test.list"); b.u32(9); b.u32(5); b.u64(3); b.u32(UInt32(bitPattern: -1)); b.u32(2); b.u32(3)
        b.string("a"); b.u32(2); b.u64(32); b.u64(2); b.u32(0); b.u64(0)
        b.string("q"); b.u32(1); b.u64(32); b.u32(8); b.u64(256)
        while b.bytes.count % 32 != 0 { b.bytes.append(0) }
        for i in 0..<64 { withUnsafeBytes(of: Float(i).bitPattern.littleEndian) { b.bytes += $0 } }
        // Q8_0 block: d = 0.5 (half 0x3800), q = -16...15.
        b.bytes += [0x00, 0x38]
        for i in 0..<32 { b.bytes.append(UInt8(bitPattern: Int8(i - 16))) }
        while b.bytes.count % 32 != 0 { b.bytes.append(0) }
        return b.data
    }

    @Test func readsMetadataTensorsAndData() throws {
        let file = try GGUFFile(data: Self.validFile(), fileName: "tiny.gguf")
        #expect(file.version == 3)
        #expect(file.metadataKeys == ["general.architecture", "test.count", "test.flag", "test.list"])
        #expect(file.metadata["general.architecture"]?.string == "llama")
        #expect(file.metadata["test.count"]?.int == 7)
        #expect(file.metadata["test.flag"]?.bool == true)
        #expect(file.metadata["test.list"]?.array?.compactMap(\.int) == [-1, 2, 3])
        #expect(file.tensors.map(\.name) == ["a", "q"])
        #expect(file.info(named: "a")?.shape == [2, 32])
        let a: [Float] = (0..<64).map(Float.init)
        let q: [Float] = (0..<32).map { Float($0 - 16) * 0.5 }
        #expect(try file.floats(named: "a") == a)
        #expect(try file.floats(named: "q") == q)
        #expect(throws: GGUFError(file: "tiny.gguf", offset: file.dataOffset, "missing tensor \"b\"")) {
            try file.floats(named: "b")
        }
    }

    @Test func badMagic() {
        var b = Builder()
        b.bytes += Array("GGUX".utf8)
        b.u32(3)
        #expect(throws: GGUFError(file: "x.gguf", offset: 0, "expected magic \"GGUF\", found \"GGUX\"")) {
            try GGUFFile(data: b.data, fileName: "x.gguf")
        }
    }

    @Test func badVersion() {
        var b = Builder()
        b.header(version: 1, tensors: 0, keys: 0)
        #expect(throws: GGUFError(file: "x.gguf", offset: 4, "expected version 2 or 3, found 1")) {
            try GGUFFile(data: b.data, fileName: "x.gguf")
        }
    }

    @Test func truncatedAtEveryLength() {
        let valid = Self.validFile()
        // Every prefix of the header fails cleanly (no crash), naming an offset inside the prefix.
        for length in stride(from: 0, to: 300, by: 1) {
            do {
                _ = try GGUFFile(data: valid.prefix(length), fileName: "t.gguf")
                Issue.record("prefix of \(length) bytes parsed")
            } catch let error as GGUFError {
                #expect(error.offset <= length, "\(error)")
            } catch { Issue.record("unexpected \(error)") }
        }
        #expect(throws: GGUFError(file: "t.gguf", offset: 4, "truncated file: expected 4 bytes of version, found 2")) {
            try GGUFFile(data: valid.prefix(6), fileName: "t.gguf")
        }
    }

    @Test func absurdCounts() {
        var b = Builder()
        b.header(tensors: UInt64.max, keys: 0)
        #expect(throws: GGUFError(file: "x.gguf", offset: 8, "tensor count 18446744073709551615 is larger than the 8 bytes left can hold")) {
            try GGUFFile(data: b.data, fileName: "x.gguf")
        }
        var c = Builder()
        c.header(tensors: 0, keys: 1)
        c.string("k"); c.u32(9); c.u32(4); c.u64(1 << 40)
        #expect(throws: GGUFError(file: "x.gguf", offset: 41, "array length 1099511627776 is larger than the 0 bytes left can hold")) {
            try GGUFFile(data: c.data, fileName: "x.gguf")
        }
        var d = Builder()
        d.header(tensors: 0, keys: 1)
        d.string("k"); d.u32(13)
        #expect(throws: GGUFError(file: "x.gguf", offset: 33, "metadata \"k\": expected a value type 0...12, found 13")) {
            try GGUFFile(data: d.data, fileName: "x.gguf")
        }
    }

    @Test func tensorPastEndOfFile() {
        var b = Builder()
        b.header(tensors: 1, keys: 0)
        b.string("w"); b.u32(1); b.u64(1024); b.u32(0); b.u64(0)
        #expect(throws: GGUFError(file: "x.gguf", offset: 24, "tensor \"w\": data ends at byte 4160, past the end of the file (57 bytes)")) {
            try GGUFFile(data: b.data, fileName: "x.gguf")
        }
    }

    @Test func dequantizesQ4Blocks() {
        // Q4_0: d = 1 (0x3C00), nibbles lo = j, hi = 15 - j → x[j] = j - 8, x[j+16] = 7 - j.
        var q40: [UInt8] = [0x00, 0x3C]
        for j in 0..<16 { q40.append(UInt8(j) | UInt8(15 - j) << 4) }
        var out = [Float](repeating: 0, count: 32)
        q40.withUnsafeBytes { Dequantize.decode(type: .q4_0, source: $0, count: 32, into: &out) }
        let expected40: [Float] = (0..<16).map { Float($0 - 8) } + (0..<16).map { Float(7 - $0) }
        #expect(out == expected40)
        // Q4_1: d = 2, m = -1 (0xBC00): x = 2q - 1.
        var q41: [UInt8] = [0x00, 0x40, 0x00, 0xBC]
        for j in 0..<16 { q41.append(UInt8(j) | UInt8(15 - j) << 4) }
        q41.withUnsafeBytes { Dequantize.decode(type: .q4_1, source: $0, count: 32, into: &out) }
        let low: [Float] = (0..<16).map { Float(2 * $0 - 1) }
        let high: [Float] = (0..<16).map { Float(2 * (15 - $0) - 1) }
        #expect(out == low + high)
        // F16.
        let halves: [UInt8] = [0x00, 0x3C, 0x00, 0xC0]
        var two = [Float](repeating: 0, count: 2)
        halves.withUnsafeBytes { Dequantize.decode(type: .f16, source: $0, count: 2, into: &two) }
        #expect(two == [1, -2])
    }
}
