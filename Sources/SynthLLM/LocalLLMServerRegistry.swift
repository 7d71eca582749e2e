/// One ``LocalLLMServer`` per model and options for a whole run, started on first use.
///
/// Concurrent callers asking for the same configuration share one start. Call ``stopAll()`` when
/// the run ends (the CLI also calls it from its SIGINT/SIGTERM handler); if synthlab dies without
/// doing so, each server's watchdog stops it anyway.
///
/// ```swift
/// let server = try await LocalLLMServerRegistry.shared.server(model: "qwen", parallel: 2)
/// ```
package actor LocalLLMServerRegistry {
    /// The process-wide registry (an actor reference, not mutable global state).
    package static let shared = LocalLLMServerRegistry()

    private struct Configuration: Hashable {
        var model: String
        var parallel: Int
        var contextSize: Int
        var threads: Int?
        var speculative: SpeculativeDecoding
    }

    private var servers: [Configuration: Task<LocalLLMServer, any Error>] = [:]

    package init() {}

    /// The running server for this configuration, starting it if needed.
    ///
    /// A server that has died since it was started is replaced by a fresh one.
    /// - Throws: ``LLMError`` from ``LocalLLMServer/start(model:parallel:contextSize:threads:speculative:startupTimeout:)``.
    package func server(
        model: String = LocalModel.defaultAlias, parallel: Int = 1, contextSize: Int = 2048, threads: Int? = nil,
        speculative: SpeculativeDecoding = .standard
    ) async throws -> LocalLLMServer {
        let configuration = Configuration(
            model: model, parallel: parallel, contextSize: contextSize, threads: threads, speculative: speculative)
        while let existing = servers[configuration] {
            if let server = try? await existing.value, await server.isRunning { return server }
            // Another caller may have replaced the entry while this one was suspended.
            guard servers[configuration] == existing else { continue }
            servers[configuration] = nil
            if let server = try? await existing.value { await server.stop() }
        }
        let task = Task {
            try await LocalLLMServer.start(
                model: model, parallel: parallel, contextSize: contextSize, threads: threads, speculative: speculative)
        }
        servers[configuration] = task
        do { return try await task.value } catch {
            if servers[configuration] == task { servers[configuration] = nil }
            throw error
        }
    }

    /// How many server configurations have been started (or are starting) and not stopped.
    package var serverCount: Int { servers.count }

    /// Stops every server this registry started.
    package func stopAll() async {
        let tasks = Array(servers.values)
        servers = [:]
        for task in tasks { if let server = try? await task.value { await server.stop() } }
    }
}
