import Foundation
import SynthTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A real OpenAI-compatible HTTP server process on 127.0.0.1 (a few lines of Python) for the faults and
/// loads llama.cpp cannot be made to produce on demand: dying after N answers, counting requests in flight.
///
/// Answers are derived from the prompt's last passage, so they are deterministic. The server records, in
/// its folder: `requests.log` (SHA-256 of every request body received), `sent.log` (one line per answer
/// fully written), `max-inflight` (the most requests it ever held at once) and `port`.
struct ScriptedTeacher {
    static let script = #"""
        import hashlib, json, os, sys, threading, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        folder, delay, die_after = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
        lock = threading.Lock()
        state = {"received": 0, "inflight": 0, "max": 0}
        def append(name, line):
            with open(os.path.join(folder, name), "a") as f: f.write(line + "\n")
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args): pass
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    state["received"] += 1
                    number = state["received"]
                    state["inflight"] += 1
                    state["max"] = max(state["max"], state["inflight"])
                    append("requests.log", hashlib.sha256(body).hexdigest())
                    with open(os.path.join(folder, "max-inflight"), "w") as f: f.write(str(state["max"]))
                if die_after >= 0 and number > die_after:
                    os._exit(3)          # dies mid-request: no answer, connection reset, port closed
                request = json.loads(body)
                time.sleep(delay)
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
                with lock:
                    state["inflight"] -= 1   # before the answer leaves, so the next request cannot overlap it
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                with lock:
                    append("sent.log", hashlib.sha256(body).hexdigest())
        ThreadingHTTPServer.daemon_threads = True
        ThreadingHTTPServer.request_queue_size = 64
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        with open(folder + "/port.tmp", "w") as f: f.write(str(server.server_address[1]))
        os.rename(folder + "/port.tmp", folder + "/port")
        server.serve_forever()
        """#

    let folder: URL
    let process: Process
    let port: Int

    /// Starts a server that sleeps `delay` seconds per answer and, when `dieAfter` ≥ 0, exits on the
    /// request after its `dieAfter`-th one.
    init(delay: Double = 0.01, dieAfter: Int = -1) throws {
        folder = try TestPaths.temporaryFolder()
        try Self.script.write(to: folder.appendingPathComponent("server.py"), atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [folder.appendingPathComponent("server.py").path, folder.path, "\(delay)", "\(dieAfter)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let portFile = folder.appendingPathComponent("port")
        var found: Int?
        for _ in 0..<600 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let value = Int(text) {
                found = value
                break
            }
            usleep(50_000)
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.fileNoSuchFile)
        }
        port = found
    }

    var endpoint: String { "http://127.0.0.1:\(port)/v1" }

    /// Kills the server (SIGKILL: test processes run their children with SIGTERM blocked) and waits for it.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    private func lines(_ name: String) -> [String] {
        let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// SHA-256 of every request body received, in arrival order.
    var received: [String] { lines("requests.log") }
    /// SHA-256 of every request answered in full.
    var sent: [String] { lines("sent.log") }
    /// The most requests held at once.
    var maxInFlight: Int {
        Int((try? String(contentsOf: folder.appendingPathComponent("max-inflight"), encoding: .utf8)) ?? "") ?? 0
    }
}
