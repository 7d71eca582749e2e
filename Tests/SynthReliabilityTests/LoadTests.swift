import Foundation
import SynthTestSupport
import Testing

/// Load: a thousand synthesis requests at concurrency 8, every answer stored exactly once; two `synthlab run`
/// processes synthesizing into one project's response store at the same time.
@Suite(.serialized) struct LoadTests {
    /// A project with `passages` documents and the claim-query template beside the notebook.
    static func project(passages: Int) throws -> ReliabilityProject {
        let project = try ReliabilityProject()
        try project.writeDataset(docs: passages)
        let template = try String(
            contentsOf: TestPaths.root.appendingPathComponent("stdlib/prompts/claim-query.md"), encoding: .utf8)
        try project.write("claim-query.md", template)
        return project
    }

    /// A notebook synthesizing one claim for each of `passages` passages from `offset`, exported to `output`.
    static func notebook(
        teacher: String, passages: Int, offset: Int = 0, output: String = "out.jsonl", extra: String = ""
    ) -> String {
        """
        ```synth
        data = load "data" split="test"
        t = \(teacher)
        ```

        ```synth
        #| cache: false
        q = synthesize queries from=data max_passages=\(passages) offset=\(offset) per_doc=1 template="claim-query" teacher=t\(extra)
        export q path="\(output)"
        ```
        """
    }

    /// What an independent reader (Python's sqlite3) finds in a response store: rows, distinct keys and
    /// `PRAGMA integrity_check`.
    struct StoreSummary: Equatable {
        var rows: Int
        var keys: Int
        var integrity: String
        var keyList: [String]
    }

    static func summary(_ database: URL) throws -> StoreSummary {
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [
            "-c",
            """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], timeout=30)
            print(c.execute('pragma integrity_check').fetchone()[0])
            keys = [k for (k,) in c.execute('select key from llm_responses')]
            print(len(keys)); print(len(set(keys)))
            for k in keys: print(k)
            """,
            database.path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count >= 3, let rows = Int(lines[1]), let keys = Int(lines[2]) else {
            return StoreSummary(rows: -1, keys: -1, integrity: text, keyList: [])
        }
        return StoreSummary(rows: rows, keys: keys, integrity: lines[0], keyList: Array(lines.dropFirst(3)))
    }

    static func lineCount(_ text: String) -> Int { text.split(separator: "\n").count }

    @Test func thousandSynthesisRequestsAtConcurrencyEightAreStoredOnce() throws {
        let passages = 1000
        let teacher = try ScriptedTeacher(delay: 0.02)
        defer { teacher.stop() }
        let project = try Self.project(passages: passages)
        let llm = "llm endpoint=\"\(teacher.endpoint)\" model=\"scripted\" concurrency=8 attempts=1"
        try project.write("nb.md", Self.notebook(teacher: llm, passages: passages))
        let result = try project.synthlab(["run", "nb.md", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")

        // The server saw each distinct request once, never more than 8 at a time.
        #expect(teacher.received.count == passages)
        #expect(Set(teacher.received).count == passages)
        #expect(teacher.maxInFlight <= 8 && teacher.maxInFlight >= 1, "max in flight \(teacher.maxInFlight)")
        // The store holds every answer exactly once, and the set holds every passage's claim.
        let stored = try Self.summary(project.url(".synthlab/llm.sqlite"))
        #expect(stored.integrity == "ok")
        #expect(stored.rows == passages && stored.keys == passages)
        let made = try project.read("out.jsonl")
        #expect(Self.lineCount(made) == passages)

        // Offline re-run: all thousand replayed from the store, no request sent, the same set.
        let replay = try project.synthlab(["run", "nb.md", "--quiet", "--offline"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(teacher.received.count == passages)
        #expect(try project.read("out.jsonl") == made)
    }

    @Test func twoRunsSynthesizingIntoOneStoreAtOnce() throws {
        // Two notebooks asking the same 150 requests (the same passages and seeds) at concurrency 4 each,
        // at the same time, into one llm.sqlite: every key races between the two processes.
        let teacher = try ScriptedTeacher(delay: 0.02)
        defer { teacher.stop() }
        let project = try Self.project(passages: 150)
        let llm = "llm endpoint=\"\(teacher.endpoint)\" model=\"scripted\" concurrency=4 attempts=1"
        try project.write("a.md", Self.notebook(teacher: llm, passages: 150, output: "a.jsonl"))
        try project.write("b.md", Self.notebook(teacher: llm, passages: 150, output: "b.jsonl"))
        let first = try project.start(["run", "a.md", "--quiet"])
        let second = Process()
        second.executableURL = ReliabilityProject.binary
        second.arguments = ["run", "b.md", "--quiet"]
        var environment = ProcessInfo.processInfo.environment
        environment["SYNTHLAB_HOME"] = TestPaths.synthlabHome.path
        environment["NO_COLOR"] = "1"
        second.environment = environment
        second.currentDirectoryURL = project.folder
        let secondErrors = try FileHandle(forWritingTo: {
            FileManager.default.createFile(atPath: project.url(".stderr-b").path, contents: nil)
            return project.url(".stderr-b")
        }())
        second.standardError = secondErrors
        second.standardOutput = FileHandle.nullDevice
        try second.run()
        let firstResult = try project.finish(first)
        second.waitUntilExit()
        let secondText = try project.read(".stderr-b")
        #expect(firstResult.status == 0, "\(firstResult.stderr)")
        #expect(second.terminationStatus == 0, "\(secondText)")
        #expect(!firstResult.stderr.contains("locked") && !secondText.contains("locked"))

        // 150 distinct requests; one asked by both runs at once is stored once (the first answer wins), and
        // a run that finds a key already stored by the other replays it instead of asking.
        #expect(Set(teacher.received).count == 150)
        #expect(teacher.received.count >= 150 && teacher.received.count <= 300)
        let stored = try Self.summary(project.url(".synthlab/llm.sqlite"))
        #expect(stored.integrity == "ok")
        #expect(stored.rows == 150 && stored.keys == 150)
        let a = try project.read("a.jsonl"), b = try project.read("b.jsonl")
        #expect(Self.lineCount(a) == 150 && a == b)

        // Both re-run offline from the shared store to the same sets.
        let asked = teacher.received.count
        for (name, output, made) in [("a.md", "a.jsonl", a), ("b.md", "b.jsonl", b)] {
            let replay = try project.synthlab(["run", name, "--quiet", "--offline"])
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(try project.read(output) == made)
        }
        #expect(teacher.received.count == asked)
    }

    /// The same thousand requests against the real llama.cpp server with SmolLM2 (4-token answers, so the store
    /// is loaded rather than the decoder; many answers are cut-off JSON and count as failed items), only
    /// with `SYNTHLAB_LOAD=1`; prints the wall time for BENCHMARKS.md.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SYNTHLAB_LOAD"] == "1"))
    func thousandRequestsAgainstTheLocalLlamaServer() throws {
        let passages = Int(ProcessInfo.processInfo.environment["SYNTHLAB_LOAD_REQUESTS"] ?? "") ?? 1000
        let project = try Self.project(passages: passages)
        let llm = "llm model=\"smollm2\" concurrency=8 parallel=2 attempts=1"
        try project.write(
            "nb.md", Self.notebook(teacher: llm, passages: passages, extra: " passage_chars=100 max_tokens=4"))
        let start = Date()
        let result = try project.synthlab(["run", "nb.md", "--quiet"])
        let seconds = Date().timeIntervalSince(start)
        #expect(result.status == 0, "\(result.stderr)")
        let database = project.url(".synthlab/llm.sqlite")
        let stored = try Self.summary(database)
        #expect(stored.integrity == "ok")
        #expect(stored.rows == passages && stored.keys == passages)
        let made = try project.read("out.jsonl")
        let replay = try project.synthlab(["run", "nb.md", "--quiet", "--offline"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(try project.read("out.jsonl") == made)
        #expect(try Self.summary(database).rows == passages)
        print(
            "load: \(passages) synthesis requests against llama-server (SmolLM2, concurrency 8) in "
                + String(format: "%.1f s (%.2f requests/s); %d rows stored, %d distinct keys", seconds,
                    Double(passages) / seconds, stored.rows, stored.keys))
    }
}
