import Foundation
import SynthModels
import SynthValues

/// A sentence encoder as a language value (type `encoder`): from `encoder`, used by `encode` and `dense`.
package struct EncoderObject: DomainObject {
    package var encoder: SentenceEncoder
    /// The model as the notebook named it.
    package var name: String
    /// The training loss per optimizer step, when the encoder was trained in this session (`train`).
    package var losses: [Double]

    package init(_ encoder: SentenceEncoder, name: String, losses: [Double] = []) {
        self.encoder = encoder
        self.name = name
        self.losses = losses
    }

    package var typeName: String { "encoder" }
    package var summary: String {
        "encoder \(name): \(encoder.dimension) dimensions, up to \(encoder.maxSeqLength) tokens"
    }
    package var fieldNames: [String] { ["name", "dimension", "max_length", "folder", "losses", "steps"] }
    package func field(_ name: String) -> Value? {
        switch name {
        case "name": .string(self.name)
        case "dimension": .int(encoder.dimension)
        case "max_length": .int(encoder.maxSeqLength)
        case "folder": .string(encoder.folder.path)
        case "losses": .list(losses.map { .double($0) })
        case "steps": .int(losses.count)
        default: nil
        }
    }
}
