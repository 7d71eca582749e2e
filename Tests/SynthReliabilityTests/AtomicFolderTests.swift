import Foundation
import SynthTestSupport
import SynthValues
import Testing

/// ``AtomicFolder/replace(_:with:)``: a folder is replaced by another as a whole.
@Suite struct AtomicFolderTests {
    static func makeFolder(_ url: URL, files: [String: String]) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try AtomicFile.write(text, to: url.appendingPathComponent(name)) }
    }

    static func contents(_ url: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
            result[name] = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
        }
        return result
    }

    @Test func replacesAnExistingFolderAndLeavesNothingBehind() throws {
        let parent = try TestPaths.temporaryFolder()
        let target = parent.appendingPathComponent("model"), temporary = parent.appendingPathComponent(".model.tmp")
        try Self.makeFolder(target, files: ["a.txt": "old", "only-old.txt": "x"])
        try Self.makeFolder(temporary, files: ["a.txt": "new", "b.txt": "new b"])
        #if os(Linux)
            #expect(AtomicFolder.exchangeIsAvailable, "renameat2 not found: the non-atomic fallback is in use")
        #endif
        try AtomicFolder.replace(target, with: temporary)
        #expect(try Self.contents(target) == ["a.txt": "new", "b.txt": "new b"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["model"])
    }

    @Test func movesIntoPlaceWhenNothingIsThere() throws {
        let parent = try TestPaths.temporaryFolder()
        let target = parent.appendingPathComponent("model"), temporary = parent.appendingPathComponent(".model.tmp")
        try Self.makeFolder(temporary, files: ["a.txt": "new"])
        try AtomicFolder.replace(target, with: temporary)
        #expect(try Self.contents(target) == ["a.txt": "new"])
        #expect(!FileManager.default.fileExists(atPath: temporary.path))
    }

    @Test func missingTemporaryIsAnErrorAndTheOldFolderStays() throws {
        let parent = try TestPaths.temporaryFolder()
        let target = parent.appendingPathComponent("model")
        try Self.makeFolder(target, files: ["a.txt": "old"])
        #expect(throws: AtomicFolder.Failure.self) {
            try AtomicFolder.replace(target, with: parent.appendingPathComponent(".missing"))
        }
        #expect(try Self.contents(target) == ["a.txt": "old"])
    }
}
