import Foundation
import SynthStore
import SynthTestSupport
import Testing

@testable import SynthLLM

/// Cancelling requests in flight: the caller gets `CancellationError`, nothing is stored, the process
/// does not crash (URLSession tasks are never cancelled under it), and the client keeps working.
@Suite("LLMClient cancellation", .serialized)
struct CancellationTests {
    @Test func cancelledRequestsThrowCancellationAndTheClientStillAnswers() async throws {
        let server = try await TestServer.smollm()
        let faults = try FaultServer(
            script: Array(repeating: .stall(2), count: 10), fallback: .forward,
            upstream: server.endpoint.chatCompletionsURL)
        defer { faults.close() }
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        var endpoint = server.endpoint
        endpoint.url = faults.url
        endpoint.concurrency = 10
        let client = LLMClient(endpoint: endpoint, store: store, retryPolicy: TestServer.quickRetries, jitterSeed: 3)
        for round in 0..<10 {
            let request = ChatRequest(messages: [.user("Say \(round).")], seed: round, maxTokens: 2)
            let task = Task { try await client.complete(request) }
            while faults.requestCount <= round { try await Task.sleep(for: .milliseconds(10)) }
            task.cancel()
            let result = await task.result
            guard case .failure(let error) = result else {
                Issue.record("round \(round): expected CancellationError, found \(result)")
                continue
            }
            #expect(error is CancellationError, "round \(round): \(error)")
        }
        #expect(try await store.count() == 0)
        #expect(await client.usage.requestsNew == 0)
        let answer = try await client.complete(ChatRequest(messages: [.user("Say ok.")], seed: 1, maxTokens: 2))
        #expect(!answer.text.isEmpty)
        #expect(try await store.count() == 1)
    }
}
