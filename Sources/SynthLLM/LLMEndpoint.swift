import Foundation

/// Where and how to reach an OpenAI-compatible chat-completions server.
///
/// The API key is never part of the endpoint: `keyEnv` names the environment variable that holds it,
/// so configs, the response store, logs, errors and reports never contain the key itself. The URL
/// is not part of a request's store key either, so a run against a local server can be replayed on
/// another machine.
///
/// ```swift
/// let openai = LLMEndpoint(url: URL(string: "https://api.openai.com/v1")!, model: "gpt-4o-mini", keyEnv: "OPENAI_API_KEY")
/// ```
package struct LLMEndpoint: Sendable, Hashable, Codable {
    /// The API base (`…/v1`); `chat/completions` is appended unless the URL already ends with it.
    package var url: URL
    /// The model name sent with every request (and part of every store key).
    package var model: String
    /// The NAME of the environment variable holding the API key, or nil for servers without keys.
    package var keyEnv: String?
    /// Seconds one HTTP attempt may take before it counts as a timeout (and is retried); at least 1.
    package var timeout: Double
    /// The most requests in flight at once.
    package var concurrency: Int

    package init(url: URL, model: String, keyEnv: String? = nil, timeout: Double = 300, concurrency: Int = 4) {
        self.url = url
        self.model = model
        self.keyEnv = keyEnv
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
    }

    enum CodingKeys: String, CodingKey {
        case url, model
        case keyEnv = "key_env"
        case timeout, concurrency
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            url: try container.decode(URL.self, forKey: .url), model: try container.decode(String.self, forKey: .model),
            keyEnv: try container.decodeIfPresent(String.self, forKey: .keyEnv),
            timeout: try container.decodeIfPresent(Double.self, forKey: .timeout) ?? 300,
            concurrency: try container.decodeIfPresent(Int.self, forKey: .concurrency) ?? 4)
    }

    /// The chat-completions URL.
    package var chatCompletionsURL: URL {
        let text = url.absoluteString
        if text.hasSuffix("/chat/completions") { return url }
        return URL(string: text.hasSuffix("/") ? text + "chat/completions" : text + "/chat/completions")!
    }
}
