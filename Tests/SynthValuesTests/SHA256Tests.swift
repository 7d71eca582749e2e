import Foundation
import SynthTestSupport
import Testing

@testable import SynthValues

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, expected: String) {
        #expect(SHA256.hash(input).hex == expected)
    }

    /// Lengths around the 55/56/64-byte padding boundaries and multi-block inputs, fed in uneven pieces,
    /// compared with the system's `sha256sum`.
    @Test func matchesSha256sumAcrossBoundaries() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for length in [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 70_001] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let file = folder.appendingPathComponent("in-\(length).bin")
            try Data(bytes).write(to: file)
            var hasher = SHA256()
            var start = 0
            var step = 1
            while start < bytes.count {
                let end = min(bytes.count, start + step)
                hasher.update(Data(bytes[start..<end]))
                start = end
                step = step * 3 + 1
            }
            let expected = try sha256sum(file)
            #expect(hasher.finalize().hex == expected, "length \(length)")
            #expect(try SHA256.hash(fileAt: file).hex == expected)
            #expect(SHA256.hash(bytes.lazy.map { $0 }).hex == expected)  // non-contiguous sequence path
        }
    }

    private func sha256sum(_ file: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
