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
/// the set with the reason) when empty, shorter than three words, duplicated within the passage,
/// copied verbatim from the passage (InPars toolkit filter), or copied from the prompt's few-shot
/// examples (five words in a row of an example's passage or answer: a small teacher echoes them).
package struct QueryGeneration: Sendable {
    package var template: PromptTemplate
    /// Queries asked per passage (one call).
    package var perPassage: Int
    package var passageCharacters: Int
    package var seed: Int
    /// Requests in flight at once (the client applies its own limit too).
    package var concurrency: Int
    package var maxTokens: Int?
    /// Tune the calls in flight (``ConcurrencyTuner``, at most ``concurrency``) instead of keeping
    /// ``concurrency`` calls in flight from the start.
    package var adaptiveConcurrency = false

    /// The default queries per call of `synthesize queries`. Four per call write ~1.5x as many queries
    /// per minute (`bench/query-cost`), but with the one-claim examples of `claim-query`/`inpars-query`
    /// the 0.5B teacher then repeats and copies itself; ask for four with `claim-queries`.
    package static let defaultPerPassage = 2

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

    /// Progress of a run: passages done (replayed or new), and the rate and ETA of new calls.
    package struct Progress: Sendable, Equatable {
        /// Passages finished so far (from the store or the teacher).
        package var done: Int
        package var total: Int
        /// Passages whose answer came from a new call in this run.
        package var fresh: Int
        /// Seconds since the run started.
        package var elapsed: Double
        /// Seconds spent since the first new call started (the rate's time base).
        package var freshElapsed: Double

        /// New passages per minute (`nil` until one is done).
        package var passagesPerMinute: Double? {
            guard fresh > 0, freshElapsed > 0 else { return nil }
            return Double(fresh) / freshElapsed * 60
        }

        /// Seconds left at the current rate of new calls (`nil` when unknown).
        package var eta: Double? {
            guard let rate = passagesPerMinute, rate > 0 else { return nil }
            return Double(total - done) / rate * 60
        }
    }

    /// Generates queries for `passages` (corpus documents with ids).
    ///
    /// Passages are started in order, at most ``concurrency`` at a time (with ``adaptiveConcurrency``,
    /// as many as the ``ConcurrencyTuner`` finds worth it). After `deadline` no further
    /// passage starts (those in flight finish), and the set holds the passages done so far, in corpus
    /// order: a budgeted run returns usable partial results, and a re-run replays every stored answer
    /// from the response store and continues where the budget stopped.
    ///
    /// - Parameters:
    ///   - deadline: when to stop starting passages (`nil`: no time budget).
    ///   - progress: called after each passage.
    package func run(
        passages: [SyntheticPassage], session: TeacherSession, deadline: ContinuousClock.Instant? = nil,
        progress: @escaping @Sendable (Progress) -> Void
    ) async throws -> SyntheticSet {
        let total = passages.count
        let started = ContinuousClock.now
        var firstFresh: ContinuousClock.Instant?
        var done = 0
        var fresh = 0
        var results = [([SyntheticRecord], SynthesisCounts)?](repeating: nil, count: total)
        var tuner = adaptiveConcurrency ? ConcurrencyTuner(maximum: concurrency) : nil
        let examples = exampleShingles  // the template's examples are the same for every passage
        try await withThrowingTaskGroup(of: (Int, [SyntheticRecord], SynthesisCounts, ContinuousClock.Instant?).self)
        { group in
            var next = 0
            var inFlight = 0
            func mayStart() -> Bool { next < total && (deadline.map { ContinuousClock.now < $0 } ?? true) }
            func startAllowed() {
                while inFlight < (tuner?.level ?? max(1, concurrency)) && mayStart() { start() }
            }
            func start() {
                let index = next
                let passage = passages[index]
                next += 1
                inFlight += 1
                group.addTask {
                    let begun = ContinuousClock.now
                    let (records, counts) = try await self.generate(
                        passage, index: index, session: session, examples: examples)
                    return (index, records, counts, counts.requestsNew > 0 ? begun : nil)
                }
            }
            startAllowed()
            while let (index, records, counts, begun) = try await group.next() {
                inFlight -= 1
                results[index] = (records, counts)
                done += 1
                let now = ContinuousClock.now
                if let begun {
                    fresh += 1
                    if firstFresh == nil || begun < firstFresh! { firstFresh = begun }
                    tuner?.record(completionTokens: counts.completionTokens, at: (now - started).seconds)
                }
                progress(
                    Progress(
                        done: done, total: total, fresh: fresh, elapsed: (now - started).seconds,
                        freshElapsed: firstFresh.map { (now - $0).seconds } ?? 0))
                try Task.checkCancellation()
                startAllowed()
            }
        }
        var set = SyntheticSet(kind: "queries")
        for case let (records, counts)? in results {
            set.records += records
            set.counts.merge(counts)
        }
        set.steps.append(
            "synthesize queries: template \(template.reference), model \(session.teacher.model), "
                + "\(perPassage) per passage, seed \(seed)")
        if let tuner { set.steps.append("synthesize queries: \(tuner.summary)") }
        if done < total {
            set.steps.append(
                "synthesize queries: time budget reached after \(done) of \(total) passages "
                    + "(partial set; a re-run replays them and continues)")
        }
        return set
    }

    /// Generates queries for `passages`, reporting (done, total) after each passage.
    package func run(
        passages: [SyntheticPassage], session: TeacherSession,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> SyntheticSet {
        try await run(passages: passages, session: session, deadline: nil) { progress($0.done, $0.total) }
    }

    /// The prompt for one passage (its text cut to ``passageCharacters``).
    package func prompt(for passage: SyntheticPassage) throws -> RenderedPrompt {
        let text = truncatePassage(passage.text, limit: passageCharacters)
        return try template.render(["passage": .string(text), "count": .int(perPassage)])
    }

    /// The completion budget: `maxTokens`, else the template's raised to 40 tokens per query (48 from
    /// three queries on: a call cut off by the budget is a whole call wasted, and the schema's
    /// `maxLength` already stops rambling). One and two queries keep their original budget, so the
    /// store keys of existing notebooks do not change.
    var effectiveMaxTokens: Int? {
        maxTokens ?? template.maxTokens.map { max($0, (perPassage <= 2 ? 40 : 48) * perPassage) }
    }

    /// One call for one passage: its records (rejected ones with the reason) and counts.
    /// `examples`: the template's ``exampleShingles``, computed once per run.
    private func generate(
        _ passage: SyntheticPassage, index: Int, session: TeacherSession, examples: Set<String>
    ) async throws
        -> ([SyntheticRecord], SynthesisCounts)
    {
        var counts = SynthesisCounts()
        let prompt = try prompt(for: passage)
        let answer = try await session.askJSON(
            prompt, seed: seed &+ index &* 7919, maxTokens: effectiveMaxTokens, counts: &counts
        ) { value -> [String]? in
            guard let list = value.field("queries")?.listValue else { return nil }
            let queries = list.compactMap { $0.stringValue }
            return queries.isEmpty ? nil : queries
        }
        var records: [SyntheticRecord] = []
        if let answer {
            let provenance = session.provenance(step: "synthesize queries", prompt: prompt, keys: answer.requestKeys)
            var seen: Set<String> = []
            for (i, raw) in answer.value.prefix(perPassage).enumerated() {
                let query = raw.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
                var record = SyntheticRecord(
                    id: "q:\(passage.id ?? String(index)):\(i)", kind: "query", query: query,
                    positives: [passage], provenance: [provenance])
                if let reason = Self.rejection(query, passage: passage.text, seen: seen, examples: examples) {
                    record.reject(reason)
                    counts.reject(reason)
                }
                seen.insert(query.lowercased())
                records.append(record)
            }
        }
        return (records, counts)
    }

    /// Why a generated query is unusable, or `nil`. `examples` holds the word runs of the template's
    /// examples (``shingles(_:)``); a query containing one was copied from an example.
    static func rejection(_ query: String, passage: String, seen: Set<String>, examples: Set<String> = [])
        -> String?
    {
        let words = query.split(whereSeparator: { $0.isWhitespace || $0.isPunctuation })
        if words.isEmpty { return "empty query" }
        if words.count < 3 { return "query shorter than 3 words" }
        if seen.contains(query.lowercased()) { return "duplicate query" }
        if passage.lowercased().contains(query.lowercased().trimmingCharacters(in: .punctuationCharacters)) {
            return "query copied from passage"
        }
        if !examples.isDisjoint(with: shingles(query)) { return "query copied from the examples" }
        return nil
    }

    /// How many words in a row, shared with an example, make a query a copy of it.
    static let exampleRunLength = 5

    /// The runs of ``exampleRunLength`` consecutive words of `text`, lowercased, punctuation dropped.
    static func shingles(_ text: String) -> Set<String> {
        let words = text.lowercased().split(whereSeparator: { $0.isWhitespace || ($0.isPunctuation && $0 != "-") })
        guard words.count >= exampleRunLength else { return [] }
        return Set((0...(words.count - exampleRunLength)).map { words[$0..<($0 + exampleRunLength)].joined(separator: " ") })
    }

    /// The word runs of every text in the template's few-shot examples (passages and answers).
    var exampleShingles: Set<String> {
        func texts(_ value: Value) -> [String] {
            if let text = value.stringValue { return [text] }
            if let list = value.listValue { return list.flatMap(texts) }
            if case .record(let fields) = value { return fields.pairs.flatMap { texts($0.value) } }
            return []
        }
        return template.examples.flatMap(texts).reduce(into: Set<String>()) { $0.formUnion(Self.shingles($1)) }
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

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
