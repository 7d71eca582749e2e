import Foundation
import Testing

@testable import SynthSynthesis

/// `synthesize queries tune_concurrency=true`: the hill climb over calls in flight.
@Suite struct ConcurrencyTunerTests {
    /// Feeds the tuner answers from a simulated server whose aggregate completion tokens per second at
    /// each level is `rate[level]` (100 tokens per answer), until it settles or `limit` answers pass.
    static func settle(_ tuner: inout ConcurrencyTuner, rate: [Int: Double], limit: Int = 1_000) {
        var time = 0.0
        for _ in 0..<limit where !tuner.settled {
            time += 100 / rate[tuner.level]!
            tuner.record(completionTokens: 100, at: time)
        }
    }

    @Test func climbsWhileThroughputRisesAndKeepsTheBestLevel() {
        var tuner = ConcurrencyTuner(maximum: 8)
        Self.settle(&tuner, rate: [1: 10, 2: 19, 3: 27, 4: 27.5, 5: 30])
        #expect(tuner.settled)
        #expect(tuner.level == 3)  // 4 is < 5 % better than 3, so the search stops there
        #expect(tuner.measurements.map(\.level) == [1, 2, 3, 4])
        #expect(abs(tuner.measurements[2].tokensPerSecond - 27) < 1e-9)
        #expect(tuner.summary == "calls in flight tuned to 3 (completion tokens/s: 1 → 10.0, 2 → 19.0, 3 → 27.0, 4 → 27.5)")
    }

    @Test func aSaturatedServerStaysAtOneCall() {
        // llama.cpp on two cores with one thread: a second slot halves each request's speed.
        var tuner = ConcurrencyTuner(maximum: 4)
        Self.settle(&tuner, rate: [1: 10.3, 2: 10.4])
        #expect(tuner.settled)
        #expect(tuner.level == 1)
    }

    @Test func stopsAtTheMaximum() {
        var tuner = ConcurrencyTuner(maximum: 3)
        Self.settle(&tuner, rate: [1: 10, 2: 20, 3: 30])
        #expect(tuner.settled)
        #expect(tuner.level == 3)
        #expect(tuner.measurements.count == 3)
        // A tuner with one call allowed has nothing to search.
        #expect(ConcurrencyTuner(maximum: 1).settled)
    }

    @Test func aLevelIsMeasuredOverItsWindowOnly() {
        var tuner = ConcurrencyTuner(maximum: 2)
        tuner.record(completionTokens: 999, at: 1)  // opens the window; its tokens were made before it
        for i in 1...ConcurrencyTuner.windowCalls(at: 1) {
            #expect(tuner.level == 1)
            tuner.record(completionTokens: 50, at: 1 + Double(i))
        }
        #expect(tuner.measurements == [.init(level: 1, tokensPerSecond: 50)])
        #expect(tuner.level == 2)
        #expect(!tuner.settled)
        #expect(tuner.summary == "calls in flight still tuning at 2 of at most 2 (completion tokens/s: 1 → 50.0)")
    }

    @Test func queryGenerationStartsWithOneCallInFlight() async throws {
        let gauge = InFlightGauge()
        let teacher = GaugedTeacher(inner: QueryGenerationBudgetTests.teacher(), gauge: gauge)
        var generation = try QueryGenerationBudgetTests.generation()
        generation.concurrency = 4
        generation.adaptiveConcurrency = true
        let passages = (0..<12).map { SyntheticPassage(id: "p\($0)", text: "passage number \($0) about cells", origin: "corpus") }
        _ = try await generation.run(passages: passages, session: TeacherSession(teacher: teacher), deadline: nil) { _ in }
        // Level 1 lasts for the window's opening answer plus its window: those calls ran one at a time.
        let sequential = 1 + ConcurrencyTuner.windowCalls(at: 1)
        #expect(await gauge.peaks.prefix(sequential).allSatisfy { $0 == 1 })
        #expect(await gauge.peaks.count == passages.count)
        #expect(await gauge.peaks.max()! <= 4)
        // Two overlapping 20 ms answers come twice as fast as one, so the tuner went on to level 2.
        #expect(await gauge.peaks.contains { $0 >= 2 })
    }

    @Test func queryGenerationRecordsTheChoiceInTheSteps() async throws {
        let teacher = QueryGenerationBudgetTests.teacher()
        var generation = try QueryGenerationBudgetTests.generation()
        generation.concurrency = 2
        generation.adaptiveConcurrency = true
        let set = try await generation.run(
            passages: PipelineTests.passages, session: TeacherSession(teacher: teacher), deadline: nil
        ) { _ in }
        #expect(set.records.count == PipelineTests.passages.count * 2)
        #expect(set.steps.contains { $0.hasPrefix("synthesize queries: calls in flight ") })
        // Without the option the steps say nothing about it.
        generation.adaptiveConcurrency = false
        let plain = try await generation.run(
            passages: PipelineTests.passages, session: TeacherSession(teacher: teacher), deadline: nil
        ) { _ in }
        #expect(!plain.steps.contains { $0.contains("calls in flight") })
    }
}

/// Counts calls in flight; `peaks[i]` is how many were in flight when call `i` started.
actor InFlightGauge {
    private(set) var peaks: [Int] = []
    private var current = 0
    func enter() { current += 1; peaks.append(current) }
    func leave() { current -= 1 }
}

/// A teacher that reports its calls to a gauge and answers after a short pause.
struct GaugedTeacher: Teacher {
    let inner: ScriptedTeacher
    let gauge: InFlightGauge
    var model: String { inner.model }
    func complete(_ request: TeacherRequest) async throws -> TeacherReply {
        await gauge.enter()
        try await Task.sleep(for: .milliseconds(20))
        let reply = try await inner.complete(request)
        await gauge.leave()
        return reply
    }
}
