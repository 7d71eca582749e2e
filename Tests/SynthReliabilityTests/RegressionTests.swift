import Foundation
import SynthLanguage
import SynthModels
import SynthTestSupport
import SynthValues
import Testing

/// Crashers found by `FuzzTests` and by hand, kept as named inputs (each crashed before its fix).
@Suite struct RegressionTests {
    /// A safetensors file: the 8-byte little-endian header length, the header, then `body` bytes.
    static func file(header: String, declaredLength: UInt64? = nil, body: Int = 8) throws -> URL {
        var data = Data()
        withUnsafeBytes(of: (declaredLength ?? UInt64(header.utf8.count)).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        data.append(Data(count: body))
        let url = try TestPaths.temporaryFolder().appendingPathComponent("model.safetensors")
        try data.write(to: url)
        return url
    }

    static func message(reading url: URL) -> String? {
        do {
            _ = try SafeTensors.read(url)
            return nil
        } catch {
            return error.asDiagnostic.message
        }
    }

    @Test func safetensorsHeaderLengthAboveIntMax() throws {
        let url = try Self.file(header: "{}", declaredLength: UInt64.max)
        #expect(Self.message(reading: url)?.contains("18446744073709551615") == true)
    }

    @Test func safetensorsShapeWhoseProductOverflows() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [4294967296, 4294967296, 16], "data_offsets": [0, 8]}}"#
        let message = Self.message(reading: try Self.file(header: header))
        #expect(message?.contains("a shape for w that fits in the file") == true, "\(message ?? "accepted")")
    }

    @Test func safetensorsNegativeShapeWithReversedOffsets() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [8, 4]}}"#
        let message = Self.message(reading: try Self.file(header: header))
        #expect(message?.contains("a shape for w that fits in the file") == true, "\(message ?? "accepted")")
    }

    @Test func safetensorsReversedOffsetsWithEmptyShape() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [0], "data_offsets": [8, 8]}, "v": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}}"#
        #expect(Self.message(reading: try Self.file(header: header)) != nil)
    }

    /// 100,000 nested `[` overflowed the parser's stack (SIGSEGV in `synthlab run`).
    @Test func languageDeeplyNestedListIsAnError() throws {
        let location = SourceLocation(file: "deep.synth", line: 1, column: 1)
        for open in ["[", "{a: ", "(print "] {
            let source = "x = " + String(repeating: open, count: 100_000) + "1"
            do {
                _ = try Parser.parse(source, at: location)
                Issue.record("accepted 100,000 nested \(open)")
            } catch {
                #expect(error.message == "expected at most 100 nested lists, records or parentheses, found more"
                    || error.message.hasPrefix("expected"), "\(error)")
            }
        }
        let fine = "x = " + String(repeating: "[", count: 99) + "1" + String(repeating: "]", count: 99)
        #expect(throws: Never.self) { _ = try Parser.parse(fine, at: location) }
    }
}
