import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthStore

@Suite("ResponseStore")
struct ResponseStoreTests {
    private func row(_ key: String, text: String = "{}", tokens: Int = 3) -> StoredResponse {
        StoredResponse(
            key: key, model: "m", requestJSON: #"{"model":"m"}"#, responseJSON: text, promptTokens: 10,
            completionTokens: tokens, createdAt: Date(timeIntervalSince1970: 1_700_000_000), latency: 0.25)
    }

    @Test func savesAndReadsBackEveryColumn() async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try ResponseStore(path: folder.appendingPathComponent("nested/llm.sqlite"))
        #expect(try await store.response(forKey: "a") == nil)
        #expect(try await store.save(row("a", text: #"{"x":1}"#)))
        #expect(try await store.response(forKey: "a") == row("a", text: #"{"x":1}"#))
        #expect(try await store.count() == 1)
    }

    @Test func firstResponseForAKeyWins() async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try ResponseStore(path: folder.appendingPathComponent("llm.sqlite"))
        #expect(try await store.save(row("k", text: "first")))
        #expect(try await store.save(row("k", text: "second")) == false)
        #expect(try await store.response(forKey: "k")?.responseJSON == "first")
    }

    @Test func persistsAcrossReopenAndUsesWAL() async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("llm.sqlite")
        do {
            let store = try ResponseStore(path: path)
            try await store.save(row("a"))
        }
        let reopened = try ResponseStore(path: path)
        #expect(try await reopened.all().map(\.key) == ["a"])
        #expect(FileManager.default.fileExists(atPath: path.path + "-wal"))
    }

    /// Two stores on one file stand in for two processes: concurrent writers wait instead of failing.
    @Test func twoConnectionsShareOneFile() async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("llm.sqlite")
        let first = try ResponseStore(path: path)
        let second = try ResponseStore(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { try await store.save(row("key\(index)")) }
            }
            try await group.waitForAll()
        }
        #expect(try await first.count() == 40)
        #expect(try await second.response(forKey: "key0") != nil)
    }

    @Test func notADatabaseIsAClearError() async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("llm.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: path)
        do {
            _ = try ResponseStore(path: path)
            Issue.record("expected an error")
        } catch let error as Diagnostic {
            #expect(error.message.hasPrefix("cannot open response store: "))
            #expect(error.location?.file == path.path)
        }
    }
}
