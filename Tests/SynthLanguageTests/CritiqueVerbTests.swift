import Foundation
import SynthCommands
import SynthSynthesis
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

@Suite struct CritiqueVerbTests {
    /// The scripted teacher always revises to "which habits lower the risk of heart disease": BM25 on the tiny
    /// corpus ranks d2/d3 (heart) high for it, so chains for those passages improve and others get worse.
    @Test func chainsExposeRewardsAndRatesByDottedAccess() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        try await runCell(interpreter, TinyBEIR.setup)
        interpreter.restore("t", .object(TeacherObject(teacher: ScriptedTeacher(), source: "script")))
        try await runCell(
            interpreter, "queries = synthesize queries from=data per_doc=1 docs=3 teacher=t")
        let result = try await runCell(
            interpreter,
            """
            strict = critique queries teacher=t reward="retrieval" index=index rule="strict" top_k=5
            always = critique queries teacher=t reward="retrieval" index=index rule="always" top_k=5
            c = strict.critique
            print c.chains c.proposals c.accepted c.rule c.reward
            print always.critique.acceptance_rate always.critique.rewards_proposed
            print c.rewards_before
            print c.rewards_after
            print c.acceptance_by_step c.improved c.worse c.unchanged
            """)
        let lines = result.outputs.compactMap { if case .text(let t) = $0 { t } else { nil } }.suffix(5)
        #expect(Array(lines)[0] == "3 3 \(try strictAccepted(interpreter)) strict-improvement rr_bm25")
        #expect(Array(lines)[1].hasPrefix("1 ["))
        // Both rules saw the same proposals (same seeds): strict keeps only those above the initial reward.
        let strict = try #require(set(interpreter, "strict")?.critique)
        let always = try #require(set(interpreter, "always")?.critique)
        #expect(strict.proposals.map(\.reward) == always.proposals.map(\.reward))
        #expect(strict.rewardsBefore == always.rewardsBefore)
        for chain in strict.chains {
            let proposed = chain.proposals[0].reward
            #expect(chain.final == max(chain.initial, proposed))
            #expect(chain.proposals[0].accepted == (proposed > chain.initial))
        }
        #expect(always.rewardsAfter == always.proposals.map(\.reward))
    }

    @Test func retrievalRewardNeedsAnIndex() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        try await runCell(interpreter, TinyBEIR.setup)
        interpreter.restore("t", .object(TeacherObject(teacher: ScriptedTeacher(), source: "script")))
        try await runCell(
            interpreter, "queries = synthesize queries from=data per_doc=1 docs=1 teacher=t")
        for (source, message) in [
            (
                "x = critique queries teacher=t reward=\"retrieval\"",
                "expected `index=` for the retrieval reward"
            ),
            (
                "x = critique queries teacher=t reward=\"retrieval\" index=index top_k=0",
                "expected top_k > 0, found 0"
            ),
        ] {
            do {
                try await runCell(interpreter, source)
                Issue.record("expected an error for \(source)")
            } catch let error as Diagnostic {
                #expect(error.message == message)
            }
        }
    }

    /// Opt-in: the retrieval reward over a dense (MiniLM) index equals 1/rank of the source in `search`.
    @Test(
        .enabled(if: ProcessInfo.processInfo.environment["SYNTHLAB_MODEL_TESTS"] == "1", "needs MiniLM")
    )
    func denseIndexRewardIsTheReciprocalRankOfTheSource() async throws {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        defer { try? FileManager.default.removeItem(at: project) }
        let interpreter = try makeInterpreter(project: project)
        try await runCell(interpreter, TinyBEIR.setup)
        interpreter.restore("t", .object(TeacherObject(teacher: ScriptedTeacher(), source: "script")))
        try await runCell(
            interpreter,
            """
            queries = synthesize queries from=data per_doc=1 docs=3 teacher=t
            dindex = dense (encoder minilm) data
            chains = critique queries teacher=t reward="retrieval" index=dindex rule="always" top_k=6
            """)
        let trace = try #require(set(interpreter, "chains")?.critique)
        #expect(trace.reward == "rr_minilm" || trace.reward.hasPrefix("rr_"))
        #expect(trace.chains.count == 3)
        // Every query ranks all 6 documents, so each reward is 1/rank for a rank in 1…6.
        for reward in trace.rewardsBefore + trace.rewardsAfter {
            #expect((1...6).contains { abs(reward - 1 / Double($0)) < 1e-12 })
        }
    }

    private func set(_ interpreter: Interpreter, _ name: String) -> SyntheticSet? {
        if case .object(let s as SyntheticSet)? = interpreter.variables[name] { s } else { nil }
    }

    private func strictAccepted(_ interpreter: Interpreter) throws -> Int {
        try #require(set(interpreter, "strict")?.critique).acceptedCount
    }
}
