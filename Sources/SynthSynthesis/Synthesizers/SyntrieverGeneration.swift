import Foundation
import SynthValues

/// `synthesize queries style=syntriever`: for each query, a chain-of-thought expansion, a relevant
/// passage and a plausibly irrelevant passage.
///
/// Syntriever stage 1 (Kim & Baek 2025, arXiv 2502.03824) asks a black-box LLM, with an expert persona,
/// for (1) a relevant passage p⁺ ("elaborate on the question; no false or speculative information"),
/// (2) a plausibly irrelevant passage p⁻, and (3) a chain-of-thought expansion q^cot ("let's think step
/// by step"); a later self-verification (``RelevanceVerification``) moves a p⁺ judged not relevant into
/// the negatives. The training tuple is (q, gold p, p⁺, q^cot, p⁻).
///
/// Queries may be real (a dataset's training queries, with their gold passage) or generated (a
/// `synthesize queries` set, whose source passage is the gold passage). Each query makes three calls
/// with their own templates; a call whose answer stays unusable after retries leaves its part out and
/// is counted as failed.
package struct SyntrieverGeneration: Sendable {
    package var cotTemplate: PromptTemplate
    package var positiveTemplate: PromptTemplate
    package var negativeTemplate: PromptTemplate
    package var seed: Int
    package var concurrency: Int

    /// One query to expand: its text, an id, and its gold passage when known.
    package struct Input: Sendable {
        package var id: String
        package var query: String
        package var gold: SyntheticPassage?
        package var provenance: [RecordProvenance]
        package init(id: String, query: String, gold: SyntheticPassage? = nil, provenance: [RecordProvenance] = []) {
            self.id = id
            self.query = query
            self.gold = gold
            self.provenance = provenance
        }
    }

    package init(
        cotTemplate: PromptTemplate, positiveTemplate: PromptTemplate, negativeTemplate: PromptTemplate,
        seed: Int = 0, concurrency: Int = 2
    ) {
        self.cotTemplate = cotTemplate
        self.positiveTemplate = positiveTemplate
        self.negativeTemplate = negativeTemplate
        self.seed = seed
        self.concurrency = concurrency
    }

    package func run(
        inputs: [Input], session: TeacherSession, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> SyntheticSet {
        let done = Counter()
        let me = self
        let results = try await orderedConcurrentMap(inputs, limit: concurrency) { index, input in
            var counts = SynthesisCounts()
            let values: [String: Value] = ["query": .string(input.query)]
            let base = me.seed &+ index &* 7919
            var record = SyntheticRecord(
                id: "s:\(input.id)", kind: "syntriever", query: input.query, queryID: input.id,
                positives: input.gold.map { [$0] } ?? [], provenance: input.provenance)
            let cotPrompt = try me.cotTemplate.render(values)
            if let cot = try await session.askJSON(
                cotPrompt, seed: base, counts: &counts, extract: Self.text("expansion"))
            {
                record.extra["cot"] = input.query + " " + cot.value
                record.provenance.append(
                    session.provenance(step: "synthesize cot", prompt: cotPrompt, keys: cot.requestKeys))
            }
            let positivePrompt = try me.positiveTemplate.render(values)
            if let positive = try await session.askJSON(
                positivePrompt, seed: base &+ 1, counts: &counts, extract: Self.text("passage"))
            {
                record.positives.append(SyntheticPassage(text: positive.value, origin: "synthetic"))
                record.provenance.append(
                    session.provenance(step: "synthesize positive", prompt: positivePrompt, keys: positive.requestKeys))
            }
            let negativePrompt = try me.negativeTemplate.render(values)
            if let negative = try await session.askJSON(
                negativePrompt, seed: base &+ 2, counts: &counts, extract: Self.text("passage"))
            {
                record.negatives.append(SyntheticPassage(text: negative.value, origin: "synthetic"))
                record.provenance.append(
                    session.provenance(step: "synthesize negative", prompt: negativePrompt, keys: negative.requestKeys))
            }
            if record.positives.isEmpty {
                record.reject("no positive passage")
                counts.reject("no positive passage")
            }
            progress(await done.increment(), inputs.count)
            return (record, counts)
        }
        var set = SyntheticSet(kind: "syntriever")
        for (record, counts) in results {
            set.records.append(record)
            set.counts.merge(counts)
        }
        set.steps.append(
            "synthesize queries style=syntriever: templates \(cotTemplate.reference), \(positiveTemplate.reference), "
                + "\(negativeTemplate.reference), model \(session.teacher.model), seed \(seed)")
        return set
    }

    /// Extracts a non-empty string field.
    static func text(_ field: String) -> @Sendable (Value) -> String? {
        { value in
            guard let text = value.field(field)?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines),
                !text.isEmpty
            else { return nil }
            return text
        }
    }
}
