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
