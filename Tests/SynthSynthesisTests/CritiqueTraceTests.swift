import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthSynthesis

/// A reward looked up by query text (unknown queries score 0), with no LLM calls.
private struct TableReward: SampleReward {
    let table: [String: Double]
    var name: String { "table" }
    func reward(query: String, record: SyntheticRecord, seed: Int, counts: inout SynthesisCounts)
        async throws
        -> (value: Double, requestKeys: [String])
    { (table[query] ?? 0, []) }
}

/// A teacher whose revision of query `q` is `q'` (one more prime per step).
private func primingTeacher() -> ScriptedTeacher {
    ScriptedTeacher(text: { request in
        let user = userText(request)
        guard user.contains("Critique:") else { return "Be more specific." }
        let query =
            user.components(separatedBy: "Query: ").dropFirst().first?
            .components(separatedBy: "\n").first ?? ""
        return #"{"query": "\#(query)'"}"#
    })
}

private func record(_ id: String, _ query: String) -> SyntheticRecord {
    SyntheticRecord(
        id: id, kind: "query", query: query,
        positives: [SyntheticPassage(id: "d-\(id)", text: "1234 5678.", origin: "corpus")])
}

private func number(_ value: Value?) -> Double? { value?.doubleValue }

private func numbers(_ value: Value?) -> [Double]? {
    guard case .list(let items)? = value else { return nil }
    return items.map { $0.doubleValue ?? .nan }
}

@Suite struct CritiqueTraceTests {
    static let library = TemplateLibrary(libraryFolders: [
        TestPaths.root.appendingPathComponent("stdlib/prompts")
    ])

    private func chains(
        _ records: [SyntheticRecord], rewards: [String: Double], rule: AcceptanceRule, steps: Int,
        seed: Int = 3
    ) async throws -> SyntheticSet {
        var set = SyntheticSet(kind: "queries")
        set.records = records
        let revision = CritiqueRevision(
            critiqueTemplate: try Self.library.template(named: "critique-query"),
            reviseTemplate: try Self.library.template(named: "revise-query"),
            reward: TableReward(table: rewards),
            rule: rule, steps: steps, seed: seed)
        return try await revision.run(set, session: TeacherSession(teacher: primingTeacher())).set
    }

    @Test func traceRecordsEveryProposalWithTheRuleProbabilityAndTheDrawnDecision() async throws {
        // Chain a: 0.5 → a' 0.2 (α = exp(−3)) → then from the state, a second proposal.
        // Chain b: 0.1 → b' 0.9 (α = 1) → b'' 0.9 (α = 1, equal reward).
        let rewards = ["a": 0.5, "a'": 0.2, "a''": 0.6, "a'''": 0.6, "b": 0.1, "b'": 0.9, "b''": 0.9]
        let rule = AcceptanceRule.metropolis(temperature: 0.1)
        let out = try await chains(
            [
                record("a", "a"), record("b", "b"),
                SyntheticRecord(id: "c", kind: "query", query: "no passage"),
            ],
            rewards: rewards, rule: rule, steps: 2)
        let trace = try #require(out.critique)
        #expect(trace.reward == "table" && trace.rule == "metropolis:0.1" && trace.steps == 2)
        #expect(trace.chains.map(\.id) == ["a", "b"])  // the record without a passage runs no chain

        // Replay chain a's decisions with its own random stream (seed 3, record index 0).
        var random = SplitMix64.stream(seed: 3, index: 0)
        let a = trace.chains[0]
        #expect(a.initial == 0.5)
        #expect(abs(a.proposals[0].probability - exp(-3)) < 1e-12)
        let firstAccepted = random.nextUnit() < exp(-3)
        #expect(a.proposals[0].accepted == firstAccepted)
        let state = firstAccepted ? "a'" : "a"
        #expect(a.proposals[1].reward == rewards[state + "'"])
        #expect(out.records[0].query == (a.proposals[1].accepted ? state + "'" : state))
        #expect(a.final == rewards[out.records[0].query])

        let b = trace.chains[1]
        #expect(b.proposals.map(\.accepted) == [true, true])
        #expect(b.proposals.map(\.probability) == [1, 1])
        #expect(b.states == [0.1, 0.9, 0.9])
        #expect(out.records[1].query == "b''")
        #expect(trace.rewardsBefore == [0.5, 0.1])
        #expect(trace.rewardsAfter == [a.final, 0.9])
    }

    @Test func languageValueHasRatesListsAndTrace() async throws {
        let rewards = ["a": 0.5, "a'": 0.2, "b": 0.1, "b'": 0.9, "c": 0.4, "c'": 0.4]
        let out = try await chains(
            [record("a", "a"), record("b", "b"), record("c", "c")], rewards: rewards,
            rule: .strictImprovement,
            steps: 1)
        guard case .record(let value)? = out.field("critique") else {
            Issue.record("expected a record")
            return
        }
        #expect(Set(value.pairs.map(\.key)) == Set(CritiqueTrace.fieldNames))
        #expect(number(value["proposals"]) == 3)
        #expect(number(value["accepted"]) == 1)
        #expect(number(value["acceptance_rate"]) == 1.0 / 3)
        #expect(numbers(value["acceptance_by_step"]) == [1.0 / 3])
        #expect(number(value["mean_acceptance_probability"]) == 1.0 / 3)
        #expect(numbers(value["rewards_before"]) == [0.5, 0.1, 0.4])
        #expect(numbers(value["rewards_after"]) == [0.5, 0.9, 0.4])
        #expect(numbers(value["rewards_proposed"]) == [0.2, 0.9, 0.4])
        #expect(
            number(value["improved"]) == 1 && number(value["worse"]) == 0
                && number(value["unchanged"]) == 2)
        #expect(value["rule"]?.stringValue == "strict-improvement")
        guard case .list(let trace)? = value["trace"], case .record(let first)? = trace.first else {
            Issue.record("expected a trace")
            return
        }
        #expect(first["id"]?.stringValue == "a")
        #expect(numbers(first["states"]) == [0.5, 0.5])
        #expect(first["accepted"]?.literal == "[false]")
        // A set that no critique step made has no trace.
        if case .null? = SyntheticSet(kind: "queries").field("critique") {
        } else {
            Issue.record("expected null")
        }
    }

    @Test func metropolisAcceptsAtTheRateItsProbabilitiesPredict() async throws {
        // 300 chains whose revision loses 0.0693 reward: α = exp(−0.0693/0.1) = 0.5.
        let records = (0..<300).map { record("r\($0)", "q\($0)") }
        var rewards: [String: Double] = [:]
        for i in 0..<300 {
            rewards["q\(i)"] = 0.5
            rewards["q\(i)'"] = 0.5 - 0.1 * log(2)
        }
        let out = try await chains(
            records, rewards: rewards, rule: .metropolis(temperature: 0.1), steps: 1, seed: 11)
        let trace = try #require(out.critique)
        #expect(trace.proposals.allSatisfy { abs($0.probability - 0.5) < 1e-12 })
        // Binomial(300, 0.5): standard deviation 0.029; 4 of them either side.
        #expect(abs(trace.acceptanceRate - 0.5) < 0.116)
        #expect(trace.acceptedCount == out.records.filter { $0.query.hasSuffix("'") }.count)
    }

    @Test func revisionsCopiedFromThePassageAreNeverAccepted() async throws {
        // The revision "x'" has the higher reward but is copied from the passage: no rule, not even
        // `always`, may accept it.
        let copier = SyntheticRecord(
            id: "x", kind: "query", query: "x",
            positives: [SyntheticPassage(id: "d", text: "The passage says X' here.", origin: "corpus")])
        let out = try await chains([copier], rewards: ["x": 0, "x'": 1], rule: .always, steps: 1)
        let proposal = try #require(out.critique?.chains.first?.proposals.first)
        #expect(proposal.reward == 1 && proposal.probability == 0 && !proposal.accepted)
        #expect(proposal.rejection == "query copied from passage")
        #expect(out.records[0].query == "x")
        #expect(out.field("critique")?.field("invalid")?.doubleValue == 1)
    }

    @Test func traceSurvivesPersistAndRestore() async throws {
        let out = try await chains(
            [record("a", "a")], rewards: ["a": 0.2, "a'": 0.7], rule: .metropolis(temperature: 1),
            steps: 1)
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try out.persist(into: folder)
        let restored = try SyntheticSet.restore(from: folder)
        #expect(restored == out)
        #expect(restored.critique?.chains.first?.final == 0.7)
        // Sets saved before traces existed still load.
        var old = out
        old.critique = nil
        try old.persist(into: folder)
        #expect(try SyntheticSet.restore(from: folder).critique == nil)
    }
}
