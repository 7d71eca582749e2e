import Foundation

/// One LLM call as the ``ResponseStore`` keeps it: the request (never the URL or API key), the raw
/// response, token counts and timing.
///
/// Rows are written once, as soon as the response arrives, and never updated: re-running a notebook
/// replays them, so a run killed mid-synthesis resumes without repeating finished calls.
package struct StoredResponse: Sendable, Equatable, Codable {
    /// SHA-256 (hex) of the canonical request: model name, messages, sampling parameters, seed,
    /// response format or grammar, and logprob settings.
    package var key: String
    /// The endpoint's model name as sent in the request.
    package var model: String
    /// The canonical request JSON (the hash input); contains no secrets.
    package var requestJSON: String
    /// The server's response body, verbatim.
    package var responseJSON: String
    package var promptTokens: Int
    package var completionTokens: Int
    /// When the response was received.
    package var createdAt: Date
    /// Seconds from sending the request to receiving the full response (the successful attempt).
    package var latency: Double

    package init(
        key: String, model: String, requestJSON: String, responseJSON: String, promptTokens: Int,
        completionTokens: Int, createdAt: Date = Date(), latency: Double
    ) {
        self.key = key
        self.model = model
        self.requestJSON = requestJSON
        self.responseJSON = responseJSON
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.createdAt = createdAt
        self.latency = latency
    }
}
