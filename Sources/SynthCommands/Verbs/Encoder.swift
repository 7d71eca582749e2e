import Foundation
import SynthModels
import SynthValues

/// `encoder`: loads a sentence-transformers bi-encoder (MiniLM by default, or a trained checkpoint).
package enum EncoderCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "encoder",
        summary: "load a sentence-transformers bi-encoder: MiniLM by default, or a model folder",
        discussion: """
            `minilm` (or `all-MiniLM-L6-v2`) is `$SYNTHLAB_HOME/models/all-MiniLM-L6-v2`, installed by \
            `scripts/setup`; anything else is a folder in sentence-transformers layout (`modules.json`, \
            `config.json`, `model.safetensors`, `vocab.txt`, pooling settings), relative to the notebook. \
            Mean pooling and L2 normalisation follow the folder's settings. The weight files' hashes are \
            recorded for the cache.
            """,
        paper: "Reimers & Gurevych 2019, Sentence-BERT; Wang et al. 2020, MiniLM",
        positional: [ArgSpec("model", .word, default: .string("minilm"), doc: "`minilm` or a model folder")],
        result: "encoder",
        example: "enc = encoder minilm")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let name = call.string("model") ?? "minilm"
        let folder =
            ["minilm", "all-MiniLM-L6-v2"].contains(name)
            ? SentenceEncoder.defaultFolder() : try PathPolicy.readableURL(name, in: context, call: call)
        context.progress(ProgressEvent(label: "load encoder \(name)", count: 0, total: nil))
        let encoder = try SentenceEncoder.load(folder: folder)
        let files = ["config.json", "model.safetensors", "vocab.txt", "modules.json"].map {
            encoder.layout.transformerFolder.appendingPathComponent($0)
        }
        return VerbOutcome(value: .object(EncoderObject(encoder, name: name)), filesRead: PathPolicy.hashes(of: files))
    }
}

/// `encode`: embeds texts with an encoder.
package enum EncodeCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "encode",
        summary: "embed texts with a bi-encoder, giving one vector (list of numbers) per text",
        discussion: "Texts are batched by length; vectors are unit length when the model normalises.",
        positional: [ArgSpec("texts", .list(.string), doc: "the texts to embed")],
        keywords: [
            ArgSpec("encoder", .object("encoder"), doc: "the model (from `encoder`)"),
            ArgSpec("batch", .int, default: .int(32), doc: "texts per forward pass"),
        ],
        result: "list",
        example: "vectors = encode [\"vitamin d and fractures\"] encoder=(encoder minilm)")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let model = call.object("encoder", as: EncoderObject.self), let texts = call.strings("texts") else {
            throw call.error("expected texts and an encoder")
        }
        let vectors = model.encoder.embed(texts, batchSize: max(1, call.int("batch") ?? 32))
        return VerbOutcome(value: .list(vectors.map { .list($0.map { .double(Double($0)) }) }))
    }
}
