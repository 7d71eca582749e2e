import Foundation
import SynthStore
import SynthTestSupport
import Testing

@testable import SynthLLM

/// Retries against a misbehaving loopback server that forwards to the real llama.cpp server once it
/// has injected its faults.
@Suite("LLMClient retries (fault injection)", .serialized)
struct RetryFaultTests {
    private let ask = ChatRequest(messages: [.user("Say ok.")], temperature: 0.2, seed: 9, maxTokens: 3)

    @Test func retriesOn429And500ThenSucceedsAndStoresOnce() async throws {
        let server = try await TestServer.smollm()
        let faults = try FaultServer(
            script: [.status(429, retryAfter: 0), .status(500, retryAfter: nil), .status(503, retryAfter: nil)],
            upstream: server.endpoint.chatCompletionsURL)
        defer { faults.close() }
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        var endpoint = server.endpoint
        endpoint.url = faults.url
        let client = LLMClient(endpoint: endpoint, store: store, retryPolicy: TestServer.quickRetries, jitterSeed: 1)
        let response = try await client.complete(ask)
        #expect(!response.text.isEmpty)
        #expect(faults.requestCount == 4)
        #expect(try await store.count() == 1)
        #expect(await client.usage.requestsNew == 1)
    }

    @Test func retriesTruncatedAndMalformedBodies() async throws {
        let server = try await TestServer.smollm()
        let faults = try FaultServer(
            script: [.truncated, .malformedJSON], upstream: server.endpoint.chatCompletionsURL)
        defer { faults.close() }
        var endpoint = server.endpoint
        endpoint.url = faults.url
        let client = LLMClient(endpoint: endpoint, store: nil, retryPolicy: TestServer.quickRetries, jitterSeed: 2)
        let response = try await client.complete(ask)
        #expect(!response.text.isEmpty)
        #expect(faults.requestCount == 3)
    }

    @Test func timedOutAttemptIsRetried() async throws {
        // A real llama.cpp answer, replayed instantly by the fault server after one stalled attempt,
        // so the test does not depend on how fast the loaded machine generates.
        let server = try await TestServer.smollm()
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try await LLMClient(endpoint: server.endpoint, store: store).complete(ask)
        let body = try #require(try await store.all().first?.responseJSON)
        let faults = try FaultServer(script: [.stall(3)], fallback: .canned(body), upstream: nil)
        defer { faults.close() }
        var endpoint = server.endpoint
        endpoint.url = faults.url
        endpoint.timeout = 1
        let client = LLMClient(endpoint: endpoint, store: nil, retryPolicy: TestServer.quickRetries, jitterSeed: 4)
        let response = try await client.complete(ask)
        #expect(response.text == original.text)
        #expect(faults.requestCount == 2)
    }

    @Test func timeoutsExhaustRetriesWithAClearError() async throws {
        let faults = try FaultServer(script: [], fallback: .stall(3), upstream: nil)
        defer { faults.close() }
        var endpoint = LLMEndpoint(url: faults.url, model: "m")
        endpoint.timeout = 0.2  // raised to the 1 s minimum
        let client = LLMClient(
            endpoint: endpoint, store: nil, retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: 0.01, jitter: 0))
        await #expect(
            throws: LLMError(
                .retriesExhausted,
                "llm request to http://127.0.0.1:\(faults.port)/v1 failed after 2 attempts: timed out")
        ) { try await client.complete(ask) }
    }

    @Test func clearErrorAfterMaxRetriesAndNothingStored() async throws {
        let faults = try FaultServer(script: [], fallback: .status(500, retryAfter: nil), upstream: nil)
        defer { faults.close() }
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let endpoint = LLMEndpoint(url: faults.url, model: "smollm2-135m-instruct-q4_1")
        let client = LLMClient(endpoint: endpoint, store: store, retryPolicy: TestServer.quickRetries, jitterSeed: 3)
        await #expect(
            throws: LLMError(
                .retriesExhausted,
                "llm request to http://127.0.0.1:\(faults.port)/v1 failed after 4 attempts: http 500: injected 500")
        ) { try await client.complete(ask) }
        #expect(faults.requestCount == 4)
        #expect(try await store.count() == 0)
        #expect(await client.usage.requestsNew == 0)
    }

    @Test func clientErrorIsNotRetried() async throws {
        let faults = try FaultServer(script: [], fallback: .status(400, retryAfter: nil), upstream: nil)
        defer { faults.close() }
        let endpoint = LLMEndpoint(url: faults.url, model: "m")
        let client = LLMClient(endpoint: endpoint, store: nil, retryPolicy: TestServer.quickRetries)
        await #expect(
            throws: LLMError(.http, "llm request to http://127.0.0.1:\(faults.port)/v1 failed: http 400: injected 400")
        ) { try await client.complete(ask) }
        #expect(faults.requestCount == 1)
    }

    @Test func connectionRefusedIsRetriedThenReported() async throws {
        let port = try FreePort.find()
        let endpoint = LLMEndpoint(url: URL(string: "http://127.0.0.1:\(port)/v1")!, model: "m")
        let client = LLMClient(endpoint: endpoint, store: nil, retryPolicy: TestServer.quickRetries)
        do {
            _ = try await client.complete(ask)
            Issue.record("expected an error")
        } catch let error as LLMError {
            #expect(error.kind == .retriesExhausted)
            #expect(
                error.message.hasPrefix(
                    "llm request to http://127.0.0.1:\(port)/v1 failed after 4 attempts: connection failed"))
        }
    }
}
