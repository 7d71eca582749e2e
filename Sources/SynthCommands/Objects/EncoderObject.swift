import Foundation
import SynthModels
import SynthValues

/// A sentence encoder as a language value (type `encoder`): from `encoder`, used by `encode` and `dense`.
package struct EncoderObject: DomainObject {
    package var encoder: SentenceEncoder
    /// The model as the notebook named it.
    package var name: String

    package init(_ encoder: SentenceEncoder, name: String) {
        self.encoder = encoder
        self.name = name
    }

    package var typeName: String { "encoder" }
    package var summary: String {
        "encoder \(name): \(encoder.dimension) dimensions, up to \(encoder.maxSeqLength) tokens"
    }
    package var fieldNames: [String] { ["name", "dimension", "max_length", "folder"] }
    package func field(_ name: String) -> Value? {
        switch name {
        case "name": .string(self.name)
        case "dimension": .int(encoder.dimension)
        case "max_length": .int(encoder.maxSeqLength)
        case "folder": .string(encoder.folder.path)
        default: nil
        }
    }
}
