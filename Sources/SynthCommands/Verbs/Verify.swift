import Foundation
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// `verify`: the teacher judges each synthetic query against its positive; "no" rejects it.
package enum VerifyCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "verify",
        summary:
            "ask the teacher whether each synthetic query's positive answers it, rejecting those below a threshold",
        discussion: """
            The teacher answers yes or no; the probability of yes (from the top log-probs) must reach \
            `threshold`. Rejected records stay in the set with the reason (Syntriever's self-verification keeps \
            a rejected synthetic positive as a hard negative).
            """,
        paper: "Kim & Baek 2025, Syntriever (self-verification)",
        positional: [ArgSpec("set", .object("synthetic_set"), doc: "the synthetic records to verify")],
        keywords: [
            ArgSpec("teacher", .object("teacher"), doc: "the LLM (from `llm`)"),
            ArgSpec("threshold", .number, default: .double(0.5), doc: "minimum probability of yes"),
            ArgSpec("template", .string, default: .string("verify-relevance"), doc: "the prompt template"),
            ArgSpec("seed", .int, default: .int(0), doc: "sampling seed"),
        ],
        result: "synthetic_set",
        example: "checked = verify queries teacher=t threshold=0.6")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let set = call.object("set", as: SyntheticSet.self),
            let teacher = call.object("teacher", as: TeacherObject.self)
        else { throw call.error("expected a synthetic set and a teacher") }
        var files: [URL] = []
        let verification = RelevanceVerification(
            template: try SynthesisSupport.template(
                call.string("template") ?? "verify-relevance", context, files: &files, call: call),
            threshold: call.double("threshold") ?? 0.5, seed: call.int("seed") ?? 0, concurrency: teacher.concurrency)
        let verified = try await verification.run(
            set, session: teacher.session, progress: SynthesisSupport.progress("verify", context))
        return SynthesisSupport.outcome(verified, before: set.counts, teacher: teacher, files: files)
    }
}

/// `filter`: Promptagator's round-trip consistency filter over synthetic queries.
package enum FilterCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "filter",
        summary:
            "keep synthetic queries whose positive passage a retriever ranks in its top k (round-trip consistency)",
        discussion: """
            Each accepted record's query is searched with `retriever`; the record is rejected when its source \
            passage is not among the first `top_k` results. With `encoder=` and `on=` a dense retriever over \
            `on`'s corpus must agree too (both round trips must pass; the corpus is embedded once, so keep it \
            small in debug builds). Each record keeps its reciprocal ranks as `rr_bm25` / `rr_dense`. No LLM calls.
            """,
        paper: "Dai et al. 2023, Promptagator (round-trip filtering)",
        positional: [ArgSpec("set", .object("synthetic_set"), doc: "the synthetic queries to filter")],
        keywords: [
            ArgSpec("retriever", .object("bm25_index"), doc: "the index used for the round trip"),
            ArgSpec("top_k", .int, default: .int(3), doc: "rank the positive must reach"),
            ArgSpec(
                "encoder", .object("encoder"), optional: true, doc: "also require a dense round trip with this encoder"),
            ArgSpec(
                "on", .object("dataset"), optional: true,
                doc: "the corpus the dense retriever searches (with `encoder`)"),
        ],
        result: "synthetic_set",
        example: "kept = filter queries retriever=index top_k=3")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let set = call.object("set", as: SyntheticSet.self),
            let index = call.object("retriever", as: BM25Index.self)
        else { throw call.error("expected a synthetic set and a retriever") }
        var retrievers: [any PassageRetriever] = [BM25Retriever(index: index)]
        if let encoder = call.object("encoder", as: EncoderObject.self) {
            guard let corpus = call.object("on", as: BEIRDataset.self) else {
                throw call.error(
                    "expected `on=` (a dataset) with `encoder=`", notes: ["the dense retriever searches its corpus"])
            }
            let progress = SynthesisSupport.progress("filter: embed corpus", context)
            retrievers.append(EncoderRetriever(encoder: encoder.encoder, documents: corpus.corpus, progress: progress))
        }
        let filter = RoundTripFilter(retrievers: retrievers, topK: call.int("top_k") ?? 3)
        let filtered = try await filter.run(set, progress: SynthesisSupport.progress("filter", context))
        return VerbOutcome(value: .object(filtered), outputs: [.text(filtered.summary)])
    }
}
