import Foundation
import SynthTestSupport
import Testing

/// Runs the built `synthlab` binary and checks stdout, stderr and the exit status.
@Suite struct BM25CLITests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `synthlab` binary beside the test bundle (the same build configuration).
    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("synthlab")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return TestPaths.root.appendingPathComponent(".build/debug/synthlab")
    }

    static func synthlab(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = TestPaths.root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A tiny BEIR folder; `corpus`/`qrels` replace the defaults.
    static func folder(corpus: String? = nil, qrels: String? = nil) throws -> URL {
        let folder = try TestPaths.temporaryFolder().appendingPathComponent("tiny")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("qrels"),
                                                withIntermediateDirectories: true)
        let defaultCorpus = """
            {"_id": "d1", "title": "Cats", "text": "Cats purr."}
            {"_id": "d2", "title": "", "text": "Dogs bark loudly."}
            {"_id": "d3", "text": "Birds sing."}

            """
        try (corpus ?? defaultCorpus).write(to: folder.appendingPathComponent("corpus.jsonl"), atomically: true,
                                            encoding: .utf8)
        try "{\"_id\": \"q1\", \"text\": \"cat purring\"}\n{\"_id\": \"q2\", \"text\": \"barking dogs\"}\n"
            .write(to: folder.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        try (qrels ?? "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n")
            .write(to: folder.appendingPathComponent("qrels/test.tsv"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func writesATrecRunAndASummary() throws {
        let folder = try Self.folder()
        let out = folder.deletingLastPathComponent().appendingPathComponent("run.trec")
        let result = try Self.synthlab(["bm25", folder.path, "--out", out.path, "--top", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("bm25 tiny test: 3 docs, 2 queries, top 2, k1 0.9, b 0.4 → \(out.path) (load "))
        #expect(result.stderr.hasSuffix("; nDCG@10 1.0000, R@100 1.0000\n"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: " ").enumerated().filter { $0.offset != 4 }.map { String($0.element) }
        }
        #expect(lines == [["q1", "Q0", "d1", "1", "bm25"], ["q2", "Q0", "d2", "1", "bm25"]])
    }

    @Test func malformedCorpusLine() throws {
        let folder = try Self.folder(corpus: "{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d2\" \"text\": \"b\"}\n")
        let result = try Self.synthlab(["bm25", folder.path, "--out", folder.appendingPathComponent("r.trec").path])
        #expect(result.status == 1)
        #expect(result.stderr == "\(folder.path)/corpus.jsonl:2: error: expected a JSON object, found malformed JSON\n")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("r.trec").path))
    }

    @Test func qrelsWithABadRow() throws {
        let folder = try Self.folder(qrels: "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\thigh\n")
        let result = try Self.synthlab(["bm25", folder.path, "--out", folder.appendingPathComponent("r.trec").path])
        #expect(result.status == 1)
        #expect(result.stderr == """
            \(folder.path)/qrels/test.tsv:3:7: error: expected an integer score, found "high"
                q2\td2\thigh
                \u{20}\u{20}\t\u{20}\u{20}\t^

            """)
    }

    @Test func missingSplit() throws {
        let folder = try Self.folder()
        let result = try Self.synthlab(
            ["bm25", folder.path, "--split", "dev", "--out", folder.appendingPathComponent("r.trec").path])
        #expect(result.status == 1)
        #expect(result.stderr == "\(folder.path)/qrels/dev.tsv: error: unknown split \"dev\": expected one of test\n")
    }

    @Test func unknownDatasetName() throws {
        let data = try TestPaths.temporaryFolder()
        let result = try Self.synthlab(["bm25", "scifcat", "--out", data.appendingPathComponent("r.trec").path],
                                       environment: ["SYNTHLAB_DATA": data.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: unknown dataset \"scifcat\": expected a BEIR folder or a BEIR dataset name\n"))
        #expect(result.stderr.hasSuffix("  note: did you mean \"scifact\"?\n"))
    }

    @Test func sciFactByNameFromSharedData() throws {
        let data = try TestPaths.temporaryFolder()
        let out = data.appendingPathComponent("scifact.trec")
        let result = try Self.synthlab(["bm25", "scifact", "--out", out.path, "--top", "100"],
                                       environment: ["SYNTHLAB_DATA": data.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("bm25 scifact test: 5183 docs, 300 queries, top 100, k1 0.9, b 0.4"))
        #expect(result.stderr.hasSuffix("; nDCG@10 0.6789, R@100 0.9253\n"))
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(Set(lines.map { $0.split(separator: " ")[0] }).count == 300)
        #expect(lines.count <= 30_000)
    }

    @Test func help() throws {
        let result = try Self.synthlab(["bm25", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: synthlab bm25 <data-dir> [--split <split>] [--top <top>] [--k1 <k1>] [--b <b>] --out <out>"))
    }
}
