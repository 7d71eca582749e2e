import Foundation
import SynthValues

/// A reward r(x) over candidate queries for critique → revise chains.
///
/// Rewards are on a log scale where it matters: the Metropolis–Hastings rule compares exp(r(x′) − r(x)).
package protocol SampleReward: Sendable {
    /// The name shown in reports (`judge`, `rr_bm25`).
    var name: String { get }
    /// The reward of `query` as a query for `record`'s positive passage, with the keys of any LLM requests.
    func reward(query: String, record: SyntheticRecord, seed: Int, counts: inout SynthesisCounts) async throws
        -> (value: Double, requestKeys: [String])
}

/// An LLM judge's log P(yes) that the passage answers the query (the ``RelevanceVerification`` prompt).
///
/// r(x) = log(max(P(yes), 10⁻⁶)); an unparseable verdict scores log 10⁻⁶.
package struct JudgeReward: SampleReward {
    package var verification: RelevanceVerification
    package var session: TeacherSession
    package var name: String { "judge" }

    package init(verification: RelevanceVerification, session: TeacherSession) {
        self.verification = verification
        self.session = session
    }

    package func reward(query: String, record: SyntheticRecord, seed: Int, counts: inout SynthesisCounts)
        async throws -> (value: Double, requestKeys: [String])
    {
        guard let passage = record.positive?.text else { return (log(1e-6), []) }
        let verdict = try await verification.judge(
            query: query, passage: passage, seed: seed, session: session, counts: &counts)
        let p = verdict?.judgement.score ?? 0
        return (log(max(p, 1e-6)), verdict?.requestKeys ?? [])
    }
}

/// The reciprocal rank of the record's source passage when `query` is searched (0 when not in the top k).
package struct RetrievalReward: SampleReward {
    package var retriever: any PassageRetriever
    package var topK: Int
    package var name: String { "rr_\(retriever.name)" }

    package init(retriever: any PassageRetriever, topK: Int = 10) {
        self.retriever = retriever
        self.topK = topK
    }

    package func reward(query: String, record: SyntheticRecord, seed: Int, counts: inout SynthesisCounts)
        async throws -> (value: Double, requestKeys: [String])
    {
        guard let id = record.positive?.id else { return (0, []) }
        return (try await retriever.reciprocalRank(of: id, for: query, topK: topK), [])
    }
}
