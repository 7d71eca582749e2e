import Foundation
import SynthTestSupport
import Testing

/// The teacher's server dies in the middle of a `synthesize` cell: the run stops with a clear error, every
/// answer received before the death is in the store, and a re-run against a new server asks only the rest.
@Suite(.serialized) struct TeacherDeathTests {
    static let passages = 40

    @Test func serverDyingMidSynthesisLosesNothingAndTheRerunResumes() throws {
        let dying = try ScriptedTeacher(delay: 0.05, dieAfter: 12)
        defer { dying.stop() }
        let project = try LoadTests.project(passages: Self.passages)
        let llm = { (endpoint: String) in "llm endpoint=\"\(endpoint)\" model=\"scripted\" concurrency=2" }
        try project.write("nb.md", LoadTests.notebook(teacher: llm(dying.endpoint), passages: Self.passages))
        let failed = try project.synthlab(["run", "nb.md", "--quiet"])
        #expect(failed.status != 0)
        #expect(!dying.process.isRunning, "the server was meant to die")
        // A clear error naming the cell and the teacher, not a crash or a hang.
        #expect(failed.stderr.contains("nb.md:"), "\(failed.stderr)")
        #expect(failed.stderr.contains("127.0.0.1:\(dying.port)"), "\(failed.stderr)")
        #expect(!failed.stderr.contains("Fatal error"), "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.url("out.jsonl").path))

        // Every answer the server finished sending is stored, nothing else.
        let database = project.url(".synthlab/llm.sqlite")
        let summary = try LoadTests.summary(database)
        let stored = summary.rows
        #expect(summary.integrity == "ok" && summary.keys == stored)
        #expect(stored == dying.sent.count)
        #expect(stored >= 10 && stored <= 12)

        // A new server (another port: the store key does not include the URL); the re-run asks only the rest.
        let fresh = try ScriptedTeacher(delay: 0.01)
        defer { fresh.stop() }
        try project.write("nb.md", LoadTests.notebook(teacher: llm(fresh.endpoint), passages: Self.passages))
        let resumed = try project.synthlab(["run", "nb.md", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(fresh.received.count == Self.passages - stored)
        #expect(Set(fresh.received).isDisjoint(with: Set(dying.sent)))
        #expect(try LoadTests.summary(database).rows == Self.passages)

        // The resumed set equals an uninterrupted run's.
        let reference = try LoadTests.project(passages: Self.passages)
        try reference.write("nb.md", LoadTests.notebook(teacher: llm(fresh.endpoint), passages: Self.passages))
        #expect(try reference.synthlab(["run", "nb.md", "--quiet"]).status == 0)
        #expect(try project.read("out.jsonl") == (try reference.read("out.jsonl")))
    }
}
