import Foundation
import SynthTensor
import SynthValues

/// Saves and loads bi-encoders in the sentence-transformers folder layout, so Python's
/// `SentenceTransformer(path)` loads them unchanged, with an extra `training_state/` for resuming.
///
/// Layout: `model.safetensors` (Hugging Face BERT names), `config.json`, tokenizer files copied from the base
/// model (`vocab.txt`, `tokenizer.json`, `tokenizer_config.json`, `special_tokens_map.json`), `modules.json`,
/// `sentence_bert_config.json`, `1_Pooling/config.json`, `2_Normalize/` when normalising, and
/// `training_state/{trainer_state.json, optimizer.safetensors}` when a training state is given (plus
/// `best_parameters.safetensors` when the run keeps an earlier step's dev-best parameters).
///
/// The folder is assembled under a temporary name beside the destination and renamed into place, so a crash
/// never leaves a half-written checkpoint.
package enum Checkpoint {
    static let tokenizerFiles = ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]

    /// Writes `encoder` (and optionally a training state) to `folder`, replacing it atomically.
    ///
    /// - Parameters:
    ///   - baseModelFolder: source of the tokenizer files and `sentence_bert_config.json` (skipped when nil).
    /// - Throws: ``ModelError`` or a ``Diagnostic`` naming the file that could not be written.
    package static func save(
        _ encoder: BiEncoder, to folder: URL, baseModelFolder: URL?, state: TrainingState? = nil
    ) throws {
        let manager = FileManager.default
        let parent = folder.deletingLastPathComponent()
        let temporary = parent.appendingPathComponent(".\(folder.lastPathComponent).tmp-\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
        } catch {
            throw ModelError.io(path: temporary.path, reason: "cannot create folder")
        }
        do {
            try writeContents(encoder, into: temporary, baseModelFolder: baseModelFolder, state: state)
            try replace(folder, with: temporary)
        } catch {
            try? manager.removeItem(at: temporary)
            throw error
        }
    }

    private static func writeContents(
        _ encoder: BiEncoder, into folder: URL, baseModelFolder: URL?, state: TrainingState?
    ) throws {
        let model = encoder.model
        try SafeTensors.write(model.hostWeights(), to: folder.appendingPathComponent("model.safetensors"))
        try AtomicFile.write(model.config.jsonData(), to: folder.appendingPathComponent("config.json"))
        var sentenceConfig = "{\n  \"max_seq_length\": 256,\n  \"do_lower_case\": false\n}\n"
        if let base = baseModelFolder {
            for name in tokenizerFiles + ["config_sentence_transformers.json"] {
                let source = base.appendingPathComponent(name)
                guard let data = try? Data(contentsOf: source) else { continue }
                try AtomicFile.write(data, to: folder.appendingPathComponent(name))
            }
            if let text = try? String(contentsOf: base.appendingPathComponent("sentence_bert_config.json"), encoding: .utf8) {
                sentenceConfig = text
            }
        }
        try AtomicFile.write(sentenceConfig, to: folder.appendingPathComponent("sentence_bert_config.json"))
        var modules: [[String: Any]] = [
            ["idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"],
            ["idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"],
        ]
        if encoder.normalize {
            modules.append(["idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"])
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent("2_Normalize"), withIntermediateDirectories: true)
        }
        try AtomicFile.write(json(modules), to: folder.appendingPathComponent("modules.json"))
        let pooling: [String: Any] = [
            "word_embedding_dimension": model.config.hiddenSize,
            "pooling_mode_cls_token": encoder.pooling == .cls, "pooling_mode_mean_tokens": encoder.pooling == .mean,
            "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false,
        ]
        try AtomicFile.write(json(pooling), to: folder.appendingPathComponent("1_Pooling/config.json"))

        if let state { try writeState(state, into: folder) }
    }

    /// Writes `state` as `training_state/` inside `folder` (a checkpoint being assembled): AdamW moments,
    /// step, losses, options, dev progress and the dev-best parameters. Cross-encoder checkpoints use it too.
    ///
    /// - Throws: ``ModelError`` or a ``Diagnostic`` naming the file that could not be written.
    package static func writeState(_ state: TrainingState, into folder: URL) throws {
        let stateFolder = folder.appendingPathComponent("training_state")
        var moments: [String: HostTensor] = [:]
        for (name, tensor) in state.firstMoments { moments["exp_avg." + name] = HostTensor(shape: tensor.shape, values: tensor.scalars) }
        for (name, tensor) in state.secondMoments { moments["exp_avg_sq." + name] = HostTensor(shape: tensor.shape, values: tensor.scalars) }
        try SafeTensors.write(moments, to: stateFolder.appendingPathComponent("optimizer.safetensors"))
        if let best = state.bestParameters {
            try SafeTensors.write(
                best.mapValues { HostTensor(shape: $0.shape, values: $0.scalars) },
                to: stateFolder.appendingPathComponent(bestParametersFile))
        }
        let encoderJSON = JSONEncoder()
        encoderJSON.outputFormatting = [.prettyPrinted, .sortedKeys]
        let record = StateRecord(step: state.step, losses: state.losses, options: state.options, dev: state.dev)
        try AtomicFile.write(encoderJSON.encode(record), to: stateFolder.appendingPathComponent("trainer_state.json"))
    }

    /// Moves `temporary` to `folder`, replacing an existing folder in one atomic swap (``AtomicFolder``).
    private static func replace(_ folder: URL, with temporary: URL) throws {
        do { try AtomicFolder.replace(folder, with: temporary) } catch {
            throw ModelError.io(path: folder.path, reason: "\(error)")
        }
    }

    /// Reads a sentence-transformers folder (any BERT one, e.g. all-MiniLM-L6-v2, or a checkpoint of ours).
    ///
    /// Pooling comes from `1_Pooling/config.json` (mean when absent), normalisation from `modules.json`.
    /// - Returns: the encoder and, for our checkpoints, the training state.
    /// - Throws: ``ModelError`` naming the file at fault.
    package static func load(folder: URL) throws -> (encoder: BiEncoder, state: TrainingState?) {
        let model = try BertModel.load(folder: folder)
        var pooling = Pooling.mean
        if let data = try? Data(contentsOf: folder.appendingPathComponent("1_Pooling/config.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            object["pooling_mode_cls_token"] as? Bool == true
        {
            pooling = .cls
        }
        var normalize = false
        if let data = try? Data(contentsOf: folder.appendingPathComponent("modules.json")),
            let modules = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        {
            normalize = modules.contains { ($0["type"] as? String)?.hasSuffix("Normalize") == true }
        }
        let encoder = BiEncoder(model: model, pooling: pooling, normalize: normalize)

        return (encoder, try readState(in: folder))
    }

    /// Reads the `training_state/` of a checkpoint folder, or nil when it has none.
    ///
    /// - Throws: ``ModelError`` naming a malformed state file.
    package static func readState(in folder: URL) throws -> TrainingState? {
        let stateFolder = folder.appendingPathComponent("training_state")
        let stateURL = stateFolder.appendingPathComponent("trainer_state.json")
        guard FileManager.default.fileExists(atPath: stateURL.path) else { return nil }
        let record: StateRecord
        do { record = try JSONDecoder().decode(StateRecord.self, from: Data(contentsOf: stateURL)) } catch {
            throw ModelError.malformed(path: stateURL.path, expected: "a trainer state", found: "\(error)")
        }
        let optimizerURL = stateFolder.appendingPathComponent("optimizer.safetensors")
        var first: [String: Tensor] = [:], second: [String: Tensor] = [:]
        for (name, tensor) in try SafeTensors.read(optimizerURL) {
            let value = Tensor(shape: tensor.shape, values: tensor.values)
            if name.hasPrefix("exp_avg_sq.") {
                second[String(name.dropFirst("exp_avg_sq.".count))] = value
            } else if name.hasPrefix("exp_avg.") {
                first[String(name.dropFirst("exp_avg.".count))] = value
            }
        }
        let bestURL = stateFolder.appendingPathComponent(bestParametersFile)
        var best: [String: Tensor]?
        if FileManager.default.fileExists(atPath: bestURL.path) {
            best = try SafeTensors.read(bestURL).mapValues { Tensor(shape: $0.shape, values: $0.values) }
        }
        return TrainingState(
            step: record.step, losses: record.losses, firstMoments: first, secondMoments: second, options: record.options,
            dev: record.dev, bestParameters: best)
    }

    /// The best dev model's parameters (by internal name) in `training_state/`, when not the checkpoint's own.
    static let bestParametersFile = "best_parameters.safetensors"

    private struct StateRecord: Codable {
        var step: Int
        var losses: [Float]
        var options: TrainingOptions
        /// Dev-evaluation bookkeeping (absent in checkpoints of runs without a dev split, and in older ones).
        var dev: DevProgress?
    }

    private static func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}
