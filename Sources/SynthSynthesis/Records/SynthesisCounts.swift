/// What a synthesis step did: requests, tokens, repairs, retries, failures and rejections.
///
/// Malformed teacher output never crashes a run: it is repaired (counted per kind of repair) or
/// retried with a different seed (``retried``), and when every attempt fails the item is skipped and
/// counted in ``failed``. These counts are shown under the cell.
package struct SynthesisCounts: Sendable, Equatable, Codable {
    package var requestsNew = 0
    package var requestsReplayed = 0
    /// Tokens of new requests (what this run spent).
    package var promptTokens = 0
    package var completionTokens = 0
    /// Tokens of the replayed answers when they were first asked (what the data cost, though not this run).
    package var replayedPromptTokens = 0
    package var replayedCompletionTokens = 0
    /// Answers that needed at least one repair.
    package var answersRepaired = 0
    /// Repairs applied, by kind (one answer may need several).
    package var repaired: [String: Int] = [:]
    /// Extra requests made because an answer was unusable.
    package var retried = 0
    /// Items given up after all attempts.
    package var failed = 0
    /// Records rejected, by reason.
    package var rejected: [String: Int] = [:]

    package init() {}

    enum CodingKeys: String, CodingKey {
        case requestsNew = "requests_new"
        case requestsReplayed = "requests_replayed"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case replayedPromptTokens = "replayed_prompt_tokens"
        case replayedCompletionTokens = "replayed_completion_tokens"
        case answersRepaired = "answers_repaired"
        case repaired, retried, failed, rejected
    }

    /// Counts that archives written before the replayed-token counts existed still decode (as 0).
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        requestsNew = try c.decodeIfPresent(Int.self, forKey: .requestsNew) ?? 0
        requestsReplayed = try c.decodeIfPresent(Int.self, forKey: .requestsReplayed) ?? 0
        promptTokens = try c.decodeIfPresent(Int.self, forKey: .promptTokens) ?? 0
        completionTokens = try c.decodeIfPresent(Int.self, forKey: .completionTokens) ?? 0
        replayedPromptTokens = try c.decodeIfPresent(Int.self, forKey: .replayedPromptTokens) ?? 0
        replayedCompletionTokens = try c.decodeIfPresent(Int.self, forKey: .replayedCompletionTokens) ?? 0
        answersRepaired = try c.decodeIfPresent(Int.self, forKey: .answersRepaired) ?? 0
        repaired = try c.decodeIfPresent([String: Int].self, forKey: .repaired) ?? [:]
        retried = try c.decodeIfPresent(Int.self, forKey: .retried) ?? 0
        failed = try c.decodeIfPresent(Int.self, forKey: .failed) ?? 0
        rejected = try c.decodeIfPresent([String: Int].self, forKey: .rejected) ?? [:]
    }

    /// Counts one teacher reply: its tokens go to the new or the replayed totals.
    package mutating func add(_ reply: TeacherReply) {
        if reply.replayed {
            requestsReplayed += 1
            replayedPromptTokens += reply.promptTokens
            replayedCompletionTokens += reply.completionTokens
        } else {
            requestsNew += 1
            promptTokens += reply.promptTokens
            completionTokens += reply.completionTokens
        }
    }

    /// Counts the repairs of one answer.
    package mutating func add(repairs: [JSONRepair.Repair]) {
        if !repairs.isEmpty { answersRepaired += 1 }
        for repair in repairs { repaired[repair.rawValue, default: 0] += 1 }
    }

    package mutating func reject(_ reason: String) { rejected[reason, default: 0] += 1 }

    /// Adds another step's counts.
    package mutating func merge(_ other: SynthesisCounts) {
        requestsNew += other.requestsNew
        requestsReplayed += other.requestsReplayed
        promptTokens += other.promptTokens
        completionTokens += other.completionTokens
        replayedPromptTokens += other.replayedPromptTokens
        replayedCompletionTokens += other.replayedCompletionTokens
        answersRepaired += other.answersRepaired
        retried += other.retried
        failed += other.failed
        for (k, v) in other.repaired { repaired[k, default: 0] += v }
        for (k, v) in other.rejected { rejected[k, default: 0] += v }
    }
}
