import Testing

@testable import SynthLLM

@Suite("RetrySchedule (no network)")
struct RetryPolicyTests {
    private let endpoint = "http://127.0.0.1:1/v1"

    @Test func backoffGrowsExponentiallyWithinJitterBounds() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: 1, multiplier: 2, maxDelay: 10, jitter: 0.5)
        var schedule = RetrySchedule(policy: policy, seed: 7, endpoint: endpoint)
        let ceilings: [Double] = [1, 2, 4, 8, 10]
        for ceiling in ceilings {
            guard case .retry(let delay) = schedule.next(after: .status(500, message: "boom", retryAfter: nil)) else {
                Issue.record("expected a retry")
                return
            }
            #expect(delay <= ceiling && delay >= ceiling * 0.5, "delay \(delay) outside [\(ceiling / 2), \(ceiling)]")
        }
        #expect(schedule.failures == 5)
    }

    @Test func jitterIsDeterministicPerSeedAndDiffersAcrossSeeds() {
        func delays(seed: UInt64) -> [Double] {
            var schedule = RetrySchedule(policy: RetryPolicy(maxAttempts: 5), seed: seed, endpoint: endpoint)
            return (0..<4).compactMap {
                _ in if case .retry(let d) = schedule.next(after: .timeout) { d } else { nil }
            }
        }
        #expect(delays(seed: 1) == delays(seed: 1))
        #expect(delays(seed: 1) != delays(seed: 2))
    }

    @Test func noJitterGivesExactDelays() {
        var schedule = RetrySchedule(
            policy: RetryPolicy(maxAttempts: 4, baseDelay: 0.5, multiplier: 3, maxDelay: 100, jitter: 0), seed: 0,
            endpoint: endpoint)
        #expect(schedule.next(after: .connection("connection refused")) == .retry(after: 0.5))
        #expect(schedule.next(after: .connection("connection refused")) == .retry(after: 1.5))
        #expect(schedule.next(after: .malformed("x")) == .retry(after: 4.5))
    }

    @Test func retryAfterHeaderOverridesBackoffButIsCapped() {
        var schedule = RetrySchedule(
            policy: RetryPolicy(maxAttempts: 5, baseDelay: 0.1, maxDelay: 5), seed: 3, endpoint: endpoint)
        #expect(schedule.next(after: .status(429, message: "", retryAfter: 2)) == .retry(after: 2))
        #expect(schedule.next(after: .status(429, message: "", retryAfter: 60)) == .retry(after: 5))
    }

    @Test(arguments: [408, 409, 429, 500, 502, 503, 504])
    func retryableStatuses(_ code: Int) {
        var schedule = RetrySchedule(policy: RetryPolicy(), seed: 0, endpoint: endpoint)
        guard case .retry = schedule.next(after: .status(code, message: "", retryAfter: nil)) else {
            Issue.record("\(code) should be retried")
            return
        }
    }

    @Test(arguments: [400, 401, 403, 404, 422])
    func clientErrorsFailAtOnceWithTheServerMessage(_ code: Int) {
        var schedule = RetrySchedule(policy: RetryPolicy(), seed: 0, endpoint: endpoint)
        let action = schedule.next(after: .status(code, message: "bad field", retryAfter: nil))
        #expect(
            action == .fail(LLMError(.http, "llm request to http://127.0.0.1:1/v1 failed: http \(code): bad field")))
    }

    @Test func givesUpAfterMaxAttemptsNamingTheLastFailure() {
        var schedule = RetrySchedule(policy: RetryPolicy(maxAttempts: 3), seed: 0, endpoint: endpoint)
        _ = schedule.next(after: .status(429, message: "", retryAfter: nil))
        _ = schedule.next(after: .status(500, message: "", retryAfter: nil))
        let last = schedule.next(after: .timeout)
        #expect(
            last
                == .fail(
                    LLMError(
                        .retriesExhausted, "llm request to http://127.0.0.1:1/v1 failed after 3 attempts: timed out")))
    }

    @Test func singleAttemptPolicyNeverRetries() {
        var schedule = RetrySchedule(policy: RetryPolicy(maxAttempts: 1), seed: 0, endpoint: endpoint)
        #expect(
            schedule.next(after: .connection("connection lost"))
                == .fail(
                    LLMError(
                        .retriesExhausted,
                        "llm request to http://127.0.0.1:1/v1 failed after 1 attempt: connection failed: connection lost"
                    )))
    }
}
