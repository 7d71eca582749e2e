import Foundation

/// The answer to one ``ChatRequest`` sample, from the server or replayed from the store.
package struct ChatResponse: Sendable, Equatable {
    /// The assistant message content.
    package var text: String
    /// Per-token log-probabilities when the request asked for them.
    package var logprobs: [TokenLogprob]?
    /// Tokens the call consumed.
    package var usage: TokenUsage
    /// `stop`, `length`, … as the server reported it.
    package var finishReason: String?
    /// The store key (SHA-256 hex of the canonical request).
    package var key: String
    /// True when this came from the store instead of a new call.
    package var replayed: Bool
    /// Seconds the original call took.
    package var latency: Double
    /// llama.cpp's own timing report, when the server sent one.
    package var serverTimings: ServerTimings?

    package init(
        text: String, logprobs: [TokenLogprob]? = nil, usage: TokenUsage, finishReason: String?, key: String,
        replayed: Bool, latency: Double, serverTimings: ServerTimings? = nil
    ) {
        self.text = text
        self.logprobs = logprobs
        self.usage = usage
        self.finishReason = finishReason
        self.key = key
        self.replayed = replayed
        self.latency = latency
        self.serverTimings = serverTimings
    }
}

/// Prompt and completion token counts of one call.
package struct TokenUsage: Sendable, Equatable, Codable {
    package var promptTokens: Int
    package var completionTokens: Int
    package init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// One generated token with its log-probability and the most likely alternatives.
package struct TokenLogprob: Sendable, Equatable, Codable {
    package var token: String
    package var logprob: Double
    package var top: [Alternative]

    package init(token: String, logprob: Double, top: [Alternative] = []) {
        self.token = token
        self.logprob = logprob
        self.top = top
    }

    /// An alternative token at the same position.
    package struct Alternative: Sendable, Equatable, Codable {
        package var token: String
        package var logprob: Double
        package init(token: String, logprob: Double) {
            self.token = token
            self.logprob = logprob
        }
    }
}

/// The `timings` object llama.cpp adds to each response (prompt and generation speed on the server).
package struct ServerTimings: Sendable, Equatable, Codable {
    package var promptTokens: Int
    package var promptMilliseconds: Double
    package var predictedTokens: Int
    package var predictedMilliseconds: Double
    /// Tokens drafted by speculative decoding (``SpeculativeDecoding``); nil when it is off.
    package var draftTokens: Int?
    /// Drafted tokens the model kept.
    package var draftAccepted: Int?

    package init(
        promptTokens: Int, promptMilliseconds: Double, predictedTokens: Int, predictedMilliseconds: Double,
        draftTokens: Int? = nil, draftAccepted: Int? = nil
    ) {
        self.promptTokens = promptTokens
        self.promptMilliseconds = promptMilliseconds
        self.predictedTokens = predictedTokens
        self.predictedMilliseconds = predictedMilliseconds
        self.draftTokens = draftTokens
        self.draftAccepted = draftAccepted
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_n"
        case promptMilliseconds = "prompt_ms"
        case predictedTokens = "predicted_n"
        case predictedMilliseconds = "predicted_ms"
        case draftTokens = "draft_n"
        case draftAccepted = "draft_n_accepted"
    }
}
