import Foundation
import SynthMetrics
import SynthModels
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// `critique`: critique → revise chains over synthetic queries, accepted by a reward rule (dSC).
package enum CritiqueCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "critique",
        summary:
            "improve synthetic queries by critique → revise chains, keeping revisions by a reward and acceptance rule",
        discussion: """
            For each accepted record, the teacher critiques the query against its passage and proposes a \
            revision; the revision replaces the query when the acceptance rule says so, given the reward of \
            both: `judge` (log of the teacher's yes/no relevance probability), `retrieval` (reciprocal rank of the \
            positive passage in the `top_k` of `index`, a BM25 or dense index) or `model` (a trained \
            cross-encoder's logit for the query and its positive, given as `model=`). Rules: `metropolis` (accept with \
            probability min(1, exp((r' − r)/temperature)), Distilled Self-Critique), `strict` (only \
            improvements), `always`; a revision copied from the passage is never accepted. Shows the acceptance rate and the mean reward before and after; returns a \
            new `synthetic_set` whose `critique` field holds every chain: `rewards_before`, `rewards_after`, \
            `rewards_proposed`, `acceptance_rate`, `acceptance_by_step`, `trace` and more.
            """,
        paper: "Gallego 2024, Distilled Self-Critique of LLMs with Synthetic Data (dSC)",
        positional: [ArgSpec("set", .object("synthetic_set"), doc: "the synthetic queries to improve")],
        keywords: [
            ArgSpec("teacher", .object("teacher"), doc: "the LLM (from `llm`)"),
            ArgSpec(
                "reward", .choice(["judge", "retrieval", "model"]), default: .string("judge"),
                doc: "how a query is scored"),
            ArgSpec(
                "model", .object("cross_encoder"), optional: true,
                doc: "the trained cross-encoder of the `model` reward"),
            ArgSpec(
                "index", .oneOf([.object("bm25_index"), .object("dense_index")]), optional: true,
                doc: "the index for the `retrieval` reward"),
            ArgSpec("top_k", .int, default: .int(10), doc: "the `retrieval` reward's depth (0 beyond it)"),
            ArgSpec(
                "rule", .choice(["metropolis", "strict", "always"]), default: .string("metropolis"),
                doc: "the acceptance rule"),
            ArgSpec("temperature", .number, default: .double(1), doc: "Metropolis temperature"),
            ArgSpec("steps", .int, default: .int(1), doc: "critique → revise rounds per query"),
            ArgSpec("seed", .int, default: .int(0), doc: "sampling and acceptance seed"),
        ],
        result: "synthetic_set",
        example: "better = critique queries teacher=t reward=\"retrieval\" index=index steps=2")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let set = call.object("set", as: SyntheticSet.self),
            let teacher = call.object("teacher", as: TeacherObject.self)
        else { throw call.error("expected a synthetic set and a teacher") }
        var files: [URL] = []
        let reward: any SampleReward
        if call.string("reward") == "model" {
            guard let model = call.object("model", as: CrossEncoderObject.self) else {
                throw call.error(
                    "expected `model=` (a cross_encoder) for the model reward", notes: ["e.g. model = train_cross …"])
            }
            reward = CrossEncoderReward(model: model)
        } else if call.string("reward") == "retrieval" {
            let topK = call.int("top_k") ?? 10
            guard topK > 0 else { throw call.error("expected top_k > 0, found \(topK)") }
            if let index = call.object("index", as: BM25Index.self) {
                reward = RetrievalReward(retriever: BM25Retriever(index: index), topK: topK)
            } else if let dense = call.object("index", as: DenseIndexObject.self) {
                let retriever = dense.retriever
                reward = RetrievalReward(
                    retriever: ClosureRetriever(name: dense.model) { text, k in
                        let run = retriever.search([Query(id: "q", text: text)], topK: k)
                        return run.ranked("q").map(\.docID)
                    }, topK: topK)
            } else {
                throw call.error("expected `index=` for the retrieval reward", notes: ["e.g. index = bm25 data"])
            }
        } else {
            let verification = RelevanceVerification(
                template: try SynthesisSupport.template("verify-relevance", context, files: &files, call: call),
                seed: call.int("seed") ?? 0, concurrency: teacher.concurrency)
            reward = JudgeReward(verification: verification, session: teacher.session)
        }
        let temperature = call.double("temperature") ?? 1
        guard temperature > 0 else { throw call.error("expected temperature > 0, found \(formatNumber(temperature))") }
        let rule: AcceptanceRule
        switch call.string("rule") {
        case "strict": rule = .strictImprovement
        case "always": rule = .always
        default: rule = .metropolis(temperature: temperature)
        }
        let chains = CritiqueRevision(
            critiqueTemplate: try SynthesisSupport.template("critique-query", context, files: &files, call: call),
            reviseTemplate: try SynthesisSupport.template("revise-query", context, files: &files, call: call),
            reward: reward, rule: rule, steps: call.int("steps") ?? 1, seed: call.int("seed") ?? 0,
            concurrency: teacher.concurrency)
        let (revised, statistics) = try await chains.run(
            set, session: teacher.session, progress: SynthesisSupport.progress("critique", context))
        let line =
            "critique: \(statistics.proposals) proposals, \(statistics.accepted) accepted "
            + "(\(formatFixed(statistics.acceptanceRate * 100, digits: 1))%), mean reward "
            + "\(formatFixed(statistics.meanBefore, digits: 3)) → \(formatFixed(statistics.meanAfter, digits: 3))"
        return SynthesisSupport.outcome(
            revised, before: set.counts, teacher: teacher, files: files, extra: [.text(line)])
    }
}
