import Foundation

/// One chat-completions request: the messages and how to sample the answer.
///
/// Everything here (with the endpoint's model name) is hashed into the request's store key;
/// the URL and API key are not. `n` > 1 is answered by `n` separate calls with seeds
/// `seed`, `seed + 1`, … (see ``LLMClient/completeAll(_:)``), so each sample is stored and replayed
/// on its own and asking for more samples later reuses the earlier ones.
///
/// ```swift
/// var request = ChatRequest(messages: [.user("Write a query for: …")], temperature: 0.7, seed: 1, maxTokens: 64)
/// request.responseFormat = .jsonSchema(name: "queries", schema: ["type": "object", …])
/// ```
package struct ChatRequest: Sendable, Hashable {
    package var messages: [ChatMessage]
    package var temperature: Double?
    package var topP: Double?
    package var seed: Int?
    package var maxTokens: Int?
    package var stop: [String]
    /// How many samples ``LLMClient/completeAll(_:)`` returns; ``LLMClient/complete(_:)`` returns the first.
    package var n: Int
    package var responseFormat: ResponseFormat
    /// A GBNF grammar (llama.cpp extension) constraining the output.
    package var grammar: String?
    /// Return the log-probability of each generated token.
    package var logprobs: Bool
    /// With ``logprobs``, how many alternatives to return per position (0…20).
    package var topLogprobs: Int?

    package init(
        messages: [ChatMessage], temperature: Double? = nil, topP: Double? = nil, seed: Int? = nil,
        maxTokens: Int? = nil, stop: [String] = [], n: Int = 1, responseFormat: ResponseFormat = .text,
        grammar: String? = nil, logprobs: Bool = false, topLogprobs: Int? = nil
    ) {
        self.messages = messages
        self.temperature = temperature
        self.topP = topP
        self.seed = seed
        self.maxTokens = maxTokens
        self.stop = stop
        self.n = n
        self.responseFormat = responseFormat
        self.grammar = grammar
        self.logprobs = logprobs
        self.topLogprobs = topLogprobs
    }

    /// The `n` single-sample requests that emulate this one: seeds `seed`, `seed + 1`, … (from 0 when unset).
    package var samples: [ChatRequest] {
        guard n > 1 else {
            var single = self
            single.n = 1
            return [single]
        }
        return (0..<n).map { index in
            var single = self
            single.n = 1
            single.seed = (seed ?? 0) + index
            return single
        }
    }
}

/// The shape of the answer a ``ChatRequest`` asks for.
package enum ResponseFormat: Sendable, Hashable {
    /// Free text.
    case text
    /// Any JSON object (`{"type": "json_object"}`).
    case jsonObject
    /// JSON matching `schema` (`{"type": "json_schema", "json_schema": {...}}`); llama.cpp turns it into a grammar.
    case jsonSchema(name: String, schema: JSONValue)
}
