import Foundation
import SynthValues

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The embedded default teacher: a llama.cpp server on 127.0.0.1 at a free port.
///
/// Started with `--no-repack` (the AMX repacking path crashes on some CPUs), `parallel` slots of
/// `contextSize` tokens each, optional draft-free speculative decoding (``SpeculativeDecoding``),
/// and awaited until `/health` answers. It always stops: ``stop()``,
/// `deinit`, and — when synthlab exits or is killed, even by SIGKILL — a watchdog shell
/// (see ``ServerWatchdog``) that stops it within about a second. Use
/// ``LocalLLMServerRegistry`` to share one server per model and options across a run.
///
/// ```swift
/// let server = try await LocalLLMServer.start(model: "smollm2", parallel: 2, contextSize: 1024)
/// defer { Task { await server.stop() } }
/// let client = LLMClient(endpoint: server.endpoint, store: store)
/// ```
package actor LocalLLMServer {
    /// The OpenAI-compatible endpoint (`http://127.0.0.1:<port>/v1`, model = the file's name).
    package nonisolated let endpoint: LLMEndpoint
    package nonisolated let port: Int
    package nonisolated let model: LocalModel
    /// llama-server's process id.
    package nonisolated let serverPID: Int32
    /// Where llama-server's output goes (removed by ``stop()``).
    package nonisolated let logFile: URL
    /// llama-server's command-line arguments (without the binary).
    package nonisolated let arguments: [String]
    private let watchdog: Process
    private let folder: URL
    private var stopped = false

    private init(
        endpoint: LLMEndpoint, port: Int, model: LocalModel, serverPID: Int32, logFile: URL, arguments: [String],
        watchdog: Process, folder: URL
    ) {
        self.arguments = arguments
        self.endpoint = endpoint
        self.port = port
        self.model = model
        self.serverPID = serverPID
        self.logFile = logFile
        self.watchdog = watchdog
        self.folder = folder
    }

    /// Starts llama-server and waits until it is ready.
    ///
    /// - Parameters:
    ///   - model: an alias (`qwen`, `smollm2`), a file name in `$SYNTHLAB_HOME/models`, or a path.
    ///   - parallel: server slots (requests decoded together); match the client's concurrency.
    ///   - contextSize: tokens per slot (prompt + completion).
    ///   - threads: CPU threads (default: one less than the cores, at least 1, at most 8: llama.cpp's
    ///     spinning thread pool slows down 5–15× when any of its threads competes for a core).
    ///   - speculative: draft-free speculative decoding (``SpeculativeDecoding/standard`` by default).
    ///   - startupTimeout: seconds to wait for `/health`.
    /// - Throws: ``LLMError`` (`.server`) when the binary or model is missing, or the server exits or
    ///   does not become healthy in time (with the end of its log).
    package static func start(
        model: String = LocalModel.defaultAlias, parallel: Int = 1, contextSize: Int = 2048, threads: Int? = nil,
        speculative: SpeculativeDecoding = .standard, startupTimeout: Double = 180
    ) async throws -> LocalLLMServer {
        let resolved = try LocalModel(model)
        let binary = try LocalModel.serverBinary()
        var lastError = LLMError(.server, "llama-server did not start")
        for _ in 0..<3 {
            let port = try FreePort.find()
            let arguments =
                ["-m", resolved.path.path, "--host", "127.0.0.1", "--port", "\(port)"]
                + flags(
                    parallel: parallel, contextSize: contextSize, threads: threads, speculative: speculative)
                + ["--alias", resolved.name, "--no-webui"]
            do {
                return try await launch(
                    binary: binary, arguments: arguments, port: port, model: resolved, parallel: parallel,
                    timeout: startupTimeout)
            } catch let error as LLMError {
                lastError = error
                guard error.message.contains("bind") || error.message.contains("address already in use") else {
                    throw error
                }
            }
        }
        throw lastError
    }

    /// The default thread count: one less than the cores, at least 1, at most 8.
    package static var defaultThreads: Int { min(8, max(1, ProcessInfo.processInfo.activeProcessorCount - 1)) }

    /// The llama-server flags that decide how answers are computed (everything but the model path,
    /// address and alias), in command-line order; reports record them as the teacher's provenance.
    ///
    /// ```swift
    /// LocalLLMServer.flags(parallel: 2, contextSize: 2048, threads: 1, speculative: .ngramSimple)
    /// // ["--no-repack", "-t", "1", "-c", "4096", "--parallel", "2", "--spec-type", "ngram-simple", …]
    /// ```
    package static func flags(
        parallel: Int, contextSize: Int, threads: Int?, speculative: SpeculativeDecoding
    ) -> [String] {
        [
            "--no-repack", "-t", "\(threads ?? defaultThreads)", "-c", "\(max(256, contextSize) * max(1, parallel))",
            "--parallel", "\(max(1, parallel))",
        ] + speculative.serverArguments
    }

    private static func launch(
        binary: URL, arguments: [String], port: Int, model: LocalModel, parallel: Int, timeout: Double
    ) async throws -> LocalLLMServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "synthlab-llama-\(getpid())-\(port)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pidFile = folder.appendingPathComponent("server.pid")
        let logFile = folder.appendingPathComponent("server.log")
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments =
            [
                "-c", ServerWatchdog.script, "synthlab-llama-watchdog", "\(getpid())", pidFile.path, logFile.path,
                binary.path,
            ] + arguments
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        do { try watchdog.run() } catch {
            throw LLMError(.server, "cannot start llama-server: \(error.localizedDescription)")
        }
        let endpoint = LLMEndpoint(
            url: URL(string: "http://127.0.0.1:\(port)/v1")!, model: model.name, concurrency: max(1, parallel))
        // The pid file appears as soon as the shell has forked the server.
        var serverPID: Int32 = 0
        let deadline = ContinuousClock.now + .seconds(timeout)
        while serverPID == 0 {
            if let text = try? String(contentsOf: pidFile, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                serverPID = pid
            } else if !watchdog.isRunning || ContinuousClock.now > deadline {
                throw LLMError(.server, "llama-server watchdog exited before starting the server")
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        inheritNiceness(watchdog.processIdentifier, serverPID)
        let server = LocalLLMServer(
            endpoint: endpoint, port: port, model: model, serverPID: serverPID, logFile: logFile, arguments: arguments,
            watchdog: watchdog, folder: folder)
        do {
            try await server.waitUntilHealthy(deadline: deadline, timeout: timeout)
        } catch {
            let log = server.logTail()
            await server.stop()
            if let error = error as? LLMError { throw LLMError(.server, error.message + log) }
            throw error
        }
        return server
    }

    /// Gives the watchdog and the server the niceness of synthlab's main thread: on Linux niceness is
    /// per thread and the worker thread that starts the server runs at 0, so a `nice -n 19 synthlab run …`
    /// meant to use idle CPU only would otherwise run its teacher at normal priority.
    private static func inheritNiceness(_ pids: Int32...) {
        #if canImport(Glibc)
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
        #else
            let which = PRIO_PROCESS
        #endif
        errno = 0
        let niceness = getpriority(which, id_t(getpid()))
        guard errno == 0, niceness > 0 else { return }
        for pid in pids { _ = setpriority(which, id_t(pid), niceness) }
    }

    private func waitUntilHealthy(deadline: ContinuousClock.Instant, timeout: Double) async throws {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 2
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let health = URL(string: "http://127.0.0.1:\(port)/health")!
        while true {
            try Task.checkCancellation()
            if let (_, response) = try? await session.data(from: health),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            guard isRunning else {
                throw LLMError(.server, "llama-server exited during startup (model \(model.name), port \(port))")
            }
            guard ContinuousClock.now < deadline else {
                throw LLMError(
                    .server, "llama-server did not become healthy within \(Int(timeout)) s (model \(model.name))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Whether llama-server is still running.
    package var isRunning: Bool { !stopped && kill(serverPID, 0) == 0 && watchdog.isRunning }

    /// Stops llama-server (SIGTERM, SIGKILL after 5 s) and its watchdog; safe to call twice.
    package func stop() async {
        guard !stopped else { return }
        stopped = true
        kill(serverPID, SIGTERM)
        if watchdog.isRunning { watchdog.terminate() }
        for _ in 0..<50 where watchdog.isRunning || kill(serverPID, 0) == 0 {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if kill(serverPID, 0) == 0 { kill(serverPID, SIGKILL) }
        if watchdog.isRunning { kill(watchdog.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit {
        if !stopped {
            kill(serverPID, SIGTERM)
            kill(watchdog.processIdentifier, SIGTERM)
        }
    }

    /// The last lines of the server log, for startup errors.
    private nonisolated func logTail() -> String {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return "" }
        let lines = text.split(separator: "\n").suffix(6).joined(separator: "\n    ")
        return lines.isEmpty ? "" : "\n  server log:\n    \(lines)"
    }
}
