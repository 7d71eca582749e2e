import Foundation
import SynthCommands
import SynthSynthesis
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// The verb reference in docs/language.md is generated from the specs; these tests keep them in step.
@Suite struct VerbReferenceTests {
    static let docsURL = TestPaths.root.appendingPathComponent("docs/language.md")
    static let begin = "<!-- verbs:begin -->\n"
    static let end = "<!-- verbs:end -->"

    @Test func docsContainTheGeneratedReference() throws {
        let docs = try String(contentsOf: Self.docsURL, encoding: .utf8)
        let start = try #require(docs.range(of: Self.begin))
        let stop = try #require(docs.range(of: Self.end))
        let current = String(docs[start.upperBound..<stop.lowerBound])
        let generated = VerbReference.markdown
        if ProcessInfo.processInfo.environment["SYNTHLAB_RECORD"] == "1", current != generated {
            let updated = String(docs[..<start.upperBound]) + generated + String(docs[stop.lowerBound...])
            try AtomicFile.write(updated, to: Self.docsURL)
            Issue.record("docs/language.md re-recorded; run again without SYNTHLAB_RECORD")
            return
        }
        #expect(current == generated, "docs/language.md is out of date: run the tests with SYNTHLAB_RECORD=1")
    }

    @Test(arguments: VerbRegistry.verbNames)
    func everyVerbHasASection(_ verb: String) throws {
        let docs = try String(contentsOf: Self.docsURL, encoding: .utf8)
        #expect(docs.contains("### `\(verb)`\n"), "docs/language.md has no section for `\(verb)`")
        for spec in VerbRegistry.all where spec.name == verb {
            #expect(docs.contains("```synth\n\(spec.example)\n```"), "example of `\(spec.fullName)` missing")
            #expect(!spec.summary.isEmpty)
            for arg in spec.arguments {
                #expect(!arg.doc.isEmpty, "`\(spec.fullName)` argument `\(arg.name)` lacks docs")
            }
        }
    }

    @Test(arguments: VerbRegistry.all.map(\.fullName))
    func exampleParsesAndChecks(_ fullName: String) async throws {
        let spec = try #require(VerbRegistry.command(fullName)?.spec)
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        try await runCell(interpreter, TinyBEIR.setup)
        interpreter.restore("t", .object(TeacherObject(teacher: ScriptedTeacher(), source: "script")))
        interpreter.restore("queries", .object(SyntheticSet(kind: "queries")))
        let cell = try interpreter.prepare(spec.example, at: SourceLocation(file: "example", line: 1))
        #expect(!cell.statements.isEmpty)
    }

    @Test func synopsisListsArgumentsWithDefaults() throws {
        let spec = try #require(VerbRegistry.command("bm25")?.spec)
        #expect(spec.synopsis == "bm25 data [k1=0.9] [b=0.4]")
    }
}
