import Foundation
import SynthModels
import SynthValues

/// A cross-encoder re-ranker as a language value (type `cross_encoder`): made by `cross_encoder`, trained by
/// `train_cross`, used by `rerank`.
///
/// Besides the model and its tokenizer it keeps where its weights live (``folder``; a fresh head is rebuilt from
/// ``headSeed`` when the folder has no classifier) and its training history: one ``Stage`` per `train_cross`
/// call, so a two-stage model reads `lce 30 steps → ranknet 30 steps`.
package struct CrossEncoderObject: DomainObject {
    /// One training stage the model went through.
    package struct Stage: Sendable, Equatable, Codable {
        /// The loss (`lce`, `ranknet`).
        package var loss: String
        /// Optimizer steps of the stage.
        package var steps: Int
        /// Training groups (queries) the stage had.
        package var groups: Int

        package init(loss: String, steps: Int, groups: Int) {
            self.loss = loss
            self.steps = steps
            self.groups = groups
        }
    }

    package var model: CrossEncoder
    package var tokenizer: WordPieceTokenizer
    /// The model as the notebook named it.
    package var name: String
    /// The folder holding `config.json` and `model.safetensors` (the base model or the saved trained one).
    package var folder: URL
    /// Where the tokenizer files come from (`vocab.txt`, `tokenizer_config.json`).
    package var tokenizerFolder: URL
    /// The seed of the fresh classifier head, when ``folder`` holds none.
    package var headSeed: UInt64
    /// The loss of every optimizer step over all stages.
    package var losses: [Double]
    /// The training stages, oldest first.
    package var stages: [Stage]

    package init(
        model: CrossEncoder, tokenizer: WordPieceTokenizer, name: String, folder: URL, tokenizerFolder: URL,
        headSeed: UInt64 = 0, losses: [Double] = [], stages: [Stage] = []
    ) {
        self.model = model
        self.tokenizer = tokenizer
        self.name = name
        self.folder = folder
        self.tokenizerFolder = tokenizerFolder
        self.headSeed = headSeed
        self.losses = losses
        self.stages = stages
    }

    /// Loads a cross-encoder from a Hugging Face BERT folder or a sentence-transformers folder (its transformer
    /// module); a folder without `classifier.*` weights gets a fresh head from `seed`.
    ///
    /// - Throws: ``ModelError`` or ``TokenizerError`` naming the file at fault.
    package static func load(folder: URL, name: String, seed: UInt64) throws -> CrossEncoderObject {
        let layout = try SentenceTransformerLayout.read(folder: folder)
        let tokenizer = try layout.wordPieceTokenizer()
        let model = try CrossEncoder.load(folder: layout.transformerFolder, seed: seed)
        return CrossEncoderObject(
            model: model, tokenizer: tokenizer, name: name, folder: layout.transformerFolder,
            tokenizerFolder: layout.transformerFolder, headSeed: seed)
    }

    /// `lce 30 steps → ranknet 30 steps`, or `untrained`.
    package var history: String {
        stages.isEmpty ? "untrained" : stages.map { "\($0.loss) \($0.steps) steps" }.joined(separator: " → ")
    }

    package var typeName: String { "cross_encoder" }
    package var summary: String {
        "cross_encoder \(name): \(model.model.config.numHiddenLayers) layers, \(model.model.config.hiddenSize) "
            + "hidden, \(history)"
    }
    package var fieldNames: [String] { ["name", "folder", "losses", "steps", "stages"] }

    /// `name`, `folder`, `losses` (all stages), `steps` (all stages), `stages` (list of `{loss, steps, groups}`).
    package func field(_ name: String) -> Value? {
        switch name {
        case "name": .string(self.name)
        case "folder": .string(folder.path)
        case "losses": .list(losses.map { .double($0) })
        case "steps": .int(stages.reduce(0) { $0 + $1.steps })
        case "stages":
            .list(
                stages.map {
                    .record(Record([("loss", .string($0.loss)), ("steps", .int($0.steps)), ("groups", .int($0.groups))]))
                })
        default: nil
        }
    }
}
