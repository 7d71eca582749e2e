import Foundation
import SynthValues

/// The small JSON files through which the cell cache refers to models kept elsewhere (encoders, cross-encoders).
enum ManifestFile {
    /// Writes `value` as sorted, pretty-printed JSON to `folder/name`, atomically.
    static func write<T: Encodable>(_ value: T, named name: String, into folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(value), to: folder.appendingPathComponent(name))
    }

    /// Reads `folder/name`; a failure names the file and `what` was being read.
    static func read<T: Decodable>(_ type: T.Type, named name: String, from folder: URL, what: String) throws -> T {
        let url = folder.appendingPathComponent(name)
        do {
            return try JSONDecoder().decode(type, from: Data(contentsOf: url))
        } catch {
            throw Diagnostic(.error, "cannot read the cached \(what): \(error)", at: SourceLocation(file: url.path))
        }
    }
}
