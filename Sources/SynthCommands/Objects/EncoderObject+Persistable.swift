import Foundation
import SynthModels
import SynthValues

/// What the cell cache stores for an encoder: a reference to its model folder, never a copy of the weights.
///
/// Models live in `$SYNTHLAB_HOME/models/` (pretrained) or `.synthlab/models/` (trained); the fingerprint
/// (SHA-256 of the weights, configuration and vocabulary) guards against a folder whose files changed since
/// the cell ran, for example when the same model name was re-trained with other settings.
struct EncoderManifest: Codable, Equatable {
    var name: String
    var folder: String
    var fingerprint: String
    var losses: [Double]

    static let fileName = "encoder.json"

    init(_ object: EncoderObject) throws {
        name = object.name
        folder = object.encoder.folder.standardizedFileURL.path
        fingerprint = try object.encoder.fingerprint()
        losses = object.losses
    }

    func write(into folder: URL) throws { try ManifestFile.write(self, named: Self.fileName, into: folder) }

    static func read(from folder: URL) throws -> EncoderManifest {
        try ManifestFile.read(EncoderManifest.self, named: fileName, from: folder, what: "encoder reference")
    }

    /// Loads the referenced model, checking that its files are the ones the cell used.
    func load() throws -> EncoderObject {
        let url = URL(fileURLWithPath: folder)
        let hint = "re-run the cell with `--refresh LABEL` or `--no-cache`"
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Diagnostic(.error, "the cached encoder `\(name)` refers to \(folder), which no longer exists", notes: [hint])
        }
        let encoder = try SentenceEncoder.load(folder: url)
        guard try encoder.fingerprint() == fingerprint else {
            throw Diagnostic(.error, "the model files of the cached encoder `\(name)` changed since the cell ran", notes: [hint])
        }
        return EncoderObject(encoder, name: name, losses: losses)
    }
}

extension EncoderObject: PersistableObject {
    package static var persistedTypeName: String { "encoder" }

    /// Writes `encoder.json`: the model folder, its fingerprint and the loss curve.
    package func persist(into folder: URL) throws { try EncoderManifest(self).write(into: folder) }

    package static func restore(from folder: URL) throws -> EncoderObject {
        try EncoderManifest.read(from: folder).load()
    }
}
