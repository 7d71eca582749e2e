import Foundation
import SynthTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `synthlab run` with the REAL embedded llama.cpp teacher (SmolLM2-135M, one thread): the report
/// sidecar's `llm` counts, an `--offline` re-run that sends nothing and yields identical synthetic
/// data, Ctrl-C mid-synthesis (the server stops with synthlab) and a resume that repeats no finished call.
@Suite(.serialized) struct LocalTeacherCLITests {
    /// A project with a 6-document BEIR folder and a synthesize → critique verify notebook over `docs` passages.
    static func project(
        docs: Int, teacher: String = "t = llm local model=\"smollm2\" context=1024 threads=1"
    ) throws -> CLIProject {
        let project = try CLIProject()
        let topics = [
            "Aspirin irreversibly inhibits cyclooxygenase in platelets, reducing thromboxane and clotting.",
            "Glaciers retreat when summer melting exceeds winter snowfall over many years.",
            "Bats navigate in darkness by echolocation, emitting calls and listening to echoes.",
            "Coffee contains caffeine, which blocks adenosine receptors and reduces drowsiness.",
            "Vitamin D is made in the skin under sunlight and helps the gut absorb calcium.",
            "Honey bees communicate the direction of flowers to their hive mates with a waggle dance.",
        ]
        var corpus = ""
        for (i, text) in topics.enumerated() {
            corpus += "{\"_id\": \"d\(i)\", \"title\": \"\", \"text\": \"\(text)\"}\n"
        }
        try project.write("data/corpus.jsonl", corpus)
        try project.write("data/queries.jsonl", "{\"_id\": \"q0\", \"text\": \"aspirin and platelets\"}\n")
        try project.write("data/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq0\td0\t1\n")
        try project.write(
            "nb.md",
            """
            ---
            title: local teacher
            params:
              seed: 1
            ---

            ```synth
            #| label: teacher
            data = load "data" split="test"
            \(teacher)
            ```

            ```synth
            #| label: synthesize
            q = synthesize queries from=data docs=\(docs) per_doc=1 max_tokens=40 teacher=t seed=params.seed
            v = critique verify q teacher=t
            written = export v path="out.jsonl"
            ```
            """)
        return project
    }

    /// The `llm` object of the report sidecar.
    static func llm(_ project: CLIProject) throws -> [String: Any] {
        let json = try JSONSerialization.jsonObject(with: Data(try project.read("reports/nb.json").utf8))
        return try #require((json as? [String: Any])?["llm"] as? [String: Any])
    }

    @Test func offlineRerunSendsNothingAndYieldsIdenticalData() throws {
        let project = try Self.project(docs: 3)
        defer { project.remove() }

        let first = try TeacherRun(project: project, arguments: ["run", "nb.md", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let firstLLM = try Self.llm(project)
        let sent = try #require(firstLLM["requests_new"] as? Int)
        #expect(sent >= 3)  // 3 passages, then a verdict per accepted query
        #expect(firstLLM["requests_replayed"] as? Int == 0)
        #expect((firstLLM["prompt_tokens"] as? Int ?? 0) > 0 && (firstLLM["completion_tokens"] as? Int ?? 0) > 0)
        // The `llm` cell names the model with the server flags; synthesis cells name the model.
        #expect(
            firstLLM["endpoints"] as? [String] == [
                "smollm2-135m-instruct-q4_1 @ local llama.cpp (--no-repack -t 1 -c 1024 --parallel 1)",
                "smollm2-135m-instruct-q4_1",
            ])
        // The server ran for this run and was stopped when synthlab exited.
        let servers = first.servers
        #expect(servers.count == 1)
        for server in servers { #expect(!ProcessTable.isAlive(server), "llama-server \(server) outlived the run") }
        let data = try project.read("out.jsonl")
        // One record per passage (a passage whose answers stayed malformed is counted as failed instead).
        #expect((1...3).contains(data.split(separator: "\n").count))
        #expect(data.contains("\"request_keys\":[\""))

        // Same notebook, --offline, no cell cache: every answer is replayed, no server is started.
        let second = try TeacherRun(project: project, arguments: ["run", "nb.md", "--quiet", "--offline", "--no-cache"])
        #expect(second.status == 0, "\(second.stderr)")
        let secondLLM = try Self.llm(project)
        #expect(secondLLM["requests_new"] as? Int == 0)
        #expect(secondLLM["requests_replayed"] as? Int == sent)
        #expect(secondLLM["prompt_tokens"] as? Int == 0)
        #expect(second.servers.isEmpty)
        #expect(try project.read("out.jsonl") == data)
    }

    @Test func ctrlCStopsTheServerAndTheRerunRepeatsNoFinishedCall() throws {
        let project = try Self.project(docs: 6)
        defer { project.remove() }
        let store = project.folder.appendingPathComponent(".synthlab/llm.sqlite")

        // Interrupt once two answers are stored (the synthesis is then mid-way).
        let interrupted = try TeacherRun(
            project: project, arguments: ["run", "nb.md", "--quiet"], signal: SIGINT, when: { StoreRows.count(store) >= 2 })
        // 130 = 128 + SIGINT: interrupted mid-run (a run that finished first would exit 0).
        #expect(interrupted.status == 130, "\(interrupted.stderr)")
        #expect(interrupted.stderr.contains("interrupted: stopping"))
        #expect(interrupted.servers.count == 1)
        // Stopped by synthlab itself before it exited, not later by the watchdog.
        for server in interrupted.serversAliveAtExit { Issue.record("llama-server \(server) alive when synthlab exited") }
        for server in interrupted.servers { #expect(!ProcessTable.isAlive(server)) }
        #expect(!FileManager.default.fileExists(atPath: project.folder.appendingPathComponent("out.jsonl").path))
        usleep(500_000)
        let stored = StoreRows.count(store)
        #expect(stored >= 2)

        // Resume: the stored answers replay, only the rest are asked.
        let resumed = try TeacherRun(project: project, arguments: ["run", "nb.md", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let llm = try Self.llm(project)
        #expect(llm["requests_replayed"] as? Int == stored)
        #expect(StoreRows.count(store) == stored + (llm["requests_new"] as? Int ?? -1))
        #expect((1...6).contains(try project.read("out.jsonl").split(separator: "\n").count))
    }
    /// The teacher's llama-server is SIGKILLed mid-synthesis: the run restarts it and completes, with
    /// every answer received before the crash kept (no request is sent twice).
    @Test func serverKilledMidRunIsRestartedAndTheRunCompletes() throws {
        let project = try Self.project(docs: 6)
        defer { project.remove() }
        let store = project.folder.appendingPathComponent(".synthlab/llm.sqlite")
        let run = try TeacherRun(
            project: project, arguments: ["run", "nb.md", "--quiet"], signal: SIGKILL,
            when: { StoreRows.count(store) >= 2 }, killServer: true)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.servers.count == 2, "expected the killed server and its replacement, found \(run.servers)")
        for server in run.servers { #expect(!ProcessTable.isAlive(server)) }
        let llm = try Self.llm(project)
        let sent = try #require(llm["requests_new"] as? Int)
        #expect(StoreRows.count(store) == sent)
        #expect(llm["requests_replayed"] as? Int == 0)
        #expect((1...6).contains(try project.read("out.jsonl").split(separator: "\n").count))
    }

    /// `llm openai` against a plain llama-server that demands an API key: the key comes from the variable
    /// `key_env` names, reaches the server, and is in no file of the project; stored answers replay without it.
    @Test func openAIEndpointTakesItsKeyFromTheEnvironmentAndNeverStoresIt() throws {
        let secret = "sk-synthlab-\(UUID().uuidString)"
        let server = try RawLlamaServer(apiKey: secret)
        defer { server.stop() }
        let teacher =
            "t = llm openai url=\"http://127.0.0.1:\(server.port)/v1\" model=\"smollm2\" "
            + "key_env=\"SYNTHLAB_TEST_OPENAI_KEY\" concurrency=2"
        let project = try Self.project(docs: 2, teacher: teacher)
        defer { project.remove() }

        let first = try TeacherRun(
            project: project, arguments: ["run", "nb.md", "--quiet"], environment: ["SYNTHLAB_TEST_OPENAI_KEY": secret])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.servers.isEmpty)
        let llm = try Self.llm(project)
        #expect((llm["requests_new"] as? Int ?? 0) >= 2)
        #expect(llm["endpoints"] as? [String] == ["smollm2"])
        let data = try project.read("out.jsonl")
        #expect(data.contains("\"model\":\"smollm2\""))
        // The key is in no file: store (and its WAL), reports, exports, cell cache.
        let files = FileManager.default.enumerator(at: project.folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL } ?? []
        #expect(files.count > 5)
        for file in files {
            guard let bytes = try? Data(contentsOf: file) else { continue }
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file.lastPathComponent) contains the key")
        }

        // Without the key: stored answers replay (no request needs it) …
        let replay = try TeacherRun(project: project, arguments: ["run", "nb.md", "--quiet", "--no-cache"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(try Self.llm(project)["requests_new"] as? Int == 0)
        #expect(try project.read("out.jsonl") == data)
        // … and a new request names the missing variable, never a value.
        let missing = try TeacherRun(project: project, arguments: ["run", "nb.md", "--quiet", "--param", "seed=2"])
        #expect(missing.status == 1)
        #expect(
            missing.stderr.contains(
                "environment variable SYNTHLAB_TEST_OPENAI_KEY (key_env of endpoint smollm2) is not set"),
            "\(missing.stderr)")
        // A wrong key is the server's 401, reported without retrying forever.
        let wrong = try TeacherRun(
            project: project, arguments: ["run", "nb.md", "--quiet", "--param", "seed=3"],
            environment: ["SYNTHLAB_TEST_OPENAI_KEY": "sk-wrong"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("401"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("sk-wrong"))
    }
}

/// A llama-server started directly (not by synthlab) with SmolLM2 on a free port, one thread.
final class RawLlamaServer: @unchecked Sendable {
    let port: Int
    private let process: Process

    init(apiKey: String) throws {
        let probe = Process()
        probe.executableURL = TestPaths.python
        probe.arguments = [
            "-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
        ]
        let pipe = Pipe()
        probe.standardOutput = pipe
        try probe.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        probe.waitUntilExit()
        port = try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        process = Process()
        process.executableURL = TestPaths.synthlabHome.appendingPathComponent("bin/llama-server")
        process.arguments = [
            "-m", TestPaths.synthlabHome.appendingPathComponent("models/smollm2-135m-instruct-q4_1.gguf").path,
            "--host", "127.0.0.1", "--port", "\(port)", "--no-repack", "-t", "1", "-c", "2048", "--parallel", "2",
            "--api-key", apiKey, "--alias", "smollm2", "--no-webui",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let health = Process()
        health.executableURL = TestPaths.python
        health.arguments = [
            "-c",
            """
            import sys, time, urllib.request
            for _ in range(1200):
                try:
                    if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200: sys.exit(0)
                except Exception: pass
                time.sleep(0.1)
            sys.exit(1)
            """,
            "http://127.0.0.1:\(port)/health",
        ]
        try health.run()
        health.waitUntilExit()
        if health.terminationStatus != 0 {
            stop()
            throw CocoaError(.fileReadUnknown)
        }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// One `synthlab` run in a project, watching which llama-server processes it owns.
struct TeacherRun {
    var status: Int32
    var stderr: String
    /// llama-server pids started on behalf of this run (seen through their watchdogs).
    var servers: Set<Int32>
    /// Those still alive at the moment synthlab had exited.
    var serversAliveAtExit: Set<Int32>

    /// Runs `synthlab arguments…` in `project` with `$SYNTHLAB_HOME` set; sends `signal` once `when` is true.
    init(
        project: CLIProject, arguments: [String], environment extra: [String: String] = [:], signal: Int32? = nil,
        when condition: () -> Bool = { false }, killServer: Bool = false
    ) throws {
        let process = Process()
        process.executableURL = CLIProject.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["HOME"] = project.folder.path
        environment["SYNTHLAB_HOME"] = TestPaths.synthlabHome.path
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.currentDirectoryURL = project.folder
        let err = project.folder.appendingPathComponent(".stderr")
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var seen: Set<Int32> = []
        var signalled = false
        while process.isRunning {
            seen.formUnion(ProcessTable.serversOwned(by: process.processIdentifier))
            if let signal, !signalled, !(killServer && seen.isEmpty), condition() {
                // Either synthlab itself or (killServer) the llama-server it started.
                for pid in killServer ? Array(seen) : [process.processIdentifier] { kill(pid, signal) }
                signalled = true
            }
            usleep(50_000)
        }
        process.waitUntilExit()
        servers = seen
        serversAliveAtExit = seen.filter(ProcessTable.isAlive)
        status = process.terminationStatus
        stderr = try String(contentsOf: err, encoding: .utf8)
    }
}

/// Rows in a response store, read with the setup venv's Python (the test target links no SQLite).
enum StoreRows {
    static func count(_ database: URL) -> Int {
        guard FileManager.default.fileExists(atPath: database.path) else { return 0 }
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [
            "-c",
            "import sqlite3, sys; print(sqlite3.connect(sys.argv[1], timeout=10).execute('select count(*) from llm_responses').fetchone()[0])",
            database.path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return 0 }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}

/// Processes through /proc (Linux).
enum ProcessTable {
    /// True when `pid` exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// The pids of llama-servers whose watchdog shell (`synthlab-llama-watchdog OWNER PIDFILE …`) serves `owner`.
    static func serversOwned(by owner: Int32) -> Set<Int32> {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var found: Set<Int32> = []
        for pid in entries.compactMap(Int32.init) {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let index = arguments.firstIndex(of: "synthlab-llama-watchdog"), index + 2 < arguments.count,
                arguments[index + 1] == "\(owner)",
                let text = try? String(contentsOfFile: arguments[index + 2], encoding: .utf8),
                let server = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            found.insert(server)
        }
        return found
    }
}
