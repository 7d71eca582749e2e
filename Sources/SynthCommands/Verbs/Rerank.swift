import Foundation
import SynthMetrics
import SynthModels
import SynthRetrieval
import SynthValues

/// `rerank`: re-scores the top of a first-stage run with a cross-encoder.
package enum RerankCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "rerank",
        summary: "re-rank the top_k documents of each query of a run with a cross-encoder, giving a new run",
        discussion: """
            For every query of `run` that `on` has, the `top_k` best documents are scored as `[CLS] query [SEP] \
            title text [SEP]` pairs (truncated to `max_length` tokens, longest part first) and sorted by the \
            cross-encoder's score. The new run holds only those `top_k` documents, so its recall at `top_k` \
            equals the first stage's and measures deeper than `top_k` are meaningless. Cost grows with queries × \
            `top_k` × `max_length`: measure on a slice first. Give the run to `evaluate` like any other.
            """,
        paper: "Nogueira & Cho 2019, Passage Re-ranking with BERT",
        positional: [ArgSpec("model", .object("cross_encoder"), doc: "the re-ranker (from `cross_encoder` or `train_cross`)")],
        keywords: [
            ArgSpec("run", .object("run"), doc: "the first-stage run (from `search`)"),
            ArgSpec("on", .object("dataset"), doc: "the dataset holding the query and document texts"),
            ArgSpec("top_k", .int, default: .int(100), doc: "documents re-scored per query"),
            ArgSpec("max_length", .int, default: .int(256), doc: "token limit of a (query, document) pair"),
            ArgSpec("batch", .int, default: .int(32), doc: "pairs per forward pass"),
            ArgSpec("name", .string, optional: true, doc: "the run's name (default: the variable assigned)"),
        ],
        result: "run",
        example: "reranked = rerank (cross_encoder minilm) run=run1 on=data top_k=100")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let model = call.object("model", as: CrossEncoderObject.self),
            let first = call.object("run", as: RunObject.self),
            let dataset = call.object("on", as: BEIRDataset.self)
        else { throw call.error("expected a cross-encoder, a run and a dataset") }
        let topK = call.int("top_k") ?? 100
        let maxLength = call.int("max_length") ?? 256
        let batch = call.int("batch") ?? 32
        guard topK >= 1 else { throw call.error("expected top_k ≥ 1, found \(topK)") }
        guard maxLength >= 8 else { throw call.error("expected max_length ≥ 8, found \(maxLength)") }
        guard batch >= 1 else { throw call.error("expected batch ≥ 1, found \(batch)") }
        var queries: [String: String] = [:]
        for query in dataset.queries { queries[query.id] = query.text }
        let known = first.run.queryIDs.filter { queries[$0] != nil }
        guard !known.isEmpty else {
            throw call.error(
                "expected the run's queries in \(dataset.name), found none of its \(first.run.queryIDs.count) queries")
        }
        var documents: [String: String] = [:]
        for document in dataset.corpus { documents[document.id] = document.indexedText }
        let name = call.string("name") ?? call.target ?? first.run.name + "+ce"
        let reranker = CrossEncoderReranker(
            model: model.model, tokenizer: model.tokenizer, maxLength: maxLength, batchSize: batch)
        let sink = context.progress
        // Query by query, so progress is reported and a cancelled cell stops between queries.
        var result = Run(name: name)
        for (done, qid) in known.enumerated() {
            try Task.checkCancellation()
            var single = Run(name: name)
            single[qid] = first.run.ranked(qid)
            let part = reranker.rerank(
                single, queries: [qid: queries[qid]!], documents: documents, depth: topK, name: name)
            result[qid] = part.ranked(qid)
            sink(ProgressEvent(label: "rerank \(name)", count: done + 1, total: known.count))
        }
        let pairs = result.entryCount
        let line =
            "rerank \(name): \(model.name) (\(model.history)) re-scored the top \(topK) of \(first.run.name) for "
            + "\(known.count) queries (\(pairs) pairs, ≤ \(maxLength) tokens)"
        return VerbOutcome(value: .object(RunObject(result)), outputs: [.text(line)])
    }
}
