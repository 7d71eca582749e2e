import SynthMetrics
import SynthRetrieval
import SynthValues

/// `evaluate`: scores runs (or retrievers) against a dataset's judgements with trec_eval measures.
package enum EvaluateCommand: VerbCommand {
    /// The measures `evaluate` reports when none are given.
    package static let defaultMeasures: [String] = ["ndcg_cut.10", "recall.100"]

    package static let spec = VerbSpec(
        name: "evaluate",
        summary: "score one or more runs or retrievers against a dataset's qrels with trec_eval measures",
        discussion: """
            Each system is a run, a BM25 or dense index (searched on the split's queries first, keeping `top_k`), or a \
            record naming several (`{bm25: run1, minilm: run2}`). A system written as a variable is named after \
            it. Measures use trec_eval's spelling (`ndcg_cut.10`, `recall.100`, `P.10`, `recip_rank`, `map`, \
            `map_cut.100`) and its semantics (graded nDCG, queries without results excluded unless \
            `complete=true`). The means are recorded under `label` in the run's results (the report's JSON). \
            Unassigned, the statement shows a table; the result's fields are `ndcg_cut_10` etc. (first system) \
            and one record per system (`results.bm25.recall_100`).
            """,
        paper: "trec_eval 9 / pytrec_eval (Van Gysel & de Rijke, SIGIR 2018)",
        positional: [
            ArgSpec(
                "systems", .oneOf([.object("run"), .object("bm25_index"), .object("dense_index"), .record]),
                variadic: true,
                doc: "runs, retrievers, or a record of named ones")
        ],
        keywords: [
            ArgSpec("on", .object("dataset"), doc: "the dataset whose qrels judge the runs"),
            ArgSpec("split", .string, optional: true, doc: "the qrels split (default: the only one, else `test`)"),
            ArgSpec(
                "measures", .list(.string), default: .list(defaultMeasures.map { .string($0) }),
                doc: "trec_eval measure names", validate: validateMeasures),
            ArgSpec(
                "label", .string, optional: true,
                doc: "the name results are recorded under (default: the variable assigned)"),
            ArgSpec("top_k", .int, default: .int(1000), doc: "documents retrieved per query for retrievers"),
            ArgSpec(
                "complete", .bool, default: .bool(false),
                doc: "count judged queries missing from a run as 0 (trec_eval -c)"),
        ],
        result: "evaluation",
        example: "results = evaluate run1 on=data measures=[\"ndcg_cut.10\", \"recall.100\"] label=\"main\"")

    /// Parses measure names; the diagnostic carries the metrics module's message and hint.
    @Sendable static func validateMeasures(_ value: Value) -> Diagnostic? {
        guard case .list(let items) = value else { return nil }
        if items.isEmpty { return Diagnostic(.error, "expected at least one measure, found an empty list") }
        for case .string(let name) in items {
            do { _ = try Measure.parseList(name) } catch { return error.diagnostic }
        }
        return nil
    }

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let dataset = call.object("on", as: BEIRDataset.self) else { throw call.error("expected a dataset") }
        let split = try DatasetSplit.choose(call.string("split"), in: dataset, call: call)
        guard let qrels = dataset.qrels[split] else { throw call.error("expected judgements for \(split)") }
        var measures: [Measure] = []
        for name in call.strings("measures") ?? defaultMeasures {
            for measure in try Measure.parseList(name) where !measures.contains(measure) { measures.append(measure) }
        }
        var named: [(String, Value)] = []
        for (index, item) in call.variadic.enumerated() {
            if case .record(let record) = item.value {
                named += record.pairs.map { ($0.key, $0.value) }
            } else {
                named.append((item.label ?? defaultName(item.value, index: index), item.value))
            }
        }
        guard !named.isEmpty else { throw call.error("expected at least one run or retriever to evaluate") }
        var seen: Set<String> = []
        var systems: [EvaluationObject.System] = []
        for (name, value) in named {
            guard seen.insert(name).inserted else {
                throw call.error("expected distinct system names, found `\(name)` twice")
            }
            let run = try await runOf(value, name: name, dataset: dataset, split: split, call: call, context: context)
            let evaluation = evaluate(
                qrels: qrels, run: run, measures: measures, completeQueries: call.bool("complete") ?? false)
            systems.append(EvaluationObject.System(name: name, evaluation: evaluation))
        }
        let label = call.string("label") ?? call.target ?? "evaluation"
        let object = EvaluationObject(label: label, split: split, measures: measures, systems: systems)
        return VerbOutcome(value: .object(object), results: [label: object.results])
    }

    private static func defaultName(_ value: Value, index: Int) -> String {
        if case .object(let object as RunObject) = value { return object.run.name }
        if case .object(is BM25Index) = value { return "bm25" }
        return "system\(index + 1)"
    }

    /// The run of a system: itself, or a retriever's search over the split's queries.
    private static func runOf(
        _ value: Value, name: String, dataset: BEIRDataset, split: String, call: VerbCall, context: ExecutionContext
    ) async throws -> Run {
        switch value {
        case .object(let object as RunObject): return object.run
        case .object(let index as BM25Index):
            let topK = call.int("top_k") ?? 1000
            return try await SearchCommand.retrieve(
                index: index, queries: try dataset.queries(split: split), topK: topK, name: name, context: context)
        case .object(let dense as DenseIndexObject):
            try Task.checkCancellation()
            return dense.retriever.search(
                try dataset.queries(split: split), topK: call.int("top_k") ?? 1000, name: name)
        default:
            throw call.error("expected a run or retriever for system `\(name)`, found \(value.typeName)")
        }
    }
}
