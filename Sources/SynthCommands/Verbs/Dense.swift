import SynthModels
import SynthRetrieval
import SynthValues

/// `dense`: embeds a dataset's corpus with a bi-encoder for exact inner-product search.
package enum DenseCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "dense",
        summary: "embed a dataset's corpus with a bi-encoder for dense (inner product) retrieval",
        discussion: """
            Documents are embedded as BEIR does for sentence-transformers models (`title + " " + text`, \
            truncated to the model's token limit, batched by length). Embeddings are cached in \
            `.synthlab/dense/` under the hashes of the model files and the corpus, so re-runs and other \
            notebooks with the same model and corpus skip the work. Search the index with `search`, or give it \
            to `evaluate`; queries are embedded at search time and ranked exactly by inner product (cosine for \
            normalised models).
            """,
        paper: "Karpukhin et al. 2020 (DPR); Thakur et al. 2021, BEIR",
        positional: [
            ArgSpec("encoder", .object("encoder"), doc: "the model (from `encoder` or `train`)"),
            ArgSpec("data", .object("dataset"), doc: "the dataset whose corpus is embedded"),
        ],
        keywords: [ArgSpec("batch", .int, default: .int(32), doc: "texts per forward pass")],
        result: "dense_index",
        example: "dindex = dense (encoder minilm) data batch=32")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let model = call.object("encoder", as: EncoderObject.self),
            let dataset = call.object("data", as: BEIRDataset.self)
        else { throw call.error("expected an encoder and a dataset") }
        let sink = context.progress
        try Task.checkCancellation()
        let retriever = try DenseRetriever.build(
            encoder: model.encoder, documents: dataset.corpus, batchSize: max(1, call.int("batch") ?? 32),
            cache: DenseEmbeddingCache(folder: context.stateFolder.appendingPathComponent("dense"))
        ) { done, total in sink(ProgressEvent(label: "dense \(model.name)", count: done, total: total)) }
        return VerbOutcome(value: .object(DenseIndexObject(retriever, model: model.name)))
    }
}
