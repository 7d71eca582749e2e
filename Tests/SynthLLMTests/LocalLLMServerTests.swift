import Foundation
import SynthStore
import SynthTestSupport
import Testing

@testable import SynthLLM

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// Lifecycle of the embedded llama.cpp server: start, stop, reuse, a crash mid-run, and no orphans.
@Suite("LocalLLMServer", .serialized)
struct LocalLLMServerTests {
    @Test func startsOnLoopbackAnswersAndStops() async throws {
        let server = try await LocalLLMServer.start(model: "smollm2", parallel: 1, contextSize: 256, threads: 1)
        #expect(server.endpoint.url.absoluteString == "http://127.0.0.1:\(server.port)/v1")
        #expect(server.endpoint.model == "smollm2-135m-instruct-q4_1")
        #expect(ServerProcesses.commandLine(of: server.serverPID)?.contains("--no-repack") == true)
        #expect(ServerProcesses.commandLine(of: server.serverPID)?.contains("127.0.0.1") == true)
        let answer = try await LLMClient(endpoint: server.endpoint, store: nil).complete(
            ChatRequest(messages: [.user("Hi")], seed: 1, maxTokens: 2))
        #expect(answer.usage.completionTokens > 0)
        await server.stop()
        #expect(await !server.isRunning)
        #expect(!ServerProcesses.isAlive(server.serverPID))
        #expect(!ServerProcesses.accepts(port: server.port))
        await server.stop()  // twice is fine
    }

    @Test func unknownModelIsAClearErrorWithAHint() async throws {
        await #expect {
            _ = try await LocalLLMServer.start(model: "smolm2")
        } throws: { error in
            let message = (error as? LLMError)?.message ?? ""
            return message.hasPrefix("model `smolm2` not found at ")
                && message.hasSuffix("; run scripts/setup to install the local models (did you mean `smollm2`?)")
        }
    }

    @Test func registryReusesOneServerPerConfiguration() async throws {
        let first = try await TestServer.smollm()
        let second = try await TestServer.smollm()
        #expect(first === second)
        #expect(await first.isRunning)
    }

    /// The server dies (SIGKILL) while a batch is running: the batch fails with a clear error, every
    /// response received before is in the store, and a re-run against a new server replays them and
    /// sends only the rest.
    @Test func serverKilledMidRunLosesNothingReceived() async throws {
        let doomed = try await LocalLLMServer.start(model: "smollm2", parallel: 2, contextSize: 256, threads: 1)
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        var endpoint = doomed.endpoint
        endpoint.concurrency = 2
        let client = LLMClient(endpoint: endpoint, store: store, retryPolicy: TestServer.quickRetries)
        let requests = (0..<6).map {
            ChatRequest(
                messages: [.user("Count from \($0) to 300.")], temperature: 0, seed: 1,
                maxTokens: TestServer.killWindowTokens)
        }
        let batch = Task { try await client.complete(batch: requests) }
        while try await store.count() < 2 { try await Task.sleep(for: .milliseconds(10)) }
        kill(doomed.serverPID, SIGKILL)
        let result = await batch.result
        await doomed.stop()
        guard case .failure(let failure) = result, let error = failure as? LLMError else {
            Issue.record("expected the batch to fail after the server died, found \(result)")
            return
        }
        #expect(error.kind == .retriesExhausted)
        #expect(error.message.hasPrefix("llm request to \(endpoint.url.absoluteString) failed after 4 attempts: "))
        let received = try await store.count()
        let requestKeys = Set(requests.map { client.key(for: $0) })
        #expect(received >= 2 && received < 6)
        #expect(Set(try await store.all().map(\.key)).isSubset(of: requestKeys))

        let fresh = try await TestServer.smollm()
        let resumed = LLMClient(endpoint: fresh.endpoint, store: store)
        let answers = try await resumed.complete(batch: requests)
        #expect(answers.count == 6)
        let usage = await resumed.usage
        #expect(usage.requestsReplayed == received)
        #expect(usage.requestsNew == 6 - received)
        #expect(try await store.count() == 6)
    }

    /// A local-model client starts its server only on a store miss, and when the server dies mid-batch
    /// the registry restarts it and the batch completes.
    @Test func localModelClientStartsOnDemandAndRestartsAfterACrash() async throws {
        let registry = LocalLLMServerRegistry()  // its own, so killing the server disturbs no other test
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let requests = (0..<6).map {
            ChatRequest(
                messages: [.user("List colours, numbered from \($0) to 300.")], temperature: 0, seed: 1,
                maxTokens: TestServer.killWindowTokens)
        }
        let offline = try LLMClient(
            localModel: "smollm2", parallel: 2, contextSize: 256, threads: 1, registry: registry, store: store,
            offline: true)
        #expect(offline.endpoint.model == "smollm2-135m-instruct-q4_1")
        await #expect(throws: LLMError.offlineMissing(key: offline.key(for: requests[0]))) {
            try await offline.complete(requests[0])
        }
        #expect(await registry.serverCount == 0)

        let client = try LLMClient(
            localModel: "smollm2", parallel: 2, contextSize: 256, threads: 1, registry: registry, store: store,
            retryPolicy: TestServer.quickRetries)
        let batch = Task { try await client.complete(batch: requests) }
        while try await store.count() < 2 { try await Task.sleep(for: .milliseconds(10)) }
        let first = try await registry.server(model: "smollm2", parallel: 2, contextSize: 256, threads: 1)
        let storedBeforeCrash = try await store.count()
        kill(first.serverPID, SIGKILL)
        #expect(storedBeforeCrash < 6, "the batch must still be running when the server dies")
        let answers = try await batch.value
        #expect(answers.count == 6)
        #expect(try await store.count() == 6)
        let second = try await registry.server(model: "smollm2", parallel: 2, contextSize: 256, threads: 1)
        #expect(second !== first)
        #expect(await second.isRunning)
        #expect(await client.usage.requestsNew == 6)
        await registry.stopAll()
        #expect(!ServerProcesses.isAlive(second.serverPID))
        #expect(await registry.serverCount == 0)
    }

    /// The process owning a server is killed (SIGKILL cannot be caught; SIGTERM and SIGINT are not
    /// handled by the test runner): the server must be gone within a few seconds.
    @Test(arguments: [SIGKILL, SIGTERM, SIGINT])
    func noOrphanServerAfterOwnerDies(signal: Int32) async throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("server.txt")
        let child = Process()
        child.executableURL = URL(
            fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = ["--testing-library", "swift-testing", "--filter", "ownerHoldingAServer"]
        var environment = ProcessInfo.processInfo.environment
        environment[OwnerProcess.reportVariable] = report.path
        child.environment = environment
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        var fields: [Int] = []
        for _ in 0..<1200 where fields.count != 2 {
            fields = ((try? String(contentsOf: report, encoding: .utf8)) ?? "").split(separator: " ").compactMap {
                Int($0)
            }
            if fields.count != 2 { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(fields.count == 2, "the owner process did not start a server within 60 s")
        let (port, pid) = (fields[0], Int32(fields[1]))
        #expect(ServerProcesses.isAlive(pid))
        kill(child.processIdentifier, signal)
        var gone = false
        for _ in 0..<100 where !gone {  // up to 10 s
            gone = !ServerProcesses.isAlive(pid) && ServerProcesses.serverPIDs(port: port).isEmpty
            if !gone { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(gone, "llama-server (pid \(pid), port \(port)) outlived its owner after signal \(signal)")
        if !gone { kill(pid, SIGKILL) }
    }

    /// Runs only inside the child process started by ``noOrphanServerAfterOwnerDies(signal:)``.
    @Test(.enabled(if: OwnerProcess.reportPath != nil))
    func ownerHoldingAServer() async throws {
        let server = try await LocalLLMServer.start(model: "smollm2", parallel: 1, contextSize: 256, threads: 1)
        let path = try #require(OwnerProcess.reportPath)
        try "\(server.port) \(server.serverPID)".write(toFile: path, atomically: true, encoding: .utf8)
        try await Task.sleep(for: .seconds(600))
    }
}

private enum OwnerProcess {
    static let reportVariable = "SYNTHLAB_TEST_SERVER_OWNER_REPORT"
    static var reportPath: String? { ProcessInfo.processInfo.environment[reportVariable] }
}

/// Looks at processes through /proc (Linux).
enum ServerProcesses {
    /// True when `pid` exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// The arguments of `pid`, or nil.
    static func commandLine(of pid: Int32) -> [String]? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Live llama-server processes listening on `port` according to their command line.
    static func serverPIDs(port: Int) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard isAlive(pid), let arguments = commandLine(of: pid),
                arguments.first?.hasSuffix("llama-server") == true,
                let index = arguments.firstIndex(of: "--port"), index + 1 < arguments.count
            else { return false }
            return arguments[index + 1] == "\(port)"
        }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }
}
