import Foundation
import SynthModels
import SynthValues

/// `cross_encoder`: a re-ranker — MiniLM (or any BERT folder) with a linear head on [CLS].
package enum CrossEncoderCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "cross_encoder",
        summary: "load a cross-encoder re-ranker: MiniLM with a fresh head, or a saved cross-encoder folder",
        discussion: """
            The model reads `[CLS] query [SEP] passage [SEP]` and scores the pair with a linear head on the \
            [CLS] vector (after BERT's pooler when the checkpoint has one), like Hugging Face's \
            `BertForSequenceClassification`. `minilm` (or `all-MiniLM-L6-v2`) is the bi-encoder installed by \
            `scripts/setup`, which has no classifier: the head is new, drawn from N(0, 0.02) with `seed`, so the \
            model must be trained (`train_cross`) before its scores mean anything. Any other value is a folder \
            relative to the notebook: a Hugging Face BERT folder (`config.json`, `model.safetensors`, \
            `vocab.txt`; its `classifier.*` weights are kept when present, for example a folder saved by \
            `train_cross`) or a sentence-transformers folder. Fields: `name`, `folder`, `steps`, `losses`, \
            `stages`.
            """,
        paper: "Nogueira & Cho 2019, Passage Re-ranking with BERT; Wang et al. 2020, MiniLM",
        positional: [ArgSpec("model", .word, default: .string("minilm"), doc: "`minilm` or a model folder")],
        keywords: [ArgSpec("seed", .int, default: .int(0), doc: "seed of the fresh head (when the folder has none)")],
        result: "cross_encoder",
        example: "ce = cross_encoder minilm seed=0")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let name = call.string("model") ?? "minilm"
        let seed = call.int("seed") ?? 0
        guard seed >= 0 else { throw call.error("expected seed ≥ 0, found \(seed)") }
        let folder =
            ["minilm", "all-MiniLM-L6-v2"].contains(name)
            ? SentenceEncoder.defaultFolder() : try PathPolicy.readableURL(name, in: context, call: call)
        context.progress(ProgressEvent(label: "load cross_encoder \(name)", count: 0, total: nil))
        try Task.checkCancellation()
        let object = try CrossEncoderObject.load(folder: folder, name: call.target ?? name, seed: UInt64(seed))
        let files = [
            object.folder.appendingPathComponent("config.json"), object.folder.appendingPathComponent("model.safetensors"),
            object.tokenizerFolder.appendingPathComponent("vocab.txt"),
        ]
        return VerbOutcome(value: .object(object), filesRead: PathPolicy.hashes(of: files))
    }
}
