import Foundation
import SynthTestSupport
import Testing

/// `synthlab embed`: JSON lines in, token ids and embeddings out, errors with line numbers.
@Suite struct EmbedCLITests {
    struct Output: Decodable {
        var tokens: [Int]
        var embedding: [Float]
    }

    /// Runs `synthlab embed` with `input` as stdin (through a file, so large outputs cannot deadlock).
    static func embed(_ input: String, arguments: [String] = []) throws -> BM25CLITests.Result {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputURL = folder.appendingPathComponent("in.jsonl")
        try Data(input.utf8).write(to: inputURL)
        let process = Process()
        process.executableURL = BM25CLITests.binary
        process.arguments = ["embed"] + arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BM25CLITests.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func outputs(_ stdout: String) throws -> [Output] {
        try stdout.split(separator: "\n").map { try JSONDecoder().decode(Output.self, from: Data($0.utf8)) }
    }

    @Test func oneLinePerInputInOrder() throws {
        let input = #"""
            {"text": "Hello, world!"}
            {"text": "two\nlines with an escaped newline"}

            {"text": ""}
            """#
        let result = try Self.embed(input)
        #expect(result.status == 0, "\(result.stderr)")
        let outputs = try Self.outputs(result.stdout)
        #expect(outputs.count == 3)
        #expect(outputs[0].tokens == [101, 7592, 1010, 2088, 999, 102])
        #expect(outputs[2].tokens == [101, 102])
        for output in outputs {
            #expect(output.embedding.count == 384)
            let norm = output.embedding.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
        // the reference embedding of "Hello, world!" from sentence-transformers
        let reference = try JSONDecoder().decode(
            Fixture.self,
            from: Data(contentsOf: TestPaths.root.appendingPathComponent(
                "Tests/SynthModelsTests/Fixtures/minilm-reference.json")))
        let hello = try #require(reference.sentences.first { $0.text == "Hello, world!" })
        let dot = zip(hello.embedding, outputs[0].embedding).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        #expect(dot >= 0.9999)
    }

    @Test func maxLenTruncates() throws {
        let text = String(repeating: "retrieval ", count: 50)
        let result = try Self.embed("{\"text\": \"\(text)\"}\n", arguments: ["--max-len", "8"])
        #expect(result.status == 0, "\(result.stderr)")
        let outputs = try Self.outputs(result.stdout)
        #expect(outputs.map(\.tokens.count) == [8])
        #expect(outputs[0].tokens.first == 101 && outputs[0].tokens.last == 102)
    }

    @Test func malformedLineIsReportedWithItsNumber() throws {
        let result = try Self.embed("{\"text\": \"fine\"}\n{\"txt\": 3}\n")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix(
            "<stdin>:2:1: error: expected a JSON object with a string field \"text\", found {\"txt\": 3}"))
    }

    @Test func badOptionsAndMissingModel() throws {
        let tooShort = try Self.embed("", arguments: ["--max-len", "1"])
        #expect(tooShort.status == 2)
        #expect(tooShort.stderr.contains("--max-len must be at least 2, found 1"))
        let missing = try Self.embed("", arguments: ["--model", "/nonexistent/model"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("/nonexistent/model: error: cannot access model file: no such model folder"))
    }

    struct Fixture: Decodable {
        struct Sentence: Decodable {
            var text: String
            var embedding: [Float]
        }
        var sentences: [Sentence]
    }
}
