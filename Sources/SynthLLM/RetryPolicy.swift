import Foundation
import SynthValues

/// How often and how long to wait before retrying a failed LLM call.
///
/// Exponential backoff with jitter: the wait before retry `k` (1-based) is
/// `min(maxDelay, baseDelay · multiplier^(k-1))`, scaled by a random factor in `[1 - jitter, 1]`
/// ("equal jitter" when `jitter` = 0.5), so many clients that failed together do not retry together.
/// A `Retry-After` header on a 429 or 503 overrides the computed wait (capped at `maxDelay`).
package struct RetryPolicy: Sendable, Equatable {
    /// Attempts in total, including the first (1 = never retry).
    package var maxAttempts: Int
    package var baseDelay: Double
    package var multiplier: Double
    package var maxDelay: Double
    /// The fraction of each wait that is random, in 0…1.
    package var jitter: Double

    package init(
        maxAttempts: Int = 5, baseDelay: Double = 0.5, multiplier: Double = 2, maxDelay: Double = 30,
        jitter: Double = 0.5
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = min(1, max(0, jitter))
    }
}

/// What went wrong with one HTTP attempt, as the retry state machine sees it.
package enum AttemptFailure: Error, Sendable, Equatable {
    /// An HTTP error status with the server's message and its `Retry-After` seconds, if any.
    case status(Int, message: String, retryAfter: Double?)
    /// Connection refused, reset, or the body cut off.
    case connection(String)
    /// The attempt exceeded the timeout.
    case timeout
    /// A 200 whose body is not a chat completion (often a truncated one).
    case malformed(String)

    /// Whether a later attempt may succeed: rate limits, server errors, network trouble and bad bodies.
    package var isRetryable: Bool {
        switch self {
        case .status(let code, _, _): code == 408 || code == 409 || code == 429 || code >= 500
        case .connection, .timeout, .malformed: true
        }
    }

    /// Lowercase words for error messages.
    package var summary: String {
        switch self {
        case .status(let code, let message, _): message.isEmpty ? "http \(code)" : "http \(code): \(message)"
        case .connection(let reason): "connection failed: \(reason)"
        case .timeout: "timed out"
        case .malformed(let reason): "malformed response: \(reason)"
        }
    }

    var errorKind: LLMError.Kind {
        switch self {
        case .status: .http
        case .connection: .connection
        case .timeout: .timeout
        case .malformed: .malformedResponse
        }
    }
}

/// The next step after an attempt failed.
package enum RetryAction: Sendable, Equatable {
    /// Sleep this many seconds, then send the request again.
    case retry(after: Double)
    /// Stop and throw this error.
    case fail(LLMError)
}

/// The retry state machine for one request: feed it each failure, perform the action it returns.
///
/// Pure and deterministic for a given seed, so backoff and give-up behaviour are tested without a
/// network; ``LLMClient`` performs the actions.
///
/// ```swift
/// var retry = RetrySchedule(policy: RetryPolicy(), seed: 42, endpoint: "http://127.0.0.1:8080/v1")
/// switch retry.next(after: .status(429, message: "", retryAfter: nil)) {
/// case .retry(let seconds): try await Task.sleep(for: .seconds(seconds))
/// case .fail(let error): throw error
/// }
/// ```
package struct RetrySchedule: Sendable {
    package let policy: RetryPolicy
    /// Failed attempts so far.
    package private(set) var failures = 0
    private var random: SplitMix64
    private let endpoint: String

    /// - Parameters:
    ///   - seed: seeds the jitter; pass a fixed value in tests.
    ///   - endpoint: named in the give-up message (a URL, never a key).
    package init(policy: RetryPolicy, seed: UInt64, endpoint: String) {
        self.policy = policy
        random = SplitMix64(seed: seed)
        self.endpoint = endpoint
    }

    /// Records a failed attempt and decides what to do next.
    package mutating func next(after failure: AttemptFailure) -> RetryAction {
        failures += 1
        guard failure.isRetryable else {
            return .fail(LLMError(failure.errorKind, "llm request to \(endpoint) failed: \(failure.summary)"))
        }
        guard failures < policy.maxAttempts else {
            let attempts = failures == 1 ? "1 attempt" : "\(failures) attempts"
            return .fail(
                LLMError(.retriesExhausted, "llm request to \(endpoint) failed after \(attempts): \(failure.summary)"))
        }
        let exponential = policy.baseDelay * pow(policy.multiplier, Double(failures - 1))
        var delay = min(policy.maxDelay, exponential)
        delay *= 1 - policy.jitter * random.nextUnit()
        if case .status(_, _, let retryAfter?) = failure { delay = min(policy.maxDelay, max(0, retryAfter)) }
        return .retry(after: delay)
    }
}
