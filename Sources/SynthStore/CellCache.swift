import Foundation
import GRDB
import SynthValues

/// The per-project cache of executed notebook cells, a SQLite database at `.synthlab/cells.sqlite`.
///
/// Entries are keyed by the cell's content key (see ``CellCacheEntry/key``) and validated against the
/// content hashes of the files the cell read; file times are never used. Large values (indexes, models)
/// live in a ``BlobStore`` beside the database. Every write is one SQLite transaction, so a crash leaves
/// either the old entry or the new one. The database queue serialises access, so the cache is `Sendable`.
///
/// ```swift
/// let cache = try CellCache(stateFolder: project.appendingPathComponent(".synthlab"))
/// if let hit = try cache.lookup(key: key, root: project) { ... } else { ...; try cache.store(entry) }
/// ```
package struct CellCache: Sendable {
    private let database: DatabaseQueue
    /// Blobs for large values.
    package let blobs: BlobStore

    /// Opens (creating if needed) the cache under `stateFolder` (normally `<project>/.synthlab`).
    ///
    /// - Throws: a ``Diagnostic`` naming the database when it cannot be opened or migrated.
    package init(stateFolder: URL) throws {
        let path = stateFolder.appendingPathComponent("cells.sqlite")
        do {
            try FileManager.default.createDirectory(at: stateFolder, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            database = try DatabaseQueue(path: path.path, configuration: configuration)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: """
                    CREATE TABLE cell (
                        key TEXT PRIMARY KEY NOT NULL,
                        label TEXT NOT NULL,
                        entry BLOB NOT NULL
                    );
                    CREATE INDEX cell_label ON cell(label);
                    """)
            }
            try migrator.migrate(database)
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch {
            throw Diagnostic(.error, "cannot open cell cache: \(error)", at: SourceLocation(file: path.path))
        }
        blobs = try BlobStore(folder: stateFolder.appendingPathComponent("blobs"))
    }

    /// The stored entry for `key`, if every file it read still has the recorded content.
    ///
    /// - Parameter root: the folder relative file paths resolve against (the project folder).
    package func lookup(key: String, root: URL) throws -> CellCacheEntry? {
        let data = try database.read { db in
            try Data.fetchOne(db, sql: "SELECT entry FROM cell WHERE key = ?", arguments: [key])
        }
        guard let data, let entry = try? Self.decoder.decode(CellCacheEntry.self, from: data) else { return nil }
        for (path, hash) in entry.filesRead {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
            guard let current = try? SHA256.hash(fileAt: url), current.hex == hash else { return nil }
        }
        for value in entry.variables.values where !blobsPresent(value) { return nil }
        return entry
    }

    /// Stores (or replaces) an entry in one transaction.
    package func store(_ entry: CellCacheEntry) throws {
        let data = try Self.encoder.encode(entry)
        try database.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO cell (key, label, entry) VALUES (?, ?, ?)",
                           arguments: [entry.key, entry.label, data])
        }
    }

    /// Forgets every entry stored for `label`.
    package func remove(label: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM cell WHERE label = ?", arguments: [label]) }
    }

    /// How many entries the cache holds.
    package func count() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cell") ?? 0 }
    }

    private func blobsPresent(_ value: StoredValue) -> Bool {
        switch value {
        case .object(_, let blob, _): blobs.contains(blob)
        case .list(let items): items.allSatisfy(blobsPresent)
        case .record(let fields): fields.allSatisfy { blobsPresent($0.value) }
        default: true
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()
}
