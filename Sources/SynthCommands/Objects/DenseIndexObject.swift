import SynthModels
import SynthValues

/// A dense retriever as a language value (type `dense_index`): from `dense`, searched by `search`/`evaluate`.
package struct DenseIndexObject: DomainObject {
    package var retriever: DenseRetriever
    /// The encoder's name as the notebook gave it.
    package var model: String

    package init(_ retriever: DenseRetriever, model: String) {
        self.retriever = retriever
        self.model = model
    }

    package var typeName: String { "dense_index" }
    package var summary: String {
        "dense index (\(model)): \(retriever.documentIDs.count) docs × \(retriever.encoder.dimension) dimensions"
    }
    package var fieldNames: [String] { ["docs", "dimension", "model"] }
    package func field(_ name: String) -> Value? {
        switch name {
        case "docs": .int(retriever.documentIDs.count)
        case "dimension": .int(retriever.encoder.dimension)
        case "model": .string(model)
        default: nil
        }
    }
}
