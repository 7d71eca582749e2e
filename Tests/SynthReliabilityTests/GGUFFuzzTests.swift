import Foundation
import SynthDecoder
import SynthTestSupport
import SynthValues
import Testing

/// Seeded mutational fuzzing of the GGUF reader (header, metadata key/values, tensor infos, tensor data):
/// every input parses or is rejected with a ``GGUFError`` that names the byte offset; a parsed file's
/// tensors all decode. Part of `scripts/fuzz` (target `ggufReaderNeverCrashes`).
@Suite struct GGUFFuzzTests {
    /// Little-endian GGUF writer.
    struct Builder {
        var bytes: [UInt8] = []
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        mutating func string(_ s: String) {
            u64(UInt64(s.utf8.count))
            bytes += Array(s.utf8)
        }
        mutating func pad() { while bytes.count % 32 != 0 { bytes.append(0) } }
    }

    /// A small well-formed file: metadata of every kind (string, ints, bool, float, nested array,
    /// alignment) and F32, F16, Q4_1 and Q8_0 tensors.
    static func seedFile() -> [UInt8] {
        var b = Builder()
        b.bytes += Array("GGUF".utf8)
        b.u32(3)
        b.u64(4)  // tensors
        b.u64(7)  // key/values
        b.string("general.architecture"); b.u32(8); b.string("llama")
        b.string("general.alignment"); b.u32(4); b.u32(32)
        b.string("llama.block_count"); b.u32(10); b.u64(30)
        b.string("test.flag"); b.u32(7); b.bytes.append(1)
        b.string("test.scale"); b.u32(6); b.u32(Float(0.5).bitPattern)
        b.string("tokenizer.ggml.tokens"); b.u32(9); b.u32(8); b.u64(3)
        for token in ["<s>", "a", "é"] { b.string(token) }
        b.string("test.nested"); b.u32(9); b.u32(9); b.u64(2)
        for _ in 0..<2 { b.u32(5); b.u64(2); b.u32(1); b.u32(UInt32(bitPattern: -2)) }
        // Tensor infos: name, dims, dims…, type, relative offset (multiples of 32).
        b.string("f32"); b.u32(2); b.u64(4); b.u64(2); b.u32(0); b.u64(0)  // 32 bytes
        b.string("f16"); b.u32(1); b.u64(16); b.u32(1); b.u64(32)  // 32 bytes
        b.string("q41"); b.u32(1); b.u64(32); b.u32(3); b.u64(64)  // 20 bytes
        b.string("q80"); b.u32(2); b.u64(32); b.u64(1); b.u32(8); b.u64(96)  // 34 bytes
        b.pad()
        for i in 0..<8 { withUnsafeBytes(of: Float(i).bitPattern.littleEndian) { b.bytes += $0 } }
        for i in 0..<16 { withUnsafeBytes(of: Float16(Float(i) / 4).bitPattern.littleEndian) { b.bytes += $0 } }
        b.bytes += [0x00, 0x38, 0x00, 0x3C] + (0..<16).map { UInt8($0 * 17 & 0xFF) }  // q4_1: d, m, 32 nibbles
        b.pad()
        b.bytes += [0x00, 0x38] + (0..<32).map { UInt8(bitPattern: Int8($0 - 16)) }  // q8_0: d, 32 values
        b.pad()
        return b.bytes
    }

    /// The start of the real SmolLM2 model's header, when `scripts/setup` has fetched it (a second seed
    /// with llama.cpp's own key names; it ends in the middle of the tokenizer's vocabulary).
    static func realHeaderPrefix() -> [UInt8]? {
        let url = TestPaths.synthlabHome.appendingPathComponent("models/smollm2-135m-instruct-q4_1.gguf")
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 2048)).map(Array.init)
    }

    @Test func seedFileParsesAndDecodes() throws {
        let file = try GGUFFile(data: Data(Self.seedFile()), fileName: "seed.gguf")
        #expect(file.tensors.map(\.name) == ["f32", "f16", "q41", "q80"])
        #expect(file.metadata["tokenizer.ggml.tokens"]?.array?.compactMap(\.string) == ["<s>", "a", "é"])
        #expect(try file.floats(named: "f32") == (0..<8).map(Float.init))
        #expect(try file.floats(named: "f16") == (0..<16).map { Float($0) / 4 })
        #expect(try file.floats(named: "q80") == (0..<32).map { Float($0 - 16) * 0.5 })
    }

    @Test func ggufReaderNeverCrashes() throws {
        var rng = SplitMix64(seed: FuzzBudget.seed &+ 5)
        let seeds = [Self.seedFile()] + [Self.realHeaderPrefix()].compactMap { $0 }
        // Offsets of u64 counts and lengths in the seed file a hostile value is written over.
        let countOffsets = [8, 16, 24, 56, 64]
        let hostile: [UInt64] = [.max, UInt64(Int.max), 1 << 63, 1 << 40, 1 << 32, 0xFFFF_FFFF, 4096, 0]
        var rejected = 0, parsed = 0
        FuzzBudget(cases: 3000).run { _ in
            var input = Mutator.mutate(seeds.randomElement(using: &rng)!, using: &rng, rounds: 3)
            if Int.random(in: 0..<3, using: &rng) == 0 {
                let at = countOffsets.randomElement(using: &rng)!
                if input.count >= at + 8 {
                    withUnsafeBytes(of: hostile.randomElement(using: &rng)!.littleEndian) {
                        input.replaceSubrange(at..<(at + 8), with: $0)
                    }
                }
            }
            do {
                let file = try GGUFFile(data: Data(input), fileName: "fuzz.gguf")
                parsed += 1
                for tensor in file.tensors {
                    do {
                        let values = try file.floats(named: tensor.name)
                        #expect(values.count == tensor.elementCount)
                    } catch let error as GGUFError {
                        #expect(!error.message.isEmpty)
                    }
                }
            } catch let error as GGUFError {
                #expect(error.file == "fuzz.gguf")
                #expect(!error.message.isEmpty)
                #expect(error.offset >= 0 && error.offset <= max(input.count, 1 << 62))
                rejected += 1
            } catch {
                Issue.record("not a GGUFError: \(error) for input \(input.prefix(64))")
            }
        }
        #expect(rejected > 0 && parsed > 0)
    }
}
