import Foundation
import SynthCommands
import SynthSynthesis
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// A deterministic teacher: answers each template's format without a model.
struct ScriptedTeacher: Teacher {
    let model = "scripted"

    func complete(_ request: TeacherRequest) async throws -> TeacherReply {
        let user = request.messages.last?.content ?? ""
        let schema = request.jsonSchema ?? ""
        let text: String
        var tokens: [TeacherToken] = []
        if schema.contains("queries") {
            text = #"{"queries": ["which factors raise the risk of disease", "how do habits change health outcomes"]}"#
        } else if schema.contains("\"query\"") {
            text = #"{"query": "which habits lower the risk of heart disease"}"#
        } else if user.contains("1 or 2") {
            text = "1"
        } else if user.contains("yes or no") {
            text = "Yes, it does."
            tokens = [
                TeacherToken(
                    token: "Yes", logprob: log(0.9),
                    alternatives: [
                        .init(token: "Yes", logprob: log(0.9)), .init(token: "No", logprob: log(0.1)),
                    ])
            ]
        } else {
            text = "Name the risk factor more precisely."
        }
        return TeacherReply(
            text: text, tokens: tokens, promptTokens: 30, completionTokens: 10,
            requestKey: String(user.hashValue))
    }
}

@Suite struct SynthesisVerbTests {
    @Test func synthesizeFilterCritiqueDistillWithAScriptedTeacher() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        try await runCell(interpreter, TinyBEIR.setup)
        interpreter.restore("t", .object(TeacherObject(teacher: ScriptedTeacher(), source: "script")))

        let made = try await runCell(interpreter, "queries = synthesize queries from=data per_doc=2 docs=3 teacher=t")
        let set = try #require(
            { if case .object(let s as SyntheticSet)? = interpreter.variables["queries"] { s } else { nil } }())
        #expect(set.records.count == 6)
        #expect(set.records.map(\.positive?.id) == ["d1", "d1", "d2", "d2", "d3", "d3"])
        #expect(made.llm.requestsNew == 3)
        #expect(made.llm.promptTokens == 90)
        #expect(made.llm.endpoints == ["scripted"])
        #expect(made.filesRead.keys.contains { $0.hasSuffix("stdlib/prompts/inpars-query.md") })
        #expect(made.outputs.first == .text(set.summary))

        let later = try await runCell(
            interpreter,
            """
            kept = filter queries retriever=index top_k=6
            better = critique queries teacher=t reward="judge" rule="always"
            labels = distill pairwise from=queries teacher=t retriever=index on=data top_k=2 queries=2
            checked = verify queries teacher=t threshold=0.6
            print better.count labels.kind checked.accepted
            """)
        #expect(
            later.outputs.contains {
                if case .text(let t) = $0 { t.hasPrefix("critique: 6 proposals, 6 accepted") } else { false }
            })
        #expect(later.outputs.last == .text("6 pairwise 6"))
        #expect(later.llm.requestsNew > 0)
    }

    @Test func synthesizeRequiresASubcommand() async throws {
        let interpreter = try makeInterpreter()
        let error = try #require(try await diagnostic(in: interpreter, "q = synthesize querys from=data", line: 1))
        #expect(error.message == "expected a subcommand of `synthesize` (queries, syntriever, ranked, targeted), found `querys`")
        #expect(error.notes == ["did you mean `queries`?"])
        #expect(error.location?.column == 16)
    }
}
