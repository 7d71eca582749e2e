import Foundation
import SynthValues

/// `critique revise`: distilled self-critique chains over synthetic queries.
///
/// Gallego 2023 (arXiv 2312.01957) targets p(x | c, r) ∝ p(x | c)·exp(r(x)) with a Gibbs chain: the
/// teacher critiques the current sample, z ~ p(z | c, x), then revises it, x′ ~ p(x | c, x, z); the
/// revision is accepted with probability min(1, exp(r(x′) − r(x))) (``AcceptanceRule``). Each record
/// runs ``steps`` critique → revise → accept steps from its own seeded random stream, so results do not
/// depend on concurrency. Accepted samples are what a student is later fine-tuned on (forward KL ⇒ SFT).
///
/// The record's query becomes the chain's final state; `extra` keeps `original`, the last `critique`,
/// `reward_before`, and `accepted_steps` (`1/2`); ``SyntheticRecord/score`` is the final reward. The returned
/// set's ``SyntheticSet/critique`` holds every chain's rewards, proposals and decisions (``CritiqueTrace``).
package struct CritiqueRevision: Sendable {
    package var critiqueTemplate: PromptTemplate
    package var reviseTemplate: PromptTemplate
    package var reward: any SampleReward
    package var rule: AcceptanceRule
    package var steps: Int
    package var seed: Int
    package var passageCharacters: Int
    package var concurrency: Int

    package init(
        critiqueTemplate: PromptTemplate, reviseTemplate: PromptTemplate, reward: any SampleReward,
        rule: AcceptanceRule = .metropolis(temperature: 1), steps: Int = 1, seed: Int = 0,
        passageCharacters: Int = 1000, concurrency: Int = 2
    ) {
        self.critiqueTemplate = critiqueTemplate
        self.reviseTemplate = reviseTemplate
        self.reward = reward
        self.rule = rule
        self.steps = max(1, steps)
        self.seed = seed
        self.passageCharacters = passageCharacters
        self.concurrency = concurrency
    }

    /// Totals over all chains.
    package struct Statistics: Sendable, Equatable {
        package var proposals = 0
        package var accepted = 0
        package var rewardBefore: [Double] = []
        package var rewardAfter: [Double] = []
        package var acceptanceRate: Double { proposals == 0 ? 0 : Double(accepted) / Double(proposals) }
        package var meanBefore: Double {
            rewardBefore.isEmpty ? 0 : rewardBefore.reduce(0, +) / Double(rewardBefore.count)
        }
        package var meanAfter: Double { rewardAfter.isEmpty ? 0 : rewardAfter.reduce(0, +) / Double(rewardAfter.count) }
    }

    package func run(
        _ set: SyntheticSet, session: TeacherSession, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> (set: SyntheticSet, statistics: Statistics) {
        let done = Counter()
        let me = self
        let results = try await orderedConcurrentMap(set.records, limit: concurrency) {
            index, input -> (SyntheticRecord, SynthesisCounts, Statistics, CritiqueTrace.Chain?) in
            var counts = SynthesisCounts()
            var stats = Statistics()
            var record = input
            guard record.accepted, !record.query.isEmpty, let passage = record.positive?.text else {
                progress(await done.increment(), set.records.count)
                return (record, counts, stats, nil)
            }
            var random = SplitMix64.stream(seed: UInt64(truncatingIfNeeded: me.seed), index: UInt64(index))
            let base = me.seed &+ index &* 7919
            let passageText = truncatePassage(passage, limit: me.passageCharacters)
            var current = record.query
            var (currentReward, keys) = try await me.reward.reward(
                query: current, record: record, seed: base, counts: &counts)
            let before = currentReward
            var chain = CritiqueTrace.Chain(id: record.id, initial: before)
            var acceptedSteps = 0
            var lastCritique = ""
            var stepProvenance: [RecordProvenance] = []
            if !keys.isEmpty {
                stepProvenance.append(
                    RecordProvenance(
                        step: "reward \(me.reward.name)", template: "", templateHash: "", model: session.teacher.model,
                        requestKeys: keys))
            }
            for step in 0..<me.steps {
                let stepSeed = base &+ (step + 1) * 31
                let critiquePrompt = try me.critiqueTemplate.render([
                    "query": .string(current), "passage": .string(passageText),
                ])
                guard
                    let critique = try await session.askText(
                        critiquePrompt, seed: stepSeed, counts: &counts,
                        accept: {
                            reply -> String? in
                            let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
                            return text.isEmpty ? nil : text
                        })
                else { continue }
                stepProvenance.append(
                    session.provenance(step: "critique", prompt: critiquePrompt, keys: critique.requestKeys))
                let revisePrompt = try me.reviseTemplate.render([
                    "query": .string(current), "passage": .string(passageText), "critique": .string(critique.value),
                ])
                guard
                    let revision = try await session.askJSON(
                        revisePrompt, seed: stepSeed &+ 1, counts: &counts,
                        extract: SyntrieverGeneration.text("query"))
                else { continue }
                stepProvenance.append(
                    session.provenance(step: "revise", prompt: revisePrompt, keys: revision.requestKeys))
                let (proposedReward, rewardKeys) = try await me.reward.reward(
                    query: revision.value, record: record, seed: stepSeed &+ 2, counts: &counts)
                if !rewardKeys.isEmpty {
                    stepProvenance.append(
                        RecordProvenance(
                            step: "reward \(me.reward.name)", template: "", templateHash: "",
                            model: session.teacher.model, requestKeys: rewardKeys))
                }
                stats.proposals += 1
                lastCritique = critique.value
                // A revision copied from the passage (a cheap way to win a retrieval reward) has probability 0;
                // one uniform is still drawn so the chain's random stream stays aligned.
                let copied = passage.lowercased().contains(
                    revision.value.lowercased().trimmingCharacters(in: .punctuationCharacters.union(.whitespaces)))
                let invalid: String? = copied ? "query copied from passage" : nil
                let probability =
                    invalid == nil ? me.rule.acceptanceProbability(current: currentReward, proposed: proposedReward) : 0
                let accepted =
                    me.rule.accept(current: currentReward, proposed: proposedReward, using: &random) && invalid == nil
                chain.proposals.append(
                    CritiqueTrace.Proposal(
                        step: step + 1, reward: proposedReward, probability: probability, accepted: accepted,
                        rejection: invalid))
                if accepted {
                    stats.accepted += 1
                    acceptedSteps += 1
                    current = revision.value
                    currentReward = proposedReward
                }
            }
            stats.rewardBefore.append(before)
            stats.rewardAfter.append(currentReward)
            if current != record.query { record.extra["original"] = record.query }
            record.query = current
            if !lastCritique.isEmpty { record.extra["critique"] = lastCritique }
            record.extra["reward_before"] = formatNumber(before)
            record.extra["accepted_steps"] = "\(acceptedSteps)/\(me.steps)"
            record.score = currentReward
            record.provenance += stepProvenance
            progress(await done.increment(), set.records.count)
            return (record, counts, stats, chain)
        }
        var out = set
        var total = Statistics()
        out.records = results.map(\.0)
        out.critique = CritiqueTrace(
            reward: reward.name, rule: rule.description, steps: steps, chains: results.compactMap(\.3))
        for (_, counts, stats, _) in results {
            out.counts.merge(counts)
            total.proposals += stats.proposals
            total.accepted += stats.accepted
            total.rewardBefore += stats.rewardBefore
            total.rewardAfter += stats.rewardAfter
        }
        out.steps.append(
            "critique revise: templates \(critiqueTemplate.reference), \(reviseTemplate.reference), reward \(reward.name), "
                + "rule \(rule), \(steps) step(s), seed \(seed): accepted \(total.accepted)/\(total.proposals), "
                + "mean reward \(formatNumber(total.meanBefore)) → \(formatNumber(total.meanAfter))")
        return (out, total)
    }
}
