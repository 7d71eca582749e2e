import Foundation
import SynthValues

extension CrossEncoder {
    /// Writes the re-ranker as a Hugging Face `BertForSequenceClassification` folder that ``load(folder:seed:)``
    /// and `transformers`/`sentence_transformers.CrossEncoder` read: `model.safetensors` (`bert.…`,
    /// `classifier.…`), `config.json` (with `num_labels`) and the tokenizer files of `baseModelFolder`.
    ///
    /// The folder is assembled under a temporary name beside `folder` and then moved into place, replacing it.
    ///
    /// With `state`, the folder also holds `training_state/` as a bi-encoder ``Checkpoint`` does, so that
    /// ``CrossEncoderTrainer`` can resume from it.
    ///
    /// - Throws: ``ModelError`` naming the path that could not be written.
    package func save(to folder: URL, baseModelFolder: URL? = nil, state: TrainingState? = nil) throws {
        let manager = FileManager.default
        let temporary = folder.deletingLastPathComponent()
            .appendingPathComponent(".\(folder.lastPathComponent).tmp-\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
        } catch {
            throw ModelError.io(path: temporary.path, reason: "cannot create folder")
        }
        do {
            try SafeTensors.write(hostWeights(), to: temporary.appendingPathComponent("model.safetensors"))
            var config = model.config
            config.numLabels = head["classifier.bias"]?.count ?? 1
            try AtomicFile.write(
                config.jsonData(architecture: "BertForSequenceClassification"),
                to: temporary.appendingPathComponent("config.json"))
            if let base = baseModelFolder {
                for name in ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"] {
                    guard let data = try? Data(contentsOf: base.appendingPathComponent(name)) else { continue }
                    try AtomicFile.write(data, to: temporary.appendingPathComponent(name))
                }
            }
            if let state { try Checkpoint.writeState(state, into: temporary) }
            try AtomicFolder.replace(folder, with: temporary)
        } catch let error as ModelError {
            try? manager.removeItem(at: temporary)
            throw error
        } catch {
            try? manager.removeItem(at: temporary)
            throw ModelError.io(path: folder.path, reason: "cannot write cross-encoder (\(error.localizedDescription))")
        }
    }
}
