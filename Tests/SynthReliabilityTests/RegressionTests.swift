import Foundation
import SynthModels
import SynthTestSupport
import SynthValues
import Testing

/// Crashers found by `FuzzTests`, kept as named inputs (each trapped before its fix in `SafeTensors.read`).
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
}
