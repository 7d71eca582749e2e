import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthStore

/// A tiny persistable object for round trips through blob folders.
private struct Notes: PersistableObject, Equatable {
    static let persistedTypeName = "test_notes"
    var lines: [String]
    var typeName: String { "notes" }
    var summary: String { "\(lines.count) notes" }
    func persist(into folder: URL) throws {
        try Data(lines.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("notes.txt"))
    }
    static func restore(from folder: URL) throws -> Notes {
        let text = try String(contentsOf: folder.appendingPathComponent("notes.txt"), encoding: .utf8)
        return Notes(lines: text.split(separator: "\n").map(String.init))
    }
}

private struct Opaque: DomainObject {
    var typeName: String { "opaque" }
    var summary: String { "opaque" }
}

@Suite struct CellCacheTests {
    @Test func storesAndFindsEntriesAcrossReopen() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent(".synthlab")
        let table = Table(caption: "t", columns: ["a"], rows: [.init(label: "x", cells: [.number(.nan)])])
        var entry = CellCacheEntry(key: "k1", label: "first", outputs: [.text("hi <b>"), .table(table)],
                                   results: ["eval": ["bm25": ["ndcg_cut.10": 0.5]]])
        entry.variables = ["n": .int(3), "r": .record([.init(name: "a", value: .double(0.25))])]
        entry.llm.requestsNew = 2
        try CellCache(stateFolder: state).store(entry)
        let reopened = try CellCache(stateFolder: state)
        let found = try #require(try reopened.lookup(key: "k1", root: folder))
        #expect(found.variables == entry.variables)
        #expect(found.results == entry.results)
        #expect(found.llm.requestsNew == 2)
        #expect(found.outputs.count == 2)
        if case .table(let t) = found.outputs[1] { #expect(t.rows[0].cells[0].number!.isNaN) } else { Issue.record("table: \(found.outputs[1])") }
        #expect(try reopened.lookup(key: "other", root: folder) == nil)
        #expect(try reopened.count() == 1)
        try reopened.remove(label: "first")
        #expect(try reopened.lookup(key: "k1", root: folder) == nil)
    }

    @Test func entryIsInvalidWhenAFileItReadChangesContent() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.txt")
        try Data("one".utf8).write(to: input)
        let cache = try CellCache(stateFolder: folder.appendingPathComponent(".synthlab"))
        let entry = CellCacheEntry(key: "k", label: "reader", filesRead: ["input.txt": SHA256.hash("one").hex])
        try cache.store(entry)
        #expect(try cache.lookup(key: "k", root: folder) != nil)
        // Same content rewritten (new modification time): still valid, times are never used.
        try Data("one".utf8).write(to: input)
        #expect(try cache.lookup(key: "k", root: folder) != nil)
        try Data("two".utf8).write(to: input)
        #expect(try cache.lookup(key: "k", root: folder) == nil)
        // The full key used by dependents changes with the file hashes.
        let changed = CellCacheEntry(key: "k", label: "reader", filesRead: ["input.txt": SHA256.hash("two").hex])
        #expect(changed.fullKey != entry.fullKey)
    }

    @Test func valuesRoundTripThroughBlobs() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = try CellCache(stateFolder: folder)
        let notes = Notes(lines: ["a", "b"])
        var record = Record()
        record["notes"] = .object(notes)
        record["k"] = .list([.int(1), .string("x"), .null, .bool(true)])
        let stored = try #require(try cache.storedValue(.record(record), persistable: [Notes.self]))
        guard case .record(let fields) = stored, case .object(let type, let blob, let typeName) = fields[0].value else {
            Issue.record("expected an object field"); return
        }
        #expect(type == "test_notes" && typeName == "notes")
        #expect(cache.blobs.contains(blob))
        // Same content is stored once under the same hash.
        let again = try #require(try cache.storedValue(.object(notes), persistable: [Notes.self]))
        #expect(again == .object(type: "test_notes", blob: blob, typeName: "notes"))
        let restored = try cache.value(stored, persistable: [Notes.self])
        guard case .record(let back) = restored, case .object(let object)? = back["notes"] else {
            Issue.record("expected a record"); return
        }
        #expect(object as? Notes == notes)
        #expect(back["k"]?.description == "[1, \"x\", null, true]")
        // Lazily restored: the type is known at once, the blob is read on first use, and storing the
        // lazy value again reuses its blob.
        let lazy = cache.lazyValue(stored, persistable: [Notes.self])
        #expect(CellCache.containsLazy(lazy))
        guard case .record(let lazyRecord) = lazy, case .object(let lazyNotes)? = lazyRecord["notes"] else {
            Issue.record("expected a lazy record"); return
        }
        #expect(lazyNotes.typeName == "notes")
        #expect(try cache.storedValue(lazy, persistable: [Notes.self]) == stored)
        #expect(lazyNotes.summary == "2 notes")
        guard case .record(let real) = try cache.materialize(lazy), case .object(let realNotes)? = real["notes"] else {
            Issue.record("expected a materialized record"); return
        }
        #expect(realNotes as? Notes == notes)
        #expect(!CellCache.containsLazy(.record(real)))
        // Objects that cannot persist make the value unstorable.
        #expect(try cache.storedValue(.list([.object(Opaque())]), persistable: [Notes.self]) == nil)
        #expect(try cache.storedValue(.object(notes), persistable: []) == nil)
    }

    @Test func blobStoreIsContentAddressed() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let blobs = try BlobStore(folder: folder.appendingPathComponent("blobs"))
        let hash = try blobs.put(Data("hello".utf8))
        #expect(hash == SHA256.hash("hello").hex)
        #expect(try blobs.data(hash) == Data("hello".utf8))
        try Data("tampered".utf8).write(to: blobs.url(for: hash))
        #expect(throws: Diagnostic.self) { try blobs.data(hash) }
        let a = try blobs.temporaryFolder(), b = try blobs.temporaryFolder()
        for staging in [a, b] {
            try FileManager.default.createDirectory(at: staging.appendingPathComponent("sub"), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: staging.appendingPathComponent("sub/f.txt"))
        }
        let first = try blobs.putFolder(a), second = try blobs.putFolder(b)
        #expect(first == second)
        #expect(!FileManager.default.fileExists(atPath: b.path))
        #expect(FileManager.default.fileExists(atPath: blobs.url(for: first).appendingPathComponent("sub/f.txt").path))
    }
}
