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
/// A client made with ``init(localModel:parallel:contextSize:threads:speculative:registry:store:offline:retryPolicy:jitterSeed:)``
/// starts the embedded llama.cpp server only when the first request is not in the store (so replays
/// and offline runs need no server), and if that server dies mid-run it is restarted once per failed
/// request through the ``LocalLLMServerRegistry``; responses already received stay in the store.
///
/// ```swift
/// let client = LLMClient(endpoint: server.endpoint, store: try ResponseStore(path: stateFolder.appending(path: "llm.sqlite")))
/// let answer = try await client.complete(ChatRequest(messages: [.user("Say hi")], seed: 1, maxTokens: 8))
/// let usage = await client.usage   // requestsNew, requestsReplayed, promptTokens, completionTokens
/// ```
package actor LLMClient {
    /// The configured endpoint. For a local-model client its `url` is a placeholder
    /// (`http://127.0.0.1/v1`) until the server starts; `model` is always the name in store keys.
    package nonisolated let endpoint: LLMEndpoint
    package nonisolated let offline: Bool
    private let store: ResponseStore?
    private let retryPolicy: RetryPolicy
    private let environment: [String: String]
    private let transport: HTTPTransport
    private let limiter: AsyncSemaphore
    private var inFlight: [String: Task<ChatResponse, any Error>] = [:]
    private var jitter: SplitMix64
    private let local: LocalTarget?
    private var liveEndpoint: LLMEndpoint?

    /// The server a local-model client starts on demand.
    private struct LocalTarget: Sendable {
        var model: String
        var parallel: Int
        var contextSize: Int
        var threads: Int?
        var speculative: SpeculativeDecoding
        var registry: LocalLLMServerRegistry
    }

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
        local = nil
        liveEndpoint = endpoint
        usage.endpoints = ["\(endpoint.model) @ \(endpoint.url.absoluteString)"]
    }

    /// A client for the embedded llama.cpp server with a local model, started on the first request
    /// that is not stored and restarted if it dies.
    ///
    /// ```swift
    /// let client = try LLMClient(localModel: "qwen", parallel: 2, store: store, offline: context.offline)
    /// ```
    /// - Parameters:
    ///   - localModel: an alias (`qwen`, `smollm2`), a file in `$SYNTHLAB_HOME/models`, or a path.
    ///   - parallel: server slots, also the client's concurrency limit.
    ///   - speculative: the server's draft-free speculative decoding; not part of request keys (see
    ///     ``SpeculativeDecoding``), but named in ``usage``'s endpoint description with the other flags.
    /// - Throws: ``LLMError`` when the model file does not exist (checked now, not at the first request).
    package init(
        localModel: String, parallel: Int = 1, contextSize: Int = 2048, threads: Int? = nil,
        speculative: SpeculativeDecoding = .standard, registry: LocalLLMServerRegistry = .shared, store: ResponseStore?, offline: Bool = false,
        retryPolicy: RetryPolicy = RetryPolicy(), jitterSeed: UInt64 = UInt64.random(in: 0...UInt64.max)
    ) throws {
        let resolved = try LocalModel(localModel)
        let placeholder = LLMEndpoint(
            url: URL(string: "http://127.0.0.1/v1")!, model: resolved.name, concurrency: max(1, parallel))
        endpoint = placeholder
        self.store = store
        self.offline = offline
        self.retryPolicy = retryPolicy
        environment = [:]
        transport = HTTPTransport(concurrency: placeholder.concurrency, timeout: placeholder.timeout)
        limiter = AsyncSemaphore(limit: placeholder.concurrency)
        jitter = SplitMix64(seed: jitterSeed)
        local = LocalTarget(
            model: localModel, parallel: max(1, parallel), contextSize: contextSize, threads: threads,
            speculative: speculative, registry: registry)
        liveEndpoint = nil
        usage.endpoints = [
            Self.localDescription(
                model: resolved.name, parallel: parallel, contextSize: contextSize, threads: threads,
                speculative: speculative)
        ]
    }

    deinit { transport.close() }

    /// How a local-model client's answers are made, for reports: the model name and the llama-server
    /// flags that affect decoding (`qwen2.5-coder-0.5b-instruct-q4_k_m @ local llama.cpp (--no-repack -t 1 …)`).
    package static func localDescription(
        model: String, parallel: Int, contextSize: Int, threads: Int?, speculative: SpeculativeDecoding
    ) -> String {
        let flags = LocalLLMServer.flags(
            parallel: parallel, contextSize: contextSize, threads: threads, speculative: speculative)
        return "\(model) @ local llama.cpp (\(flags.joined(separator: " ")))"
    }

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
        if let running = inFlight[prepared.key] { return try await joined(running) }
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
        // The store lookup suspended: an identical request may have been sent meanwhile.
        if let running = inFlight[prepared.key] { return try await joined(running) }
        let bearer = try apiKey()
        let seed = jitter.next()
        let task = Task {
            let target = try await self.currentEndpoint()
            return try await self.sendRestartingLocalServer(prepared, to: target, bearer: bearer, jitterSeed: seed)
        }
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

    /// Waits for an identical request already in flight and counts the answer as replayed.
    private func joined(_ running: Task<ChatResponse, any Error>) async throws -> ChatResponse {
        var response = try await running.value
        response.replayed = true
        usage.requestsReplayed += 1
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

    /// The endpoint to send to: the configured one, or the local server (started or restarted as needed).
    private func currentEndpoint() async throws -> LLMEndpoint {
        if let liveEndpoint { return liveEndpoint }
        guard let local else { return endpoint }
        let server = try await local.registry.server(
            model: local.model, parallel: local.parallel, contextSize: local.contextSize, threads: local.threads,
            speculative: local.speculative)
        var live = server.endpoint
        live.concurrency = endpoint.concurrency
        liveEndpoint = live
        return live
    }

    /// Forgets a local server's endpoint so the next ``currentEndpoint()`` asks the registry, which
    /// restarts a dead server; returns the new endpoint if it differs from `failed`.
    private func replacement(for failed: LLMEndpoint) async throws -> LLMEndpoint? {
        guard local != nil else { return nil }
        if liveEndpoint == failed { liveEndpoint = nil }
        let fresh = try await currentEndpoint()
        return fresh == failed ? nil : fresh
    }

    /// ``send(_:to:bearer:jitterSeed:)``; when a local server stopped answering, once more on its replacement.
    private nonisolated func sendRestartingLocalServer(
        _ prepared: PreparedRequest, to target: LLMEndpoint, bearer: String?, jitterSeed: UInt64
    ) async throws -> ChatResponse {
        do {
            return try await send(prepared, to: target, bearer: bearer, jitterSeed: jitterSeed)
        } catch let error as LLMError where [.retriesExhausted, .connection, .timeout].contains(error.kind) {
            guard let fresh = try await replacement(for: target) else { throw error }
            return try await send(prepared, to: fresh, bearer: bearer, jitterSeed: jitterSeed &+ 1)
        }
    }

    /// Sends with retries, then stores; runs off the actor except for the short store hop.
    private nonisolated func send(
        _ prepared: PreparedRequest, to endpoint: LLMEndpoint, bearer: String?, jitterSeed: UInt64
    ) async throws -> ChatResponse {
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
