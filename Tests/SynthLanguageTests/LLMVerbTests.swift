import Foundation
import SynthCommands
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// `llm … speculative=`: the setting reaches the teacher and the cell's LLM endpoints (the report's
/// record of the server flags), and a misspelt value is a check error with a hint.
@Suite struct LLMVerbTests {
    @Test func speculativeSettingIsRecordedWithTheServerFlags() async throws {
        let interpreter = try makeInterpreter()
        // No request is made, so no server starts: the flags are known from the arguments.
        let made = try await runCell(
            interpreter, "t = llm local model=\"smollm2\" threads=1 context=512 speculative=\"ngram-simple\"")
        #expect(
            made.llm.endpoints == [
                "smollm2-135m-instruct-q4_1 @ local llama.cpp (--no-repack -t 1 -c 512 --parallel 1 "
                    + "--spec-type ngram-simple --spec-ngram-simple-size-n 4 --spec-ngram-simple-size-m 6 "
                    + "--spec-draft-n-max 6)"
            ])
        let teacher = try #require(
            { if case .object(let t as TeacherObject)? = interpreter.variables["t"] { t } else { nil } }())
        #expect(teacher.summary.contains("speculative ngram-simple n=4 draft=6"))

        let plain = try await runCell(interpreter, "u = llm model=\"smollm2\" speculative=\"none\"")
        #expect(plain.llm.endpoints.count == 1)
        #expect(plain.llm.endpoints[0].hasSuffix("--parallel 1)"))
    }

    @Test func misspeltSettingIsACheckErrorWithAHint() async throws {
        let interpreter = try makeInterpreter()
        do {
            try await runCell(interpreter, "t = llm speculative=\"ngram-simpel\"")
            Issue.record("expected a diagnostic")
        } catch let diagnostic as Diagnostic {
            #expect(
                diagnostic.message
                    == "expected one of \"none\", \"ngram-simple\", \"ngram-map-k\", \"ngram-mod\" for argument "
                    + "`speculative` of `llm`, found \"ngram-simpel\"")
            #expect(diagnostic.location?.line == 1 && diagnostic.location?.column == 21)
            #expect(diagnostic.notes.contains { $0.contains("did you mean `ngram-simple`?") })
        }
    }
}
