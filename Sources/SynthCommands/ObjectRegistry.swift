import SynthRetrieval
import SynthSynthesis
import SynthValues

/// The domain objects the notebook cache may save and restore, looked up by ``PersistableObject/persistedTypeName``.
package enum ObjectRegistry {
    package static let persistable: [any PersistableObject.Type] = [
        BEIRDataset.self, BM25Index.self, RunObject.self, EvaluationObject.self, SyntheticSet.self,
        CrossEncoderObject.self,
        EncoderObject.self, DenseIndexObject.self,
    ]

    /// The type saved under `name`, if any.
    package static func type(named name: String) -> (any PersistableObject.Type)? {
        persistable.first { $0.persistedTypeName == name }
    }
}
