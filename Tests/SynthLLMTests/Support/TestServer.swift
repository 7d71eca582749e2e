import Foundation
import SynthLLM
import SynthStore
import SynthTestSupport

/// The real llama.cpp server with SmolLM2 that the client tests share (started once per test process).
///
/// One thread: on this 2-core machine, shared with compilers, llama.cpp's thread sync makes `-t 2` 5–15× slower.
/// Fails (never skips) with setup's message when the binary or model is missing.
enum TestServer {
    static func smollm() async throws -> LocalLLMServer {
        try await LocalLLMServerRegistry.shared.server(model: "smollm2", parallel: 4, contextSize: 512, threads: 1)
    }

    /// A store in a fresh temporary folder.
    static func freshStore() throws -> (ResponseStore, URL) {
        let folder = try TestPaths.temporaryFolder()
        return (try ResponseStore(path: folder.appendingPathComponent("llm.sqlite")), folder)
    }

    /// Answer length of the requests a test kills the server under. Answers that count to 300 do not stop
    /// early, so the batch is still running when the test, polling the store, sees the first answers and
    /// kills the server, even when a loaded machine delays the poll by seconds (40-token answers left a
    /// window of about a second).
    static let killWindowTokens = 128

    /// Fast retries for tests.
    static let quickRetries = RetryPolicy(maxAttempts: 4, baseDelay: 0.02, multiplier: 2, maxDelay: 0.2, jitter: 0.5)
}
