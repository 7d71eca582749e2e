import Foundation
import SynthValues

/// Content-addressed storage for large cached values: files and folders named by the SHA-256 of their content.
///
/// Lives in `.synthlab/blobs/`. A blob is written to a temporary name and renamed into place, so readers never
/// see a half-written blob, and identical content is stored once. Folders (a saved index, a model) are hashed
/// over their sorted relative paths and file contents.
///
/// ```swift
/// let blobs = try BlobStore(folder: state.appendingPathComponent("blobs"))
/// let hash = try blobs.put(Data("hello".utf8))
/// let data = try blobs.data(hash)
/// ```
package struct BlobStore: Sendable {
    /// The folder holding the blobs.
    package let folder: URL

    /// Opens (and creates) the blob folder.
    package init(folder: URL) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw Diagnostic(.error, "cannot create blob folder", at: SourceLocation(file: folder.path))
        }
    }

    /// Stores bytes and returns their SHA-256 (hex), the blob's name.
    package func put(_ data: Data) throws -> String {
        let hash = SHA256.hash(data).hex
        let url = self.url(for: hash)
        if !FileManager.default.fileExists(atPath: url.path) { try AtomicFile.write(data, to: url) }
        return hash
    }

    /// The bytes of a stored blob.
    ///
    /// - Throws: a ``Diagnostic`` when the blob is missing or its content no longer matches its name.
    package func data(_ hash: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: url(for: hash).path) else {
            throw Diagnostic(.error, "cached blob \(hash.prefix(12)) is missing", at: SourceLocation(file: folder.path))
        }
        guard SHA256.hash(data).hex == hash else {
            throw Diagnostic(.error, "cached blob \(hash.prefix(12)) is corrupt", at: SourceLocation(file: folder.path))
        }
        return data
    }

    /// Moves a finished folder into the store and returns its content hash.
    ///
    /// The folder is consumed: it is renamed into place, or deleted when an identical blob already exists.
    package func putFolder(_ source: URL) throws -> String {
        let hash = try Self.folderHash(source)
        let target = url(for: hash)
        let manager = FileManager.default
        if manager.fileExists(atPath: target.path) {
            try? manager.removeItem(at: source)
        } else if rename(source.path, target.path) != 0 {
            // Another run stored the same content first, or the source is on another file system.
            if !manager.fileExists(atPath: target.path) {
                let staging = folder.appendingPathComponent(".\(hash).\(UUID().uuidString).tmp")
                try manager.copyItem(at: source, to: staging)
                if rename(staging.path, target.path) != 0 { try? manager.removeItem(at: staging) }
            }
            try? manager.removeItem(at: source)
        }
        return hash
    }

    /// A fresh empty folder inside the store, for an object to save itself into before ``putFolder(_:)``.
    package func temporaryFolder() throws -> URL {
        let url = folder.appendingPathComponent(".staging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Where the blob named `hash` lives (a file or a folder).
    package func url(for hash: String) -> URL { folder.appendingPathComponent(hash) }

    /// Whether a blob exists.
    package func contains(_ hash: String) -> Bool { FileManager.default.fileExists(atPath: url(for: hash).path) }

    /// SHA-256 over the sorted relative paths and the SHA-256 of each file's content.
    package static func folderHash(_ folder: URL) throws -> String {
        let manager = FileManager.default
        let base = folder.standardizedFileURL.path
        var entries: [(String, URL)] = []
        if let enumerator = manager.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in enumerator {
                let values = try url.resourceValues(forKeys: [.isRegularFileKey])
                guard values.isRegularFile == true else { continue }
                var relative = url.standardizedFileURL.path
                if relative.hasPrefix(base) { relative.removeFirst(base.count) }
                entries.append((relative, url))
            }
        }
        entries.sort { $0.0 < $1.0 }
        var hasher = SHA256()
        for (relative, url) in entries {
            hasher.update(relative + "\n")
            hasher.update(try SHA256.hash(fileAt: url).hex + "\n")
        }
        return hasher.finalize().hex
    }
}
