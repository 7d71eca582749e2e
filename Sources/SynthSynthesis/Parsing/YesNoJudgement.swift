import Foundation

/// A yes/no judgement read from a teacher's answer: the verdict word and the probability of "yes".
///
/// Small teachers' argmax answers are unreliable, so the score is the probability mass the model put
/// on "yes" versus "no" at the verdict position, from the returned top log-probabilities:
///
///     score = Σ p(t) for t ∈ yes-tokens / (Σ p(t) for t ∈ yes-tokens + Σ p(t) for t ∈ no-tokens)
///
/// where tokens match after trimming spaces, quotes and punctuation and lowercasing ("Yes", " yes",
/// "YES" all count). The verdict position is the first generated token that reads as yes or no, so the
/// answer may be plain ("Yes, because …") or JSON (`{"relevant": "no", …}`). The verdict word is parsed
/// strictly — the first yes/no word of the answer — never by substring tests ("Not really" and "know"
/// do not count, unlike Syntriever's released code).
package struct YesNoJudgement: Sendable, Equatable {
    /// `true` for yes, `false` for no, `nil` when the answer holds neither word.
    package var verdict: Bool?
    /// P(yes) / (P(yes) + P(no)) at the verdict position; falls back to 1/0 from the verdict when the
    /// answer carries no log-probabilities, `nil` when there is neither.
    package var score: Double?
    /// Whether ``score`` came from log-probabilities (rather than from the verdict word).
    package var fromLogprobs: Bool
    /// The answer after the verdict word, trimmed (the teacher's reasoning).
    package var reasoning: String

    /// Reads a judgement from an answer's text and tokens.
    package init(text: String, tokens: [TeacherToken]) {
        let words = Self.words(text)
        var verdict: Bool?
        var reasoning = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for (i, word) in words.enumerated() {
            if let v = Self.polarity(word) {
                verdict = v
                reasoning = words[(i + 1)...].joined(separator: " ")
                break
            }
        }
        self.verdict = verdict
        self.reasoning = reasoning
        var score: Double?
        var fromLogprobs = false
        if let position = tokens.firstIndex(where: { Self.polarity($0.token) != nil }) {
            let token = tokens[position]
            var yes = 0.0
            var no = 0.0
            var seen: Set<String> = []
            let candidates =
                token.alternatives.isEmpty
                ? [TeacherToken.Alternative(token: token.token, logprob: token.logprob)] : token.alternatives
            for alternative in candidates where seen.insert(alternative.token).inserted {
                switch Self.polarity(alternative.token) {
                case true?: yes += exp(alternative.logprob)
                case false?: no += exp(alternative.logprob)
                case nil: break
                }
            }
            if yes + no > 0 {
                score = yes / (yes + no)
                fromLogprobs = true
            }
        }
        if score == nil, let verdict { score = verdict ? 1 : 0 }
        self.score = score
        self.fromLogprobs = fromLogprobs
    }

    /// Whether a token or word reads as yes (`true`), no (`false`) or neither.
    package static func polarity(_ token: String) -> Bool? {
        let trimmed = token.trimmingCharacters(in: CharacterSet.alphanumerics.inverted).lowercased()
        switch trimmed {
        case "yes": return true
        case "no": return false
        default: return nil
        }
    }

    private static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }
}
