import Foundation
import SynthValues

/// `critique verify`: the teacher judges each synthetic (query, passage) pair, yes or no with a reason.
///
/// The score of a pair is the teacher's probability of "yes" at the verdict position,
/// P(yes) / (P(yes) + P(no)) from the top log-probabilities (see ``YesNoJudgement``): a 0.5B teacher's
/// argmax answer is unreliable, its yes-probability ranks pairs much better. A pair passes when the
/// score reaches ``threshold``.
///
/// What a "no" does depends on what was synthetic (Syntriever, Kim & Baek 2025):
/// - a synthetic positive passage judged not relevant is a hallucination; it is **moved to the
///   negatives** as a hard negative (origin `rejected-positive`), not dropped. A record left without
///   any positive is rejected;
/// - for a generated query with its corpus source passage (`synthesize queries`), the query is what is
///   judged: a "no" rejects the record.
///
/// Answers without a yes/no verdict are retried with another seed, then counted as failed and the
/// record is rejected as "unparseable verdict". The record's ``SyntheticRecord/score`` is the lowest
/// pair score; ``SyntheticRecord/extra`` keeps the reasoning.
package struct RelevanceVerification: Sendable {
    package var template: PromptTemplate
    package var threshold: Double
    package var passageCharacters: Int
    package var topLogprobs: Int
    package var seed: Int
    package var concurrency: Int
    package var maxTokens: Int?

    package init(
        template: PromptTemplate, threshold: Double = 0.5, passageCharacters: Int = 1000, topLogprobs: Int = 10,
        seed: Int = 0, concurrency: Int = 2, maxTokens: Int? = nil
    ) {
        self.template = template
        self.threshold = threshold
        self.passageCharacters = passageCharacters
        self.topLogprobs = topLogprobs
        self.seed = seed
        self.concurrency = concurrency
        self.maxTokens = maxTokens
    }

    /// One judged pair: the judgement and the keys of its requests.
    package struct Verdict: Sendable {
        package var judgement: YesNoJudgement
        package var requestKeys: [String]
        package var prompt: RenderedPrompt
    }

    /// Judges one pair; `nil` when no usable verdict came back.
    package func judge(
        query: String, passage: String, seed: Int, session: TeacherSession, counts: inout SynthesisCounts
    )
        async throws -> Verdict?
    {
        let prompt = try template.render([
            "query": .string(query), "passage": .string(truncatePassage(passage, limit: passageCharacters)),
        ])
        let answer = try await session.askText(
            prompt, seed: seed, maxTokens: maxTokens, topLogprobs: topLogprobs, counts: &counts
        ) { reply -> YesNoJudgement? in
            let judgement = YesNoJudgement(text: reply.text, tokens: reply.tokens)
            return judgement.score == nil ? nil : judgement
        }
        return answer.map { Verdict(judgement: $0.value, requestKeys: $0.requestKeys, prompt: prompt) }
    }

    /// Verifies every accepted record of `set` (rejected records pass through unchanged).
    package func run(
        _ set: SyntheticSet, session: TeacherSession, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> SyntheticSet {
        let done = Counter()
        let me = self
        let results = try await orderedConcurrentMap(set.records, limit: concurrency) { index, input in
            var counts = SynthesisCounts()
            var record = input
            guard record.accepted, !record.query.isEmpty, !record.positives.isEmpty else {
                progress(await done.increment(), set.records.count)
                return (record, counts)
            }
            let syntheticIndices = record.positives.indices.filter { record.positives[$0].origin == "synthetic" }
            let judged = syntheticIndices.isEmpty ? [0] : syntheticIndices
            var keep: [Int: Bool] = [:]
            var scores: [Double] = []
            var reasons: [String] = []
            var unparseable = false
            for (j, positiveIndex) in judged.enumerated() {
                let passage = record.positives[positiveIndex].text
                guard
                    let verdict = try await me.judge(
                        query: record.query, passage: passage, seed: me.seed &+ index &* 7919 &+ j * 101,
                        session: session, counts: &counts)
                else {
                    unparseable = true
                    continue
                }
                let score = verdict.judgement.score ?? 0
                scores.append(score)
                keep[positiveIndex] = score >= me.threshold
                reasons.append(verdict.judgement.reasoning)
                record.provenance.append(
                    session.provenance(step: "critique verify", prompt: verdict.prompt, keys: verdict.requestKeys))
            }
            record.score = scores.min()
            if !reasons.isEmpty { record.extra["reasoning"] = reasons.joined(separator: " | ") }
            if unparseable {
                record.reject("unparseable verdict")
                counts.reject("unparseable verdict")
            } else if syntheticIndices.isEmpty {
                if keep[0] == false {
                    record.reject("verifier said no")
                    counts.reject("verifier said no")
                }
            } else {
                for positiveIndex in syntheticIndices.reversed() where keep[positiveIndex] == false {
                    var moved = record.positives.remove(at: positiveIndex)
                    moved.origin = "rejected-positive"
                    record.negatives.append(moved)
                    counts.reject("positive judged irrelevant → hard negative")
                }
                if record.positives.isEmpty {
                    record.reject("no verified positive")
                    counts.reject("no verified positive")
                }
            }
            progress(await done.increment(), set.records.count)
            return (record, counts)
        }
        var out = set
        out.records = results.map(\.0)
        for (_, counts) in results { out.counts.merge(counts) }
        out.steps.append(
            "critique verify: template \(template.reference), model \(session.teacher.model), "
                + "threshold \(threshold) on P(yes)")
        return out
    }
}
