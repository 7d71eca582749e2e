import Foundation
import SynthStore
import SynthValues

/// An OpenAI-compatible chat-completions client with a response store, retries and a concurrency limit.
///
/// Every sample is looked up in the ``ResponseStore`` first (by its key: SHA-256 of the canonical
/// request, without URL or key) and replayed when found. Otherwise it is sent, at most
/// ``LLMEndpoint/concurrency`` at a time, retried with exponential backoff and jitter on 429, 5xx,
/// connection failures, timeouts and malformed bodies (see ``RetrySchedule``), and committed to the
/// store as soon as it arrives, so an interrupted run resumes where it stopped. In `offline` mode a
/// missing response is an error instead of a call. Identical requests in flight at the same time are
/// sent once.
///
/// ```swift
/// let client = LLMClient(endpoint: server.endpoint, store: try ResponseStore(path: stateFolder.appending(path: "llm.sqlite")))
/// let answer = try await client.complete(ChatRequest(messages: [.user("Say hi")], seed: 1, maxTokens: 8))
/// let usage = await client.usage   // requestsNew, requestsReplayed, promptTokens, completionTokens
/// ```
package actor LLMClient {
    package nonisolated let endpoint: LLMEndpoint
    package nonisolated let offline: Bool
    private let store: ResponseStore?
    private let retryPolicy: RetryPolicy
    private let environment: [String: String]
    private let transport: HTTPTransport
    private let limiter: AsyncSemaphore
    private var inFlight: [String: Task<ChatResponse, any Error>] = [:]
    private var jitter: SplitMix64

    /// Requests and tokens so far. Token counts are those of new calls (what this run spent);
    /// replayed responses count in ``LLMUsage/requestsReplayed`` only.
    package private(set) var usage = LLMUsage()

    /// - Parameters:
    ///   - store: where responses are replayed from and saved to; nil keeps nothing.
    ///   - offline: make a missing stored response an error instead of a call.
    ///   - environment: where ``LLMEndpoint/keyEnv`` is looked up (the process environment by default).
    ///   - jitterSeed: seeds backoff jitter (tests pass a constant).
    package init(
        endpoint: LLMEndpoint, store: ResponseStore?, offline: Bool = false, retryPolicy: RetryPolicy = RetryPolicy(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        jitterSeed: UInt64 = UInt64.random(in: 0...UInt64.max)
    ) {
        self.endpoint = endpoint
        self.store = store
        self.offline = offline
        self.retryPolicy = retryPolicy
        self.environment = environment
        transport = HTTPTransport(concurrency: endpoint.concurrency, timeout: endpoint.timeout)
        limiter = AsyncSemaphore(limit: endpoint.concurrency)
        jitter = SplitMix64(seed: jitterSeed)
        usage.endpoints = ["\(endpoint.model) @ \(endpoint.url.absoluteString)"]
    }

    deinit { transport.close() }

    // MARK: - Public calls

    /// The first (or only) sample of `request`.
    ///
    /// - Throws: ``LLMError`` (offline miss, missing key, non-retryable status, retries exhausted),
    ///   a store ``Diagnostic``, or `CancellationError`.
    package func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await sample(request.samples[0])
    }

    /// All `request.n` samples, sent as separate calls with seeds `seed`, `seed + 1`, … (in order).
    package func completeAll(_ request: ChatRequest) async throws -> [ChatResponse] {
        try await complete(batch: request.samples)
    }

    /// The first sample of each request, sent concurrently (up to the endpoint's limit), in input order.
    ///
    /// - Parameter progress: called after each finished request with the number done so far.
    package func complete(
        batch requests: [ChatRequest], progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> [ChatResponse] {
        try await withThrowingTaskGroup(of: (Int, ChatResponse).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask { (index, try await self.complete(request)) }
            }
            var results = [ChatResponse?](repeating: nil, count: requests.count)
            var done = 0
            for try await (index, response) in group {
                results[index] = response
                done += 1
                progress?(done)
            }
            return results.map { $0! }
        }
    }

    /// The store key a request's first sample has with this endpoint (for inspection and tests).
    package nonisolated func key(for request: ChatRequest) -> String {
        PreparedRequest(model: endpoint.model, request: request.samples[0]).key
    }

    // MARK: - One sample

    private func sample(_ request: ChatRequest) async throws -> ChatResponse {
        let prepared = PreparedRequest(model: endpoint.model, request: request)
        if let running = inFlight[prepared.key] {
            var response = try await running.value
            response.replayed = true
            usage.requestsReplayed += 1
            return response
        }
        if let stored = try await store?.response(forKey: prepared.key) {
            usage.requestsReplayed += 1
            do {
                return try WireResponse.parse(
                    Data(stored.responseJSON.utf8), key: stored.key, replayed: true, latency: stored.latency)
            } catch {
                throw LLMError(
                    .malformedResponse,
                    "stored response for request \(prepared.key.prefix(12)) is unreadable: \(error.message)")
            }
        }
        if offline { throw LLMError.offlineMissing(key: prepared.key) }
        let bearer = try apiKey()
        let seed = jitter.next()
        let task = Task { try await self.send(prepared, bearer: bearer, jitterSeed: seed) }
        inFlight[prepared.key] = task
        defer { inFlight[prepared.key] = nil }
        let response = try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
        usage.requestsNew += 1
        usage.promptTokens += response.usage.promptTokens
        usage.completionTokens += response.usage.completionTokens
        return response
    }

    private func apiKey() throws -> String? {
        guard let name = endpoint.keyEnv else { return nil }
        guard let value = environment[name], !value.isEmpty else {
            throw LLMError(
                .missingAPIKey, "environment variable \(name) (key_env of endpoint \(endpoint.model)) is not set")
        }
        return value
    }

    /// Sends with retries, then stores; runs off the actor except for the short store hop.
    private nonisolated func send(_ prepared: PreparedRequest, bearer: String?, jitterSeed: UInt64) async throws
        -> ChatResponse
    {
        var schedule = RetrySchedule(policy: retryPolicy, seed: jitterSeed, endpoint: endpoint.url.absoluteString)
        while true {
            try Task.checkCancellation()
            try await limiter.acquire()
            let started = ContinuousClock.now
            let outcome: Result<HTTPTransport.Reply, AttemptFailure>
            do {
                outcome = try await transport.post(
                    url: endpoint.chatCompletionsURL, body: prepared.body, bearer: bearer, timeout: endpoint.timeout)
            } catch {
                await limiter.release()
                throw error
            }
            await limiter.release()
            let elapsed = started.duration(to: .now)
            let latency = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let failure: AttemptFailure
            switch outcome {
            case .success(let reply) where reply.status == 200:
                do {
                    let response = try WireResponse.parse(
                        reply.body, key: prepared.key, replayed: false, latency: latency)
                    try await store?.save(
                        StoredResponse(
                            key: prepared.key, model: prepared.model, requestJSON: prepared.bodyText,
                            responseJSON: String(decoding: reply.body, as: UTF8.self),
                            promptTokens: response.usage.promptTokens,
                            completionTokens: response.usage.completionTokens, latency: latency))
                    return response
                } catch let error as WireError {
                    failure = .malformed(error.message)
                }
            case .success(let reply):
                let message = WireResponse.errorMessage(reply.body) ?? ""
                failure = .status(reply.status, message: message, retryAfter: reply.retryAfter)
            case .failure(let attemptFailure):
                failure = attemptFailure
            }
            switch schedule.next(after: failure) {
            case .retry(let seconds):
                try await Task.sleep(for: .seconds(seconds))
            case .fail(let error):
                throw error
            }
        }
    }
}
