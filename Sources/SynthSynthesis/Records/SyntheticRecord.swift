/// A passage in a synthetic record: a corpus document (with its id) or LLM-written text (id `nil`).
package struct SyntheticPassage: Sendable, Equatable, Codable {
    package var id: String?
    package var text: String
    /// Where it came from: `corpus`, `synthetic`, `rejected-positive` (a generated positive the verifier
    /// judged not relevant, kept as a hard negative per Syntriever), `retrieved`.
    package var origin: String

    package init(id: String? = nil, text: String, origin: String) {
        self.id = id
        self.text = text
        self.origin = origin
    }
}

/// One step of a record's history: which template, teacher and request made or judged it.
package struct RecordProvenance: Sendable, Equatable, Codable {
    /// The command step (`synthesize queries`, `critique verify`, …).
    package var step: String
    package var template: String
    /// SHA-256 of the template file.
    package var templateHash: String
    package var model: String
    /// Response-store keys of the requests (several when a malformed answer was retried).
    package var requestKeys: [String]

    package init(step: String, template: String, templateHash: String, model: String, requestKeys: [String]) {
        self.step = step
        self.template = template
        self.templateHash = templateHash
        self.model = model
        self.requestKeys = requestKeys
    }

    enum CodingKeys: String, CodingKey {
        case step, template, model
        case templateHash = "template_hash"
        case requestKeys = "request_keys"
    }
}

/// One synthetic example: a query with passages, a ranked chain of sentences, or a teacher label.
///
/// Training consumes records as (query, positive passage, hard negatives); ranked chains carry their
/// sentences in ``texts`` (index = rank); distillation labels carry candidates and ``scores``.
package struct SyntheticRecord: Sendable, Equatable, Codable {
    /// Unique within its set (for example `q:4983:0` — source doc 4983, first query).
    package var id: String
    /// `query`, `syntriever`, `ranked-chain`, `pointwise`, `pairwise`, `listwise`, `revision`.
    package var kind: String
    package var query: String
    /// The id of a real query this record was made for, if any.
    package var queryID: String?
    /// Relevant passages: the source or gold passage first (origin `corpus`), then synthetic ones.
    package var positives: [SyntheticPassage]
    /// Hard negatives: synthetic "plausibly irrelevant" passages and rejected synthetic positives.
    package var negatives: [SyntheticPassage]
    /// Labelled candidates of a distillation record (retrieved passages), aligned with ``scores``.
    package var candidates: [SyntheticPassage]
    /// Named extra texts (`cot`, `reasoning`, `critique`, `original`).
    package var extra: [String: String]
    /// Ordered texts (ranked chain sentences, or candidates ranked best first for listwise labels).
    package var texts: [String]
    /// Per-candidate teacher scores (pointwise yes-probabilities, listwise rank scores).
    package var scores: [Double]
    /// The record's quality score (verifier yes-probability, mean logprob, reward).
    package var score: Double?
    package var accepted: Bool
    /// Why the record was rejected (`verifier said no`, `not in bm25 top-3`, …), `nil` when accepted.
    package var rejection: String?
    package var provenance: [RecordProvenance]

    package init(
        id: String, kind: String, query: String = "", queryID: String? = nil, positives: [SyntheticPassage] = [],
        negatives: [SyntheticPassage] = [], candidates: [SyntheticPassage] = [], extra: [String: String] = [:],
        texts: [String] = [],
        scores: [Double] = [], score: Double? = nil, accepted: Bool = true, rejection: String? = nil,
        provenance: [RecordProvenance] = []
    ) {
        self.id = id
        self.kind = kind
        self.query = query
        self.queryID = queryID
        self.positives = positives
        self.negatives = negatives
        self.candidates = candidates
        self.extra = extra
        self.texts = texts
        self.scores = scores
        self.score = score
        self.accepted = accepted
        self.rejection = rejection
        self.provenance = provenance
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, query, positives, negatives, candidates, extra, texts, scores, score, accepted, rejection,
            provenance
        case queryID = "query_id"
    }

    /// The primary positive passage (the source or gold passage when known).
    package var positive: SyntheticPassage? { positives.first }

    /// Marks the record rejected with `reason` (the first reason wins).
    package mutating func reject(_ reason: String) {
        if accepted { rejection = reason }
        accepted = false
    }
}
