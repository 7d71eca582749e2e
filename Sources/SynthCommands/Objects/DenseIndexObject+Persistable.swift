import Foundation
import SynthModels
import SynthRetrieval
import SynthValues

/// What the cell cache stores for a dense index: the encoder reference, document ids and the embedding matrix.
private struct DenseIndexManifest: Codable {
    var model: String
    var documentIDs: [String]
    var batchSize: Int
    var maxLength: Int
}

extension DenseIndexObject: PersistableObject {
    package static var persistedTypeName: String { "dense_index" }

    /// Writes `encoder.json` (see ``EncoderManifest``), `index.json` and `embeddings.bin`.
    package func persist(into folder: URL) throws {
        try EncoderManifest(EncoderObject(retriever.encoder, name: model)).write(into: folder)
        let manifest = DenseIndexManifest(
            model: model, documentIDs: retriever.documentIDs, batchSize: retriever.batchSize,
            maxLength: retriever.maxLength)
        try AtomicFile.write(try JSONEncoder().encode(manifest), to: folder.appendingPathComponent("index.json"))
        try retriever.documentEmbeddings.save(to: folder.appendingPathComponent("embeddings.bin"))
    }

    package static func restore(from folder: URL) throws -> DenseIndexObject {
        let encoder = try EncoderManifest.read(from: folder).load().encoder
        let url = folder.appendingPathComponent("index.json")
        let manifest: DenseIndexManifest
        do {
            manifest = try JSONDecoder().decode(DenseIndexManifest.self, from: Data(contentsOf: url))
        } catch {
            throw Diagnostic(.error, "cannot read the cached dense index: \(error)", at: SourceLocation(file: url.path))
        }
        let embeddings = try DenseEmbeddings.load(from: folder.appendingPathComponent("embeddings.bin"))
        guard embeddings.count == manifest.documentIDs.count else {
            throw Diagnostic(
                .error, "expected \(manifest.documentIDs.count) embeddings in the cached dense index, found \(embeddings.count)",
                at: SourceLocation(file: folder.appendingPathComponent("embeddings.bin").path))
        }
        let retriever = DenseRetriever(
            encoder: encoder, documentIDs: manifest.documentIDs, documentEmbeddings: embeddings,
            batchSize: manifest.batchSize, maxLength: manifest.maxLength)
        return DenseIndexObject(retriever, model: manifest.model)
    }
}
