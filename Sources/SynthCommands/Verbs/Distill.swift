import Foundation
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// `distill`: teacher relevance labels (pointwise, pairwise or listwise) for retrieved candidates.
package enum DistillCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "distill",
        summary: "label each query's top-k retrieved passages with the teacher: pointwise, pairwise or listwise",
        discussion: """
            The queries are the accepted records of a `synthetic_set` or the first `queries` judged queries of a \
            dataset split; candidates are the `top_k` documents `retriever` ranks for each, with texts from \
            `on`'s corpus. `pointwise` asks a yes/no relevance question (probability from log-probs); `pairwise` \
            asks which of two passages answers better (both orders with `both_orders=true`, Syntriever stage 2); \
            `listwise` ranks sliding windows of `window` passages (RankGPT-style). With a trained cross-encoder \
            as `teacher` (GPL-style), `pointwise` labels are its logits (the margins a student learns are their \
            differences) and `listwise` sorts the candidates by them; no LLM calls. Returns a `synthetic_set` of \
            labelled candidates for `train_cross loss="ranknet"`, `align` (pairwise) or `export … \
            format="sentence-transformers"`.
            """,
        paper:
            "Kim & Baek 2025, Syntriever (pairwise); Sun et al. 2023, RankGPT (listwise); Pezzuti et al. 2025 "
            + "(listwise teachers); Wang et al. 2022, GPL (cross-encoder teacher)",
        positional: [
            ArgSpec(
                "kind", .choice(["pointwise", "pairwise", "listwise"]), default: .string("pairwise"),
                doc: "the kind of labels")
        ],
        keywords: [
            ArgSpec("from", .oneOf([.object("synthetic_set"), .object("dataset")]), doc: "the queries to label"),
            ArgSpec(
                "teacher", .oneOf([.object("teacher"), .object("cross_encoder")]),
                doc: "the LLM (from `llm`) or a trained cross-encoder (pointwise and listwise)"),
            ArgSpec("retriever", .object("bm25_index"), doc: "the index that proposes candidates"),
            ArgSpec("on", .object("dataset"), doc: "the dataset whose corpus holds the candidate texts"),
            ArgSpec(
                "split", .string, default: .string("train"), doc: "the split of the queries when `from` is a dataset"),
            ArgSpec("queries", .int, default: .int(20), doc: "how many queries to label"),
            ArgSpec("top_k", .int, default: .int(5), doc: "candidates per query"),
            ArgSpec("both_orders", .bool, default: .bool(false), doc: "ask pairwise questions in both orders"),
            ArgSpec("window", .int, default: .int(4), doc: "listwise window size"),
            ArgSpec("stride", .int, default: .int(2), doc: "listwise window stride"),
            ArgSpec(
                "template", .string, optional: true,
                doc: "the prompt template (default: verify-relevance, pairwise-preference or listwise-rank)"),
            ArgSpec("seed", .int, default: .int(0), doc: "sampling seed"),
        ],
        result: "synthetic_set",
        example: "labels = distill pairwise from=queries teacher=t retriever=index on=data top_k=4 both_orders=true")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let crossEncoder = call.object("teacher", as: CrossEncoderObject.self)
        let teacher = call.object("teacher", as: TeacherObject.self)
        guard teacher != nil || crossEncoder != nil,
            let index = call.object("retriever", as: BM25Index.self),
            let corpus = call.object("on", as: BEIRDataset.self)
        else { throw call.error("expected a teacher, a retriever and a dataset") }
        let kind = Distillation.Kind(rawValue: call.string("kind") ?? "pairwise") ?? .pairwise
        let limit = max(1, call.int("queries") ?? 20)
        var inputs: [Distillation.Input] = []
        if let set = call.object("from", as: SyntheticSet.self) {
            inputs = set.accepted.prefix(limit).map { Distillation.Input(id: $0.id, text: $0.query) }
        } else if let dataset = call.object("from", as: BEIRDataset.self) {
            let split = try DatasetSplit.choose(call.string("split") ?? "train", in: dataset, call: call)
            inputs = try dataset.queries(split: split).prefix(limit).map {
                Distillation.Input(id: $0.id, text: $0.text)
            }
        }
        if let crossEncoder {
            guard kind != .pairwise else {
                throw call.error(
                    "expected pointwise or listwise with a cross-encoder teacher, found pairwise",
                    notes: ["pairwise preferences need an LLM teacher (`llm`)"])
            }
            let set = try await CrossEncoderTeacher.label(
                kind: kind, queries: inputs, teacher: crossEncoder, retriever: BM25Retriever(index: index),
                passage: SynthesisSupport.passageLookup(corpus), topK: max(1, call.int("top_k") ?? 5),
                progress: SynthesisSupport.progress("distill \(kind.rawValue)", context))
            return VerbOutcome(value: .object(set), outputs: [.text(set.summary)])
        }
        guard let teacher else { throw call.error("expected a teacher") }
        let defaultTemplate = [
            "pointwise": "verify-relevance", "pairwise": "pairwise-preference", "listwise": "listwise-rank",
        ]
        var files: [URL] = []
        let template = try SynthesisSupport.template(
            call.string("template") ?? defaultTemplate[kind.rawValue]!, context, files: &files, call: call)
        let distillation = Distillation(
            kind: kind, template: template, topK: call.int("top_k") ?? 5, bothOrders: call.bool("both_orders") ?? false,
            window: call.int("window") ?? 4, stride: call.int("stride") ?? 2, seed: call.int("seed") ?? 0)
        let set = try await distillation.run(
            queries: inputs, retriever: BM25Retriever(index: index), passage: SynthesisSupport.passageLookup(corpus),
            session: teacher.session, progress: SynthesisSupport.progress("distill \(kind.rawValue)", context))
        return SynthesisSupport.outcome(set, teacher: teacher, files: files)
    }
}
