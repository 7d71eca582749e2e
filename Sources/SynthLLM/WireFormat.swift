import Foundation
import SynthValues

/// The OpenAI chat-completions JSON for one single-sample request; its canonical text is both the
/// body sent and the store key's hash input (it holds no URL and no key).
struct WireRequest: Encodable, Sendable {
    var model: String
    var messages: [ChatMessage]
    var temperature: Double?
    var topP: Double?
    var seed: Int?
    var maxTokens: Int?
    var stop: [String]?
    var responseFormat: JSONValue?
    var grammar: String?
    var logprobs: Bool?
    var topLogprobs: Int?

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature
        case topP = "top_p"
        case seed
        case maxTokens = "max_tokens"
        case stop
        case responseFormat = "response_format"
        case grammar, logprobs
        case topLogprobs = "top_logprobs"
    }

    init(model: String, request: ChatRequest) {
        self.model = model
        messages = request.messages
        temperature = request.temperature
        topP = request.topP
        seed = request.seed
        maxTokens = request.maxTokens
        stop = request.stop.isEmpty ? nil : request.stop
        switch request.responseFormat {
        case .text: responseFormat = nil
        case .jsonObject: responseFormat = ["type": "json_object"]
        case .jsonSchema(let name, let schema):
            responseFormat = ["type": "json_schema", "json_schema": ["name": .string(name), "schema": schema]]
        }
        grammar = request.grammar
        logprobs = request.logprobs ? true : nil
        topLogprobs = request.logprobs ? request.topLogprobs : nil
    }

    /// Canonical JSON (sorted keys): the request body and the hash input.
    func canonicalJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// A request ready to send or look up: the canonical body and its key.
struct PreparedRequest: Sendable {
    var body: Data
    var key: String
    var model: String

    init(model: String, request: ChatRequest) {
        body = WireRequest(model: model, request: request).canonicalJSON()
        key = SHA256.hash(body).hex
        self.model = model
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// The fields of a chat-completions response that synthlab reads.
struct WireResponse: Decodable {
    struct Choice: Decodable {
        struct Message: Decodable { var content: String? }
        struct Logprobs: Decodable {
            struct Entry: Decodable {
                struct Top: Decodable {
                    var token: String
                    var logprob: Double
                }
                var token: String
                var logprob: Double
                var topLogprobs: [Top]?
                enum CodingKeys: String, CodingKey {
                    case token, logprob
                    case topLogprobs = "top_logprobs"
                }
            }
            var content: [Entry]?
        }
        var message: Message?
        var finishReason: String?
        var logprobs: Logprobs?
        enum CodingKeys: String, CodingKey {
            case message
            case finishReason = "finish_reason"
            case logprobs
        }
    }
    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }
    }
    var choices: [Choice]
    var usage: Usage?
    var timings: ServerTimings?

    /// Decodes a response body into a ``ChatResponse``.
    ///
    /// - Throws: a description of what is missing when the body is not a chat completion.
    static func parse(_ data: Data, key: String, replayed: Bool, latency: Double) throws(WireError) -> ChatResponse {
        let wire: WireResponse
        do { wire = try JSONDecoder().decode(WireResponse.self, from: data) } catch {
            throw WireError(message: "expected a chat completion JSON object, found \(Self.preview(data))")
        }
        guard let choice = wire.choices.first else {
            throw WireError(message: "expected at least one choice in the response, found none")
        }
        let logprobs = choice.logprobs?.content?.map { entry in
            TokenLogprob(
                token: entry.token, logprob: entry.logprob,
                top: (entry.topLogprobs ?? []).map { TokenLogprob.Alternative(token: $0.token, logprob: $0.logprob) })
        }
        return ChatResponse(
            text: choice.message?.content ?? "", logprobs: logprobs,
            usage: TokenUsage(
                promptTokens: wire.usage?.promptTokens ?? 0, completionTokens: wire.usage?.completionTokens ?? 0),
            finishReason: choice.finishReason, key: key, replayed: replayed, latency: latency,
            serverTimings: wire.timings)
    }

    /// The `error.message` of an error body, if it has one.
    static func errorMessage(_ data: Data) -> String? {
        struct ErrorBody: Decodable {
            struct Inner: Decodable { var message: String? }
            var error: Inner?
        }
        if let body = try? JSONDecoder().decode(ErrorBody.self, from: data), let message = body.error?.message {
            return message
        }
        return nil
    }

    /// The first 80 characters of a body, for error messages.
    static func preview(_ data: Data) -> String {
        if data.isEmpty { return "an empty body" }
        let text = String(decoding: data.prefix(80), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return "`\(text)\(data.count > 80 ? "…" : "")` (\(data.count) bytes)"
    }
}

/// A body that is not a usable chat completion.
struct WireError: Error, Sendable {
    var message: String
}
