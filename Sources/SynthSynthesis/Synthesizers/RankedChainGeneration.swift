import Foundation
import SynthValues

/// `synthesize ranked`: for each anchor sentence, a chain of rewrites that drift step by step.
///
/// He et al. 2025 (ACL Findings, arXiv 2502.13656) build lists [s₀ (anchor), s₁, …, s₃₂] where each
/// sentence rewrites the previous one and is steered away from the one before it (classifier-free
/// guidance with the previous sentence as the negative prompt), so the chain keeps drifting in one
/// direction; the position in the chain is the rank (further = less similar to the anchor). Over a chat
/// API there is no guidance, so the prompt shows the earlier sentence and asks to move one step further
/// from it. Filters from the authors' code: a chain is rejected when an output contains a line break,
/// or when a sentence repeats three or more times (a degenerate loop). A step whose answer stays
/// unusable ends the chain early; chains shorter than three sentences are rejected.
package struct RankedChainGeneration: Sendable {
    package var template: PromptTemplate
    package var steps: Int
    package var seed: Int
    package var concurrency: Int

    package init(template: PromptTemplate, steps: Int = 8, seed: Int = 0, concurrency: Int = 2) {
        self.template = template
        self.steps = max(1, steps)
        self.seed = seed
        self.concurrency = concurrency
    }

    package func run(
        anchors: [String], session: TeacherSession, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> SyntheticSet {
        let done = Counter()
        let me = self
        let results = try await orderedConcurrentMap(anchors, limit: concurrency) { index, anchor in
            var counts = SynthesisCounts()
            var chain = [anchor]
            var keys: [String] = []
            var lastPrompt: RenderedPrompt?
            var brokenLine = false
            for step in 0..<me.steps {
                let previous = chain.count >= 2 ? chain[chain.count - 2] : chain[chain.count - 1]
                let prompt = try me.template.render([
                    "sentence": .string(chain[chain.count - 1]), "previous": .string(previous),
                ])
                lastPrompt = prompt
                guard
                    let answer = try await session.askJSON(
                        prompt, seed: me.seed &+ index &* 7919 &+ step, counts: &counts,
                        extract: SyntrieverGeneration.text("sentence"))
                else { break }
                keys += answer.requestKeys
                if answer.value.contains("\n") { brokenLine = true }
                chain.append(answer.value)
            }
            var record = SyntheticRecord(id: "r:\(index)", kind: "ranked-chain", query: anchor, texts: chain)
            if let lastPrompt {
                record.provenance.append(session.provenance(step: "synthesize ranked", prompt: lastPrompt, keys: keys))
            }
            if let reason = Self.rejection(chain, brokenLine: brokenLine) {
                record.reject(reason)
                counts.reject(reason)
            }
            progress(await done.increment(), anchors.count)
            return (record, counts)
        }
        var set = SyntheticSet(kind: "ranked")
        for (record, counts) in results {
            set.records.append(record)
            set.counts.merge(counts)
        }
        set.steps.append(
            "synthesize ranked: template \(template.reference), model \(session.teacher.model), \(steps) steps, seed \(seed)"
        )
        return set
    }

    /// Why a chain is unusable (the authors' filters), or `nil`.
    static func rejection(_ chain: [String], brokenLine: Bool) -> String? {
        if brokenLine { return "line break in a rewrite" }
        if chain.count < 3 { return "chain shorter than 3 sentences" }
        var seen: [String: Int] = [:]
        for sentence in chain { seen[sentence.lowercased(), default: 0] += 1 }
        if seen.values.contains(where: { $0 >= 3 }) { return "degenerate chain (a sentence repeats 3+ times)" }
        return nil
    }
}
