import Foundation
import GRDB
import SynthValues

/// The SQLite record of every LLM request and response (`.synthlab/llm.sqlite` in a project).
///
/// WAL mode with a busy timeout, so two processes (a notebook run and a REPL, say) can share one
/// file: readers never block the writer, and a second writer waits instead of failing. Each
/// response is committed on its own as soon as it is received, so nothing already paid for is
/// lost when a run is killed. Rows are keyed by ``StoredResponse/key``; the first response saved
/// for a key wins and later saves of the same key are ignored, so replays stay stable.
///
/// ```swift
/// let store = try ResponseStore(path: project.appending(path: ".synthlab/llm.sqlite"))
/// if let hit = try await store.response(forKey: key) { … }
/// try await store.save(StoredResponse(key: key, model: "qwen", requestJSON: …, responseJSON: …, …))
/// ```
package actor ResponseStore {
    /// The database file.
    package nonisolated let path: URL
    private let pool: DatabasePool

    /// Opens (creating if needed, with its parent folder) the store at `path`.
    ///
    /// - Parameter busyTimeout: how long a write waits for another process's lock before failing.
    /// - Throws: a ``Diagnostic`` naming the file when it cannot be opened or is not a response store.
    package init(path: URL, busyTimeout: TimeInterval = 30) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "ResponseStore"
        do {
            try FileManager.default.createDirectory(
                at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            pool = try DatabasePool(path: path.path, configuration: configuration)
            try pool.write { db in try Self.createSchema(db) }
        } catch {
            throw Diagnostic(
                .error, "cannot open response store: \(Self.describe(error))", at: SourceLocation(file: path.path))
        }
    }

    private static func createSchema(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS llm_responses (
                    key TEXT PRIMARY KEY NOT NULL,
                    model TEXT NOT NULL,
                    request_json TEXT NOT NULL,
                    response_json TEXT NOT NULL,
                    prompt_tokens INTEGER NOT NULL,
                    completion_tokens INTEGER NOT NULL,
                    created_at DOUBLE NOT NULL,
                    latency DOUBLE NOT NULL
                )
                """)
    }

    /// The stored response for `key`, or nil.
    package func response(forKey key: String) throws -> StoredResponse? {
        try guarded {
            try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM llm_responses WHERE key = ?", arguments: [key])
                    .map(Self.decode)
            }
        }
    }

    /// Saves `response` in its own transaction; returns false when the key was already stored
    /// (the earlier row is kept).
    @discardableResult
    package func save(_ response: StoredResponse) throws -> Bool {
        try guarded {
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO llm_responses
                        (key, model, request_json, response_json, prompt_tokens, completion_tokens, created_at, latency)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        response.key, response.model, response.requestJSON, response.responseJSON,
                        response.promptTokens, response.completionTokens, response.createdAt.timeIntervalSince1970,
                        response.latency,
                    ])
                return db.changesCount > 0
            }
        }
    }

    /// The number of stored responses.
    package func count() throws -> Int {
        try guarded { try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM llm_responses") ?? 0 } }
    }

    /// Every stored response, oldest first (for inspection and tests).
    package func all() throws -> [StoredResponse] {
        try guarded {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM llm_responses ORDER BY created_at, key").map(Self.decode)
            }
        }
    }

    // MARK: - Private

    private static func decode(_ row: Row) -> StoredResponse {
        StoredResponse(
            key: row["key"], model: row["model"], requestJSON: row["request_json"],
            responseJSON: row["response_json"], promptTokens: row["prompt_tokens"],
            completionTokens: row["completion_tokens"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), latency: row["latency"])
    }

    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as Diagnostic { throw error } catch {
            throw Diagnostic(
                .error, "response store failed: \(Self.describe(error))", at: SourceLocation(file: path.path))
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return String(describing: error)
    }
}
