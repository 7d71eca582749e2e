import Foundation
import Testing

@testable import SynthSynthesis

/// `synthesize queries` over long runs: the time budget returns the passages done, in order.
@Suite struct QueryGenerationBudgetTests {
    static func teacher(delay: Duration = .zero) -> ScriptedTeacher {
        ScriptedTeacher { request in
            let words = userText(request).split(separator: " ").suffix(3).joined(separator: " ")
            return TeacherReply(
                text: #"{"queries": ["claim one about \#(words)", "claim two about \#(words)"]}"#, promptTokens: 10,
                completionTokens: 5)
        }
    }

    static func generation() throws -> QueryGeneration {
        QueryGeneration(
            template: try PipelineTests.library.template(named: "inpars-query"), perPassage: 2, concurrency: 1)
    }

    @Test func noBudgetCoversEveryPassage() async throws {
        let session = TeacherSession(teacher: Self.teacher())
        let set = try await Self.generation().run(passages: PipelineTests.passages, session: session, deadline: nil) {
            _ in
        }
        #expect(set.records.count == PipelineTests.passages.count * 2)
        #expect(!set.steps.contains { $0.contains("time budget") })
    }

    @Test func passedDeadlineStartsNothingAndSaysSo() async throws {
        let set = try await Self.generation().run(
            passages: PipelineTests.passages, session: TeacherSession(teacher: Self.teacher()),
            deadline: .now - .seconds(1)
        ) { _ in }
        #expect(set.records.isEmpty)
        #expect(
            set.steps.last
                == "synthesize queries: time budget reached after 0 of \(PipelineTests.passages.count) passages "
                + "(partial set; a re-run replays them and continues)")
    }

    @Test func budgetKeepsTheFinishedPassagesInOrder() async throws {
        let slow = SlowTeacher(inner: Self.teacher(), delay: .milliseconds(400))
        let set = try await Self.generation().run(
            passages: PipelineTests.passages, session: TeacherSession(teacher: slow),
            deadline: .now + .milliseconds(100)
        ) { _ in }
        // The first passage started before the deadline and finished after it; nothing else started.
        let first = PipelineTests.passages[0].id!
        #expect(set.records.map(\.id) == ["q:\(first):0", "q:\(first):1"])
    }

    @Test func progressCountsNewCallsForTheRate() {
        let progress = QueryGeneration.Progress(done: 30, total: 130, fresh: 10, elapsed: 125, freshElapsed: 120)
        #expect(progress.passagesPerMinute == 5)
        #expect(progress.eta == 1200)
    }
}

/// Waits `delay` before each answer.
struct SlowTeacher: Teacher {
    let inner: ScriptedTeacher
    let delay: Duration
    var model: String { inner.model }
    func complete(_ request: TeacherRequest) async throws -> TeacherReply {
        try await Task.sleep(for: delay)
        return try await inner.complete(request)
    }
}

/// The quality filters of `synthesize queries`.
@Suite struct QueryRejectionTests {
    static let passage = "Brg1 regulates self-renewal of embryonic stem cells. Loss of Brg1 is lethal in early embryos."

    @Test func aQueryEchoingAFewShotExampleIsRejected() throws {
        let template = try PipelineTests.library.template(named: "claim-query")
        let generation = QueryGeneration(template: template, perPassage: 1)
        let examples = generation.exampleShingles
        #expect(!examples.isEmpty)
        // Echoes of claim-query's second example (its passage, and its answer), as Qwen 0.5B writes them.
        for echo in [
            "Mice lacking the enzyme showed normal glucose tolerance and are required for self-renewal.",
            "Loss of the enzyme causes fatty liver in embryonic stem cells.",
        ] {
            #expect(
                QueryGeneration.rejection(echo, passage: Self.passage, seen: [], examples: examples)
                    == "query copied from the examples")
        }
        // A claim about the passage in the teacher's own words, sharing short phrases only, stays.
        #expect(
            QueryGeneration.rejection(
                "Embryonic stem cells need Brg1 for self-renewal, and its loss is lethal in the embryo.",
                passage: Self.passage, seen: [], examples: examples) == nil)
        // Without examples the rule is off.
        #expect(
            QueryGeneration.rejection("Loss of the enzyme causes fatty liver in embryonic stem cells.", passage: Self.passage, seen: [])
                == nil)
    }

    @Test func shinglesAreRunsOfFiveLowercasedWords() {
        #expect(QueryGeneration.shingles("One two three four.") == [])
        #expect(QueryGeneration.shingles("One, two THREE four five six") == ["one two three four five", "two three four five six"])
        #expect(QueryGeneration.shingles("diet-induced steatosis is reversed here") == ["diet-induced steatosis is reversed here"])
    }
}
