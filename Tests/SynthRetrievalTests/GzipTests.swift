import Foundation
import Testing

@testable import SynthRetrieval

/// The zlib wrapper against the system `gzip`: round trips both ways, concatenated members, and the
/// errors for truncated and corrupt input.
@Suite struct GzipTests {
    /// Text of `count` lines: long enough for several 1 MiB output chunks once inflated.
    static func sample(_ count: Int) -> Data {
        Data((0..<count).map { "{\"_id\": \"\($0)\", \"text\": \"line \($0) of the sample, \($0 * 7919 % 1000)\"}\n" }.joined().utf8)
    }

    /// Runs the system `gzip` with `arguments` on `input`.
    static func gzip(_ arguments: [String], _ input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip"] + arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        let writer = Thread { try? stdin.fileHandleForWriting.write(contentsOf: input); try? stdin.fileHandleForWriting.close() }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "gzip \(arguments)")
        return output
    }

    @Test func roundTripsWithTheSystemGzip() throws {
        let text = Self.sample(60_000)  // ≈ 4 MiB
        let ours = try Gzip.compress(text)
        #expect(Gzip.isGzip(ours))
        #expect(ours.count < text.count / 4)
        #expect(try Self.gzip(["-dc"], ours) == text)
        #expect(try Gzip.decompress(Self.gzip(["-c"], text)) == text)
        #expect(try Gzip.decompress(ours) == text)
        #expect(try Gzip.compress(text) == ours, "compression is deterministic")
        #expect(try Gzip.decompress(Gzip.compress(Data())) == Data())
    }

    @Test func concatenatedMembersAreDecodedInOrder() throws {
        let first = Self.sample(10), second = Data("and a second member\n".utf8)
        #expect(try Gzip.decompress(Gzip.compress(first) + Self.gzip(["-c"], second)) == first + second)
    }

    @Test func truncatedAndCorruptDataAreErrors() throws {
        let packed = try Gzip.compress(Self.sample(2_000))
        #expect(throws: GzipError(message: "truncated gzip data")) { try Gzip.decompress(packed.prefix(packed.count / 2)) }
        var corrupt = packed
        corrupt[20] ^= 0xff
        corrupt[21] ^= 0xff
        do {
            _ = try Gzip.decompress(corrupt)
            Issue.record("expected corrupt data to be an error")
        } catch {
            #expect(error.message.hasPrefix("corrupt gzip data ("), "\(error.message)")
        }
    }
}
