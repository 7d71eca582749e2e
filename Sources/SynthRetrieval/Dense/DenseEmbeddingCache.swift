import Foundation
import SynthValues

/// Corpus embeddings on disk, keyed by the model's and the corpus's content hashes.
///
/// A file `<folder>/<model hash prefix>-<corpus hash prefix>.slem` holds the ``DenseEmbeddings`` of one
/// corpus under one model (and token limit, which belongs in the corpus key). Files are written with
/// ``AtomicFile`` so an interrupted run never leaves a torn cache; a file that fails to parse is ignored
/// and recomputed.
///
/// ```swift
/// let cache = DenseEmbeddingCache(folder: state.appendingPathComponent("dense"))
/// let corpus = DenseEmbeddingCache.corpusHash(ids: ids, texts: texts, settings: "maxLength 256")
/// let key = DenseEmbeddingCache.Key(model: modelHash, corpus: corpus)
/// let matrix = try cache.load(key) ?? compute()
/// ```
package struct DenseEmbeddingCache: Sendable {
    /// Where cache files live.
    package var folder: URL

    /// Identifies one corpus under one model.
    package struct Key: Sendable, Hashable {
        /// SHA-256 (hex) of the model's files.
        package var model: String
        /// SHA-256 (hex) of the corpus ids, texts and settings.
        package var corpus: String

        package init(model: String, corpus: String) {
            self.model = model
            self.corpus = corpus
        }
    }

    package init(folder: URL) { self.folder = folder }

    /// The file for `key`.
    package func url(for key: Key) -> URL {
        folder.appendingPathComponent("\(key.model.prefix(16))-\(key.corpus.prefix(16)).slem")
    }

    /// The cached embeddings, or `nil` when absent or unreadable.
    package func load(_ key: Key) -> DenseEmbeddings? {
        let url = url(for: key)
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? DenseEmbeddings.decode(data, source: url.path)
    }

    /// Stores embeddings atomically.
    package func store(_ embeddings: DenseEmbeddings, for key: Key) throws {
        try embeddings.save(to: url(for: key))
    }

    /// SHA-256 (hex) of ids and texts (length-prefixed, so no two corpora collide by concatenation) and `settings`.
    package static func corpusHash(ids: [String], texts: [String], settings: String) -> String {
        var hasher = SHA256()
        hasher.update("settings \(settings.utf8.count) \(settings)\n")
        for (id, text) in zip(ids, texts) {
            hasher.update("\(id.utf8.count) \(id) \(text.utf8.count) ")
            hasher.update(text)
        }
        return hasher.finalize().hex
    }
}
