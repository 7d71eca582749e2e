import Foundation
import SynthValues

/// `distill`: teacher labels over a retriever's candidates, as records the training core consumes.
///
/// Three label kinds:
/// - **pointwise** — P(yes) that each of the top-k passages answers the query, from the yes/no
///   log-probabilities (``RelevanceVerification``); the record's `candidates` and `scores` align.
/// - **pairwise** — Syntriever stage 2 (Kim & Baek 2025): every pair of the top-k (k = 5 → 10 pairs)
///   is judged "which passage is more proper to answer the question"; each judgement is a record with
///   the preferred passage as positive and the other as negative (c⁺ ≻ c⁻, the partial Plackett–Luce
///   loss's input). Pairwise LLM judges are position-biased, so `bothOrders` asks both orders and rejects
///   pairs whose answers disagree.
/// - **listwise** — RankGPT-style permutation generation (Sun et al. 2023): a window of `window`
///   passages slides from the bottom of the list to the top by `stride`, and the teacher's permutation
///   ("[2] > [1] > [3]") reorders each window. Missing identifiers keep their order after the named ones;
///   duplicates are ignored. The record's `candidates` are best first, `scores` = k − rank.
package struct Distillation: Sendable {
    package enum Kind: String, Sendable, CaseIterable { case pointwise, pairwise, listwise }

    package var kind: Kind
    package var template: PromptTemplate
    /// For pointwise labels: the verification settings (its template is ``template``).
    package var threshold: Double
    package var topK: Int
    package var bothOrders: Bool
    package var window: Int
    package var stride: Int
    package var passageCharacters: Int
    package var seed: Int

    package init(
        kind: Kind, template: PromptTemplate, topK: Int = 5, bothOrders: Bool = false, window: Int = 4, stride: Int = 2,
        passageCharacters: Int = 600, seed: Int = 0
    ) {
        self.kind = kind
        self.template = template
        self.threshold = 0.5
        self.topK = max(1, topK)
        self.bothOrders = bothOrders
        self.window = max(2, window)
        self.stride = max(1, stride)
        self.passageCharacters = passageCharacters
        self.seed = seed
    }

    /// A query to label.
    package struct Input: Sendable {
        package var id: String
        package var text: String
        package init(id: String, text: String) {
            self.id = id
            self.text = text
        }
    }

    /// Labels each query's top-k candidates from `retriever`; `passage` looks up a document's text.
    package func run(
        queries: [Input], retriever: any PassageRetriever, passage: @escaping @Sendable (String) -> String?,
        session: TeacherSession, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> SyntheticSet {
        var set = SyntheticSet(kind: kind.rawValue)
        for (index, query) in queries.enumerated() {
            var counts = SynthesisCounts()
            let ids = try await retriever.rank(query.text, topK: topK)
            let candidates = ids.compactMap { id in
                passage(id).map { SyntheticPassage(id: id, text: $0, origin: "retrieved") }
            }
            let base = seed &+ index &* 7919
            switch kind {
            case .pointwise:
                set.records.append(try await pointwise(query, candidates, base, session, &counts))
            case .pairwise:
                set.records += try await pairwise(query, candidates, base, session, &counts)
            case .listwise:
                set.records.append(try await listwise(query, candidates, base, session, &counts))
            }
            set.counts.merge(counts)
            progress(index + 1, queries.count)
        }
        set.steps.append(
            "distill \(kind.rawValue): template \(template.reference), model \(session.teacher.model), "
                + "\(retriever.name) top-\(topK)" + (kind == .pairwise && bothOrders ? ", both orders" : "")
                + (kind == .listwise ? ", window \(window) stride \(stride)" : ""))
        return set
    }

    private func pointwise(
        _ query: Input, _ candidates: [SyntheticPassage], _ base: Int, _ session: TeacherSession,
        _ counts: inout SynthesisCounts
    ) async throws -> SyntheticRecord {
        let verification = RelevanceVerification(template: template, passageCharacters: passageCharacters)
        var record = SyntheticRecord(id: "p:\(query.id)", kind: "pointwise", query: query.text, queryID: query.id)
        for (i, candidate) in candidates.enumerated() {
            let verdict = try await verification.judge(
                query: query.text, passage: candidate.text, seed: base &+ i, session: session, counts: &counts)
            guard let verdict, let score = verdict.judgement.score else { continue }
            record.candidates.append(candidate)
            record.scores.append(score)
            record.provenance.append(
                session.provenance(step: "distill pointwise", prompt: verdict.prompt, keys: verdict.requestKeys))
        }
        if record.candidates.isEmpty {
            record.reject("no usable label")
            counts.reject("no usable label")
        }
        return record
    }

    /// Asks which of two passages is better; `true` when the first one is.
    private func prefersFirst(
        _ query: Input, _ first: SyntheticPassage, _ second: SyntheticPassage, seed: Int, _ session: TeacherSession,
        _ counts: inout SynthesisCounts
    ) async throws -> (Bool, RecordProvenance)? {
        let prompt = try template.render([
            "query": .string(query.text), "first": .string(truncatePassage(first.text, limit: passageCharacters)),
            "second": .string(truncatePassage(second.text, limit: passageCharacters)),
        ])
        let answer = try await session.askText(prompt, seed: seed, counts: &counts) { reply -> Bool? in
            Self.choice(reply.text)
        }
        guard let answer else { return nil }
        return (answer.value, session.provenance(step: "distill pairwise", prompt: prompt, keys: answer.requestKeys))
    }

    /// `true` for an answer choosing passage 1, `false` for 2, `nil` otherwise (first digit 1 or 2 wins).
    static func choice(_ text: String) -> Bool? {
        for character in text {
            if character == "1" { return true }
            if character == "2" { return false }
            if character.isNumber { return nil }
        }
        return nil
    }

    private func pairwise(
        _ query: Input, _ candidates: [SyntheticPassage], _ base: Int, _ session: TeacherSession,
        _ counts: inout SynthesisCounts
    ) async throws -> [SyntheticRecord] {
        var records: [SyntheticRecord] = []
        var pairIndex = 0
        for i in candidates.indices {
            for j in candidates.indices where j > i {
                defer { pairIndex += 1 }
                let seed = base &+ pairIndex * 2
                guard
                    let (firstWins, provenance) = try await prefersFirst(
                        query, candidates[i], candidates[j], seed: seed, session, &counts)
                else { continue }
                var record = SyntheticRecord(
                    id: "pw:\(query.id):\(candidates[i].id ?? "\(i)"):\(candidates[j].id ?? "\(j)")", kind: "pairwise",
                    query: query.text, queryID: query.id,
                    positives: [firstWins ? candidates[i] : candidates[j]],
                    negatives: [firstWins ? candidates[j] : candidates[i]], score: 1, provenance: [provenance])
                if bothOrders {
                    if let (secondFirstWins, reverse) = try await prefersFirst(
                        query, candidates[j], candidates[i], seed: seed &+ 1, session, &counts)
                    {
                        record.provenance.append(reverse)
                        if secondFirstWins == firstWins {
                            record.reject("orders disagree (position bias)")
                            counts.reject("orders disagree (position bias)")
                        }
                    }
                }
                records.append(record)
            }
        }
        return records
    }

    private func listwise(
        _ query: Input, _ candidates: [SyntheticPassage], _ base: Int, _ session: TeacherSession,
        _ counts: inout SynthesisCounts
    ) async throws -> SyntheticRecord {
        var order = candidates
        var record = SyntheticRecord(id: "l:\(query.id)", kind: "listwise", query: query.text, queryID: query.id)
        var end = order.count
        var step = 0
        while end > 0 {
            let start = max(0, end - window)
            let slice = Array(order[start..<end])
            if slice.count > 1 {
                let prompt = try template.render([
                    "query": .string(query.text),
                    "passages": .list(slice.map { .string(truncatePassage($0.text, limit: passageCharacters)) }),
                    "count": .int(slice.count),
                ])
                let answer = try await session.askText(prompt, seed: base &+ step, counts: &counts) { reply in
                    Self.permutation(reply.text, count: slice.count)
                }
                if let answer {
                    order.replaceSubrange(start..<end, with: answer.value.map { slice[$0] })
                    record.provenance.append(
                        session.provenance(step: "distill listwise", prompt: prompt, keys: answer.requestKeys))
                }
            }
            if start == 0 { break }
            end -= stride
            step += 1
        }
        record.candidates = order
        record.scores = order.indices.map { Double(order.count - $0) }
        return record
    }

    /// The 0-based permutation named by "[2] > [1] > [3]"; identifiers missing from the answer follow in
    /// their original order. `nil` when the answer names no valid identifier.
    static func permutation(_ text: String, count: Int) -> [Int]? {
        var seen: [Int] = []
        var digits = ""
        for character in text + " " {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !digits.isEmpty {
                if let n = Int(digits), (1...count).contains(n), !seen.contains(n - 1) { seen.append(n - 1) }
                digits = ""
            }
        }
        guard !seen.isEmpty else { return nil }
        return seen + (0..<count).filter { !seen.contains($0) }
    }
}
