import Foundation
import SynthValues

extension SentenceEncoder {
    /// SHA-256 (hex) identifying the model's behaviour: the weights, configuration and vocabulary files
    /// plus the pipeline settings (pooling, normalisation, lower-casing). Keys cached corpus embeddings.
    ///
    /// - Throws: a ``Diagnostic`` when a model file cannot be read.
    package func fingerprint() throws -> String {
        var hasher = SHA256()
        let transformer = layout.transformerFolder
        for name in ["model.safetensors", "config.json", "vocab.txt"] {
            let url = transformer.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            hasher.update("\(name) ")
            hasher.update(try SHA256.hash(fileAt: url).bytes)
        }
        hasher.update("pooling \(layout.pooling.rawValue) normalize \(layout.normalize) "
            + "lowercase \(layout.tokenizerLowercase) \(layout.lowercaseInput) "
            + "accents \(String(describing: layout.stripAccents)) cjk \(layout.splitCJK)")
        return hasher.finalize().hex
    }
}
