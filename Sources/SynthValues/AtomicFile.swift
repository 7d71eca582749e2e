import Foundation

/// Writes files so that readers see either the old content or the new, never a torn file.
///
/// The data goes to a temporary file in the same folder, is flushed to disk, then renamed over the
/// destination (rename is atomic on POSIX file systems). Reports, checkpoints, caches and indexes
/// are all written this way, so a crash or Ctrl-C mid-write loses nothing that was saved before.
public enum AtomicFile {
    /// Atomically replaces `url` with `data`, creating parent folders as needed.
    ///
    /// - Throws: a ``Diagnostic`` naming the file when the folder cannot be created or written.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw Diagnostic(.error, "cannot create folder: \(error.localizedDescription)",
                             at: SourceLocation(file: folder.path))
        }
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
            throw Diagnostic(.error, "cannot write into this folder (read-only or full?)",
                             at: SourceLocation(file: folder.path))
        }
        do {
            let handle = try FileHandle(forWritingTo: temp)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw Diagnostic(.error, "cannot write file: \(error.localizedDescription)",
                             at: SourceLocation(file: url.path))
        }
        if rename(temp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw Diagnostic(.error, "cannot replace file: \(reason)", at: SourceLocation(file: url.path))
        }
    }

    /// Atomically writes UTF-8 text.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
