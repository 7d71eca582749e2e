import Foundation
import SynthStore
import SynthTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Long synthesis runs: SIGKILL mid-way and resume to the same set, and portable exports replayed offline.
///
/// The teacher is a scripted OpenAI-compatible server (a few lines of Python, answers derived from the
/// passage, 0.1 s per call), so the runs are fast and every answer is deterministic.
@Suite(.serialized) struct SynthesisResumeTests {
    static let passages = 40

    /// Answers `/v1/chat/completions` with `count` claims made from the prompt's last passage; logs
    /// each request body's SHA-256 to `requests.log`; writes its port to `port`.
    static let server = #"""
        import hashlib, json, re, sys, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        folder = sys.argv[1]
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args): pass
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = json.loads(body)
                time.sleep(0.1)
                prompt = request["messages"][-1]["content"]
                passage = prompt.rsplit("Passage: ", 1)[-1].split()
                count = request["response_format"]["json_schema"]["schema"]["properties"]["queries"]["maxItems"]
                claims = ["claim %d says %s" % (i, " ".join(reversed(passage[i:i + 4]))) for i in range(count)]
                content = json.dumps({"queries": claims})
                answer = {"id": "x", "object": "chat.completion", "model": request["model"],
                          "choices": [{"index": 0, "finish_reason": "stop",
                                       "message": {"role": "assistant", "content": content}}],
                          "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": len(content) // 4}}
                data = json.dumps(answer).encode()
                with open(folder + "/requests.log", "a") as log:
                    log.write(hashlib.sha256(body).hexdigest() + "\n")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        with open(folder + "/port.tmp", "w") as f: f.write(str(server.server_address[1]))
        import os; os.rename(folder + "/port.tmp", folder + "/port")
        server.serve_forever()
        """#

    /// Starts the scripted server in `folder`; returns the process and its port.
    static func startServer(in folder: URL) throws -> (Process, Int) {
        try server.write(to: folder.appendingPathComponent("server.py"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [folder.appendingPathComponent("server.py").path, folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let portFile = folder.appendingPathComponent("port")
        for _ in 0..<600 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                return (process, port)
            }
            usleep(50_000)
        }
        stop(process)
        throw CocoaError(.fileNoSuchFile)
    }

    /// Kills the server and waits (SIGKILL: children of the test process inherit a blocked SIGTERM, so
    /// `terminate()` would leave it running).
    static func stop(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    static func notebook(port: Int, offline: Bool = false) -> String {
        """
        ```synth
        data = load "data" split="test"
        t = llm endpoint="http://127.0.0.1:\(port)/v1" model="scripted" concurrency=2
        ```

        ```synth
        #| cache: false
        q = synthesize queries from=data max_passages=\(passages) per_doc=2 template="claim-query" teacher=t
        export q path="out.jsonl"
        export q path="data/q.jsonl.gz"
        ```
        """
    }

    static func project(port: Int) throws -> ReliabilityProject {
        let project = try ReliabilityProject()
        try project.writeDataset(docs: passages)
        let template = try String(
            contentsOf: TestPaths.root.appendingPathComponent("stdlib/prompts/claim-query.md"), encoding: .utf8)
        try project.write("claim-query.md", template)
        try project.write("nb.md", notebook(port: port))
        return project
    }

    static func requestCount(_ folder: URL) -> Int {
        let text = (try? String(contentsOf: folder.appendingPathComponent("requests.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").count
    }

    @Test func sigkillMidSynthesisResumesToTheSameSet() async throws {
        let serverFolder = try TestPaths.temporaryFolder()
        let (server, port) = try Self.startServer(in: serverFolder)
        defer { Self.stop(server) }

        // Uninterrupted reference run.
        let reference = try Self.project(port: port)
        let full = try reference.synthlab(["run", "nb.md", "--quiet"])
        #expect(full.status == 0, "\(full.stderr)")
        let expected = try reference.read("out.jsonl")
        #expect(expected.split(separator: "\n").count == Self.passages * 2)
        #expect(Self.requestCount(serverFolder) == Self.passages)

        // Killed run: SIGKILL once a quarter of the passages are answered.
        try FileManager.default.removeItem(at: serverFolder.appendingPathComponent("requests.log"))
        let killed = try Self.project(port: port)
        let child = try killed.start(["run", "nb.md", "--quiet"])
        while Self.requestCount(serverFolder) < Self.passages / 4 && child.isRunning { usleep(20_000) }
        #expect(child.isRunning, "the run finished before it could be killed")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: killed.url("out.jsonl").path))
        let store = try ResponseStore(path: killed.url(".synthlab/llm.sqlite"))
        let stored = try await store.count()
        // Answered calls are stored as they arrive (the last one or two may still have been on the way).
        #expect(stored >= Self.passages / 4 - 2 && stored < Self.passages)
        usleep(1_000_000)  // requests the killed run left in flight still reach the log
        let before = Self.requestCount(serverFolder)

        // Resume: stored answers are replayed, only the missing ones are asked.
        let resumed = try killed.synthlab(["run", "nb.md", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try killed.read("out.jsonl") == expected)
        #expect(Self.requestCount(serverFolder) - before == Self.passages - stored)
        #expect(try await store.count() == Self.passages)
    }

    @Test func exportedSetReplaysOfflineInAnotherProject() async throws {
        let serverFolder = try TestPaths.temporaryFolder()
        let (server, port) = try Self.startServer(in: serverFolder)
        let source = try Self.project(port: port)
        let made = try source.synthlab(["run", "nb.md", "--quiet"])
        Self.stop(server)
        #expect(made.status == 0, "\(made.stderr)")
        let archive = try Data(contentsOf: source.url("data/q.jsonl.gz"))
        #expect(archive.prefix(2) == Data([0x1f, 0x8b]))

        // Another machine: the archive, no teacher (the server is gone), --offline.
        let target = try Self.project(port: port)
        try target.write("q.jsonl.gz", archive)
        try target.write(
            "load.md",
            """
            ```synth
            imported = load synthetic path="q.jsonl.gz"
            export imported path="imported.jsonl"
            ```
            """)
        let loaded = try target.synthlab(["run", "load.md", "--quiet", "--offline"])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(try target.read("imported.jsonl") == (try source.read("out.jsonl")))
        let replay = try target.synthlab(["run", "nb.md", "--quiet", "--offline"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(try target.read("out.jsonl") == (try source.read("out.jsonl")))
    }

    @Test func truncatedArchiveIsAnErrorWithTheFile() throws {
        let project = try ReliabilityProject()
        try project.write("bad.jsonl", "{\"type\": \"synthetic_set\", \"format\": 1, \"kind\": \"queries\", \"counts\": {\"requests_new\": 0, \"requests_replayed\": 0, \"prompt_tokens\": 0, \"completion_tokens\": 0, \"answers_repaired\": 0, \"repaired\": {}, \"retried\": 0, \"failed\": 0, \"rejected\": {}}, \"steps\": [], \"records\": 3, \"responses\": 0}\n")
        try project.write("nb.md", "```synth\nq = load synthetic path=\"bad.jsonl\"\n```\n")
        let result = try project.synthlab(["run", "nb.md", "--quiet"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("expected 3 records, found 0 (truncated file?)"), "\(result.stderr)")
    }
}
