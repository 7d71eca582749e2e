import SynthValues

/// Why an LLM call failed, in words for the user (never containing the API key or a full prompt).
///
/// A struct over a kind, so new failure modes can be added without breaking callers that only
/// print the message.
package struct LLMError: Error, Sendable, Equatable, CustomStringConvertible, DiagnosticConvertible {
    /// The broad reason.
    package enum Kind: String, Sendable, Equatable {
        /// The server answered with an HTTP error status.
        case http
        /// The connection could not be made, was reset, or the body was cut off.
        case connection
        /// An attempt took longer than the endpoint's timeout.
        case timeout
        /// The server answered 200 with something that is not a chat completion.
        case malformedResponse
        /// Offline mode and no stored response for the request.
        case offlineMissing
        /// The endpoint's `key_env` variable is not set.
        case missingAPIKey
        /// Retries were exhausted (the message names the last failure).
        case retriesExhausted
        /// The local server could not be found, started or kept running.
        case server
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
    package var diagnostic: Diagnostic { Diagnostic(.error, message) }

    /// The offline-mode error for a request key.
    package static func offlineMissing(key: String) -> LLMError {
        LLMError(.offlineMissing, "no stored response for request \(key.prefix(12)) (offline mode)")
    }
}
