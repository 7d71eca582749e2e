/// The LLM that writes and judges synthetic data, as synthesis sees it.
///
/// Synthesis code depends on this protocol only, so it can be tested with scripted teachers; the
/// production conformance is ``LLMTeacher``, which sends requests through ``SynthLLM``'s client
/// (response store, replay, offline mode, usage counters).
package protocol Teacher: Sendable {
    /// The model name recorded in provenance (for example `qwen2.5-coder-0.5b-instruct-q4_k_m`).
    var model: String { get }
    /// Sends one chat request and returns the answer.
    func complete(_ request: TeacherRequest) async throws -> TeacherReply
}

/// One chat message.
package struct TeacherMessage: Sendable, Equatable, Codable {
    package var role: String
    package var content: String
    package init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// A request to the teacher.
package struct TeacherRequest: Sendable, Equatable {
    package var messages: [TeacherMessage]
    package var maxTokens: Int
    package var temperature: Double
    /// The sampling seed; retries of a malformed answer use a different seed.
    package var seed: Int
    /// A JSON schema (JSON text) the answer must follow, sent as `response_format`.
    package var jsonSchema: String?
    /// How many alternatives to return per generated token (0 = no logprobs).
    package var topLogprobs: Int

    package init(
        messages: [TeacherMessage], maxTokens: Int, temperature: Double = 0, seed: Int = 0, jsonSchema: String? = nil,
        topLogprobs: Int = 0
    ) {
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.seed = seed
        self.jsonSchema = jsonSchema
        self.topLogprobs = topLogprobs
    }

    /// A request for a rendered template, with the template's defaults unless overridden.
    package init(
        _ prompt: RenderedPrompt, maxTokens: Int? = nil, temperature: Double? = nil, seed: Int = 0,
        topLogprobs: Int = 0, constrained: Bool = true
    ) {
        var messages: [TeacherMessage] = []
        if let system = prompt.system { messages.append(TeacherMessage(role: "system", content: system)) }
        messages.append(TeacherMessage(role: "user", content: prompt.user))
        self.init(
            messages: messages, maxTokens: maxTokens ?? prompt.maxTokens ?? 128,
            temperature: temperature ?? prompt.temperature ?? 0, seed: seed,
            jsonSchema: constrained ? prompt.schema : nil, topLogprobs: topLogprobs)
    }
}

/// A generated token with its log-probability and the most likely alternatives at its position.
package struct TeacherToken: Sendable, Equatable, Codable {
    package var token: String
    package var logprob: Double
    package var alternatives: [Alternative]

    package struct Alternative: Sendable, Equatable, Codable {
        package var token: String
        package var logprob: Double
        package init(token: String, logprob: Double) {
            self.token = token
            self.logprob = logprob
        }
    }

    package init(token: String, logprob: Double, alternatives: [Alternative] = []) {
        self.token = token
        self.logprob = logprob
        self.alternatives = alternatives
    }
}

/// The teacher's answer and what it cost.
package struct TeacherReply: Sendable, Equatable {
    package var text: String
    package var tokens: [TeacherToken]
    /// Tokens of the request (for a replayed answer: what it cost when it was first asked).
    package var promptTokens: Int
    package var completionTokens: Int
    /// The response store's key for this request (provenance; replays find it again).
    package var requestKey: String
    /// Whether the answer came from the response store rather than a new request.
    package var replayed: Bool
    /// `stop`, `length`, …
    package var finishReason: String?

    package init(
        text: String, tokens: [TeacherToken] = [], promptTokens: Int = 0, completionTokens: Int = 0,
        requestKey: String = "", replayed: Bool = false, finishReason: String? = nil
    ) {
        self.text = text
        self.tokens = tokens
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.requestKey = requestKey
        self.replayed = replayed
        self.finishReason = finishReason
    }

    /// Mean log-probability of the generated tokens (InPars v1's filter score), or `nil` without logprobs.
    package var meanLogprob: Double? {
        guard !tokens.isEmpty else { return nil }
        return tokens.map(\.logprob).reduce(0, +) / Double(tokens.count)
    }
}
