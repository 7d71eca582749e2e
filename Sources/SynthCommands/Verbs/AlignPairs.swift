import Foundation
import SynthModels
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// `align pairs`: Syntriever stage-2 data — pairwise LLM preferences over a bi-encoder's own top-k passages.
package enum AlignPairsCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "align", subcommand: "pairs",
        summary: "ask the teacher which of each pair of an encoder's top-k passages better answers each query",
        discussion: """
            Syntriever stage 2 (data): for each of the first `queries` judged queries of `split` (or the \
            accepted queries of a `synthetic_set`), the encoder — the stage-1 model — ranks `on`'s corpus and \
            the teacher compares every pair of its `top_k` passages with the `pairwise-preference` template (one \
            request per pair, k(k−1)/2 per query, answers kept in the response store; the answer's first digit, \
            1 or 2, is the choice). Pairwise judges favour a position, so `both_orders=true` asks each pair in \
            both orders and rejects pairs whose answers disagree. Each judgement is a `pairwise` record (query, \
            preferred passage as positive, the other as negative) for `align`. The corpus is embedded once per \
            call.
            """,
        paper: "Kim & Baek 2025, Syntriever (NAACL Findings, arXiv 2502.03824), stage 2",
        positional: [ArgSpec("encoder", .object("encoder"), doc: "the retriever proposing candidates (stage-1 model)")],
        keywords: [
            ArgSpec("from", .oneOf([.object("dataset"), .object("synthetic_set")]), doc: "the queries"),
            ArgSpec("on", .object("dataset"), doc: "the dataset whose corpus is searched"),
            ArgSpec("teacher", .object("teacher"), doc: "the LLM (from `llm`)"),
            ArgSpec(
                "split", .string, default: .string("train"), doc: "the split of the queries when `from` is a dataset"),
            ArgSpec("queries", .int, default: .int(20), doc: "how many queries"),
            ArgSpec("top_k", .int, default: .int(5), doc: "candidates per query (the paper: 5, 10 pairs)"),
            ArgSpec("both_orders", .bool, default: .bool(false), doc: "ask each pair in both orders"),
            ArgSpec(
                "template", .string, default: .string("pairwise-preference"), doc: "the prompt template name"),
            ArgSpec("seed", .int, default: .int(0), doc: "sampling seed"),
        ],
        result: "synthetic_set",
        example: "prefs = align pairs (encoder minilm) from=data on=data teacher=t queries=10 top_k=4")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let encoder = call.object("encoder", as: EncoderObject.self),
            let corpus = call.object("on", as: BEIRDataset.self),
            let teacher = call.object("teacher", as: TeacherObject.self)
        else { throw call.error("expected an encoder, a dataset and a teacher") }
        let topK = call.int("top_k") ?? 5
        guard topK >= 2, topK <= 20 else { throw call.error("expected top_k between 2 and 20, found \(topK)") }
        let limit = max(1, call.int("queries") ?? 20)
        var inputs: [Distillation.Input] = []
        if let set = call.object("from", as: SyntheticSet.self) {
            inputs = set.accepted.filter { !$0.query.isEmpty }.prefix(limit).map {
                Distillation.Input(id: $0.queryID ?? $0.id, text: $0.query)
            }
        } else if let dataset = call.object("from", as: BEIRDataset.self) {
            let split = try DatasetSplit.choose(call.string("split") ?? "train", in: dataset, call: call)
            inputs = try dataset.queries(split: split).prefix(limit).map {
                Distillation.Input(id: $0.id, text: $0.text)
            }
        }
        guard !inputs.isEmpty else { throw call.error("expected at least one query, found none") }
        var files: [URL] = []
        let template = try SynthesisSupport.template(
            call.string("template") ?? "pairwise-preference", context, files: &files, call: call)
        let retriever = EncoderRetriever(
            encoder: encoder.encoder, documents: corpus.corpus, name: encoder.name,
            progress: SynthesisSupport.progress("align pairs: embed corpus", context))
        let distillation = Distillation(
            kind: .pairwise, template: template, topK: topK, bothOrders: call.bool("both_orders") ?? false,
            seed: call.int("seed") ?? 0)
        let set = try await distillation.run(
            queries: inputs, retriever: retriever, passage: SynthesisSupport.passageLookup(corpus),
            session: teacher.session, progress: SynthesisSupport.progress("align pairs", context))
        return SynthesisSupport.outcome(set, teacher: teacher, files: files)
    }
}
