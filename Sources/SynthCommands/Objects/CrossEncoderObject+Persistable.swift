import Foundation
import SynthModels
import SynthValues

/// What the cell cache stores for a cross-encoder: a reference to its folders, never a copy of the weights.
///
/// The fingerprint (SHA-256 of the weights, configuration and vocabulary) guards against a folder whose files
/// changed since the cell ran, for example when a model of the same name was re-trained with other settings.
struct CrossEncoderManifest: Codable, Equatable {
    var name: String
    var folder: String
    var tokenizerFolder: String
    var headSeed: UInt64
    var fingerprint: String
    var losses: [Double]
    var stages: [CrossEncoderObject.Stage]

    static let fileName = "cross_encoder.json"

    init(_ object: CrossEncoderObject) throws {
        name = object.name
        folder = object.folder.standardizedFileURL.path
        tokenizerFolder = object.tokenizerFolder.standardizedFileURL.path
        headSeed = object.headSeed
        fingerprint = try Self.fingerprint(folder: object.folder, tokenizerFolder: object.tokenizerFolder)
        losses = object.losses
        stages = object.stages
    }

    /// SHA-256 (hex) of `model.safetensors` and `config.json` in `folder` and `vocab.txt` in `tokenizerFolder`.
    static func fingerprint(folder: URL, tokenizerFolder: URL) throws -> String {
        var hasher = SHA256()
        for url in [
            folder.appendingPathComponent("model.safetensors"), folder.appendingPathComponent("config.json"),
            tokenizerFolder.appendingPathComponent("vocab.txt"),
        ] where FileManager.default.fileExists(atPath: url.path) {
            hasher.update("\(url.lastPathComponent) ")
            hasher.update(try SHA256.hash(fileAt: url).bytes)
        }
        return hasher.finalize().hex
    }

    func write(into folder: URL) throws { try ManifestFile.write(self, named: Self.fileName, into: folder) }

    static func read(from folder: URL) throws -> CrossEncoderManifest {
        try ManifestFile.read(CrossEncoderManifest.self, named: fileName, from: folder, what: "cross-encoder reference")
    }

    /// Loads the referenced model, checking that its files are the ones the cell used.
    func load() throws -> CrossEncoderObject {
        let url = URL(fileURLWithPath: folder)
        let tokenizerURL = URL(fileURLWithPath: tokenizerFolder)
        let hint = "re-run the cell with `--refresh LABEL` or `--no-cache`"
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Diagnostic(
                .error, "the cached cross-encoder `\(name)` refers to \(folder), which no longer exists", notes: [hint])
        }
        guard try Self.fingerprint(folder: url, tokenizerFolder: tokenizerURL) == fingerprint else {
            throw Diagnostic(
                .error, "the model files of the cached cross-encoder `\(name)` changed since the cell ran",
                notes: [hint])
        }
        let tokenizer = try SentenceTransformerLayout.read(folder: tokenizerURL).wordPieceTokenizer()
        return CrossEncoderObject(
            model: try CrossEncoder.load(folder: url, seed: headSeed), tokenizer: tokenizer, name: name, folder: url,
            tokenizerFolder: tokenizerURL, headSeed: headSeed, losses: losses, stages: stages)
    }
}

extension CrossEncoderObject: PersistableObject {
    package static var persistedTypeName: String { "cross_encoder" }

    /// Writes `cross_encoder.json`: the model folders, the head seed, the fingerprint and the training history.
    package func persist(into folder: URL) throws { try CrossEncoderManifest(self).write(into: folder) }

    package static func restore(from folder: URL) throws -> CrossEncoderObject {
        try CrossEncoderManifest.read(from: folder).load()
    }
}
