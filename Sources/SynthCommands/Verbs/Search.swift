import SynthMetrics
import SynthRetrieval
import SynthValues

/// `search`: ranks a dataset's queries with a retriever, giving a run.
package enum SearchCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "search",
        summary: "rank the queries of a dataset split with a retriever, giving a run",
        discussion: """
            The queries are those judged in `split` (default: the dataset's only split, else `test`). The run \
            keeps the `top_k` best documents per query; its fields are `name`, `queries`, `results`, `depth`.
            """,
        positional: [
            ArgSpec("retriever", .oneOf([.object("bm25_index"), .object("dense_index")]), doc: "the index to search")
        ],
        keywords: [
            ArgSpec("on", .object("dataset"), doc: "the dataset whose queries are searched"),
            ArgSpec("split", .string, optional: true, doc: "the split whose judged queries are searched"),
            ArgSpec("top_k", .int, default: .int(1000), doc: "documents kept per query"),
            ArgSpec("name", .string, optional: true, doc: "the run's name (default: the variable assigned)"),
        ],
        result: "run",
        example: "run1 = search index on=data top_k=100")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let dataset = call.object("on", as: BEIRDataset.self) else { throw call.error("expected a dataset") }
        let split = try DatasetSplit.choose(call.string("split"), in: dataset, call: call)
        let topK = call.int("top_k") ?? 1000
        guard topK > 0 else { throw call.error("expected top_k ≥ 1, found \(topK)") }
        let queries = try dataset.queries(split: split)
        let name = call.string("name") ?? call.target ?? "run"
        let run: Run
        if let dense = call.object("retriever", as: DenseIndexObject.self) {
            try Task.checkCancellation()
            run = dense.retriever.search(queries, topK: topK, name: name)
        } else if let index = call.object("retriever", as: BM25Index.self) {
            run = try await retrieve(index: index, queries: queries, topK: topK, name: name, context: context)
        } else {
            throw call.error("expected a retriever")
        }
        return VerbOutcome(value: .object(RunObject(run)))
    }

    /// Searches in batches so progress is reported and cancellation is honoured between batches.
    static func retrieve(
        index: BM25Index, queries: [Query], topK: Int, name: String, context: ExecutionContext
    ) async throws -> Run {
        var run = Run(name: name)
        let batch = 64
        for start in stride(from: 0, to: queries.count, by: batch) {
            try Task.checkCancellation()
            let slice = Array(queries[start..<min(start + batch, queries.count)])
            let part = index.search(slice, topK: topK, runName: name)
            run.rankings.merge(part.rankings) { _, new in new }
            context.progress(
                ProgressEvent(
                    label: "search \(name)", count: min(start + batch, queries.count),
                    total: queries.count))
        }
        return run
    }
}

/// Picks the split a verb works on.
enum DatasetSplit {
    /// `requested`, else the dataset's only split, else `test`; an error when the dataset lacks it.
    static func choose(_ requested: String?, in dataset: BEIRDataset, call: VerbCall) throws -> String {
        let split = requested ?? (dataset.splits.count == 1 ? dataset.splits[0] : "test")
        guard dataset.qrels[split] != nil else {
            let hint = nearestName(to: split, in: dataset.splits).map { ["did you mean `\($0)`?"] } ?? []
            throw call.error(
                "expected a split of \(dataset.name) (\(dataset.splits.joined(separator: ", "))), found \"\(split)\"",
                notes: hint)
        }
        return split
    }
}
