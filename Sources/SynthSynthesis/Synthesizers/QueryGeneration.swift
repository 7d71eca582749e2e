import Foundation
import SynthValues

/// `synthesize queries`, few-shot form: the teacher writes queries that a corpus passage answers.
///
/// Follows InPars (Bonifacio et al. 2022: a few fixed example pairs, the document last, greedy or
/// sampled decoding) and Promptagator (Dai et al. 2023: ≤ 8 task-specific examples, sampling at
/// temperature 0.7). The prompt keeps the instructions and examples first and the passage last, so
/// llama.cpp's prefix cache reuses them; several queries are asked per call (`perPassage`) with
/// JSON-schema constrained output (`{"queries": [...]}`, exactly `perPassage` items); passages are cut
/// to ≈ 1,000 characters (≈ 256 word-pieces).
///
/// Each query becomes a record with the source passage as its positive. Queries are rejected (kept in
/// the set with the reason) when empty, shorter than three words, duplicated within the passage, or
/// copied verbatim from the passage (InPars toolkit filter).
package struct QueryGeneration: Sendable {
    package var template: PromptTemplate
    /// Queries asked per passage (one call).
    package var perPassage: Int
    package var passageCharacters: Int
    package var seed: Int
    /// Requests in flight at once (the client applies its own limit too).
    package var concurrency: Int
    package var maxTokens: Int?

    package init(
        template: PromptTemplate, perPassage: Int = 2, passageCharacters: Int = 1000, seed: Int = 0,
        concurrency: Int = 2, maxTokens: Int? = nil
    ) {
        self.template = template
        self.perPassage = max(1, perPassage)
        self.passageCharacters = passageCharacters
        self.seed = seed
        self.concurrency = concurrency
        self.maxTokens = maxTokens
    }

    /// Generates queries for `passages` (corpus documents with ids).
    ///
    /// - Parameter progress: called with (done, total) after each passage.
    package func run(
        passages: [SyntheticPassage], session: TeacherSession,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> SyntheticSet {
        let done = Counter()
        let total = passages.count
        let template = self.template
        let perPassage = self.perPassage
        let passageCharacters = self.passageCharacters
        let seed = self.seed
        let maxTokens = self.maxTokens ?? template.maxTokens.map { max($0, 40 * perPassage) }
        let results = try await orderedConcurrentMap(passages, limit: concurrency) { index, passage in
            var counts = SynthesisCounts()
            let text = truncatePassage(passage.text, limit: passageCharacters)
            let prompt = try template.render(["passage": .string(text), "count": .int(perPassage)])
            let answer = try await session.askJSON(
                prompt, seed: seed &+ index &* 7919, maxTokens: maxTokens, counts: &counts
            ) { value -> [String]? in
                guard let list = value.field("queries")?.listValue else { return nil }
                let queries = list.compactMap { $0.stringValue }
                return queries.isEmpty ? nil : queries
            }
            var records: [SyntheticRecord] = []
            if let answer {
                let provenance = session.provenance(
                    step: "synthesize queries", prompt: prompt, keys: answer.requestKeys)
                var seen: Set<String> = []
                for (i, raw) in answer.value.prefix(perPassage).enumerated() {
                    let query = raw.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
                    var record = SyntheticRecord(
                        id: "q:\(passage.id ?? String(index)):\(i)", kind: "query", query: query,
                        positives: [passage], provenance: [provenance])
                    if let reason = Self.rejection(query, passage: passage.text, seen: seen) {
                        record.reject(reason)
                        counts.reject(reason)
                    }
                    seen.insert(query.lowercased())
                    records.append(record)
                }
            }
            progress(await done.increment(), total)
            return (records, counts)
        }
        var set = SyntheticSet(kind: "queries")
        for (records, counts) in results {
            set.records += records
            set.counts.merge(counts)
        }
        set.steps.append(
            "synthesize queries: template \(template.reference), model \(session.teacher.model), "
                + "\(perPassage) per passage, seed \(seed)")
        return set
    }

    /// Why a generated query is unusable, or `nil`.
    static func rejection(_ query: String, passage: String, seen: Set<String>) -> String? {
        let words = query.split(whereSeparator: { $0.isWhitespace || $0.isPunctuation })
        if words.isEmpty { return "empty query" }
        if words.count < 3 { return "query shorter than 3 words" }
        if seen.contains(query.lowercased()) { return "duplicate query" }
        if passage.lowercased().contains(query.lowercased().trimmingCharacters(in: .punctuationCharacters)) {
            return "query copied from passage"
        }
        return nil
    }
}

/// A counter shared by concurrent tasks, for progress reports.
package actor Counter {
    private var value = 0
    package init() {}
    /// Adds one and returns the new value.
    package func increment() -> Int {
        value += 1
        return value
    }
}
