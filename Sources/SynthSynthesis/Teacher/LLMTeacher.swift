import Foundation
import SynthLLM
import SynthValues

/// The production ``Teacher``: requests go through an ``LLMClient`` (response store, replay, offline
/// mode, retries on transport errors, concurrency limit, usage counters).
///
/// A JSON schema becomes `response_format: json_schema` (llama.cpp compiles it to a grammar); top
/// log-probabilities are requested when ``TeacherRequest/topLogprobs`` > 0. The request's store key is
/// what records carry as provenance, and a second run of the same requests replays every answer.
///
/// ```swift
/// let server = try await LocalLLMServerRegistry.shared.server(model: "smollm2")
/// let client = LLMClient(endpoint: server.endpoint, store: try ResponseStore(path: state.appendingPathComponent("llm.sqlite")))
/// let teacher = LLMTeacher(client: client)
/// ```
package struct LLMTeacher: Teacher {
    package var client: LLMClient
    package var model: String { client.endpoint.model }

    package init(client: LLMClient) { self.client = client }

    package func complete(_ request: TeacherRequest) async throws -> TeacherReply {
        let response = try await client.complete(Self.chatRequest(request))
        let tokens = (response.logprobs ?? []).map { token in
            TeacherToken(
                token: token.token, logprob: token.logprob,
                alternatives: token.top.map { TeacherToken.Alternative(token: $0.token, logprob: $0.logprob) })
        }
        return TeacherReply(
            text: response.text, tokens: tokens, promptTokens: response.usage.promptTokens,
            completionTokens: response.usage.completionTokens, requestKey: response.key,
            replayed: response.replayed, finishReason: response.finishReason)
    }

    /// The chat request for a teacher request.
    package static func chatRequest(_ request: TeacherRequest) -> ChatRequest {
        var chat = ChatRequest(
            messages: request.messages.map { ChatMessage(role: $0.role, content: $0.content) },
            temperature: request.temperature, seed: request.seed, maxTokens: request.maxTokens)
        if let schema = request.jsonSchema, let value = try? JSONValue(parsing: schema) {
            chat.responseFormat = .jsonSchema(name: "answer", schema: value)
        }
        if request.topLogprobs > 0 {
            chat.logprobs = true
            chat.topLogprobs = min(20, request.topLogprobs)
        }
        return chat
    }
}
