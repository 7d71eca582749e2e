import Foundation
import SynthRetrieval
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthSynthesis

/// Pipelines over a scripted teacher: counts, rejections, repairs, retries and provenance.
@Suite struct PipelineTests {
    static let library = TemplateLibrary(libraryFolders: [TestPaths.root.appendingPathComponent("stdlib/prompts")])

    static let passages = [
        SyntheticPassage(
            id: "d1", text: "Aspirin irreversibly inhibits cyclooxygenase, reducing platelet aggregation.",
            origin: "corpus"),
        SyntheticPassage(
            id: "d2", text: "Glaciers retreat when summer melting exceeds winter snowfall for many years.",
            origin: "corpus"),
        SyntheticPassage(
            id: "d3", text: "Bats navigate in darkness by echolocation, emitting calls and listening to echoes.",
            origin: "corpus"),
    ]

    @Test func queryGenerationRepairsRetriesAndRejects() async throws {
        let teacher = ScriptedTeacher(text: { request in
            let user = userText(request)
            if user.contains("Aspirin") {  // fenced, trailing comma: repaired
                return "```json\n{\"queries\": [\"how does aspirin stop platelets clumping\", \"aspirin\",]}\n```"
            }
            if user.contains("Glaciers") {  // unusable first, fine on retry (different seed)
                return request.seed % 2 == 1
                    ? "I cannot answer that." : #"{"queries": ["why do glaciers shrink", "why do glaciers shrink"]}"#
            }
            return "never json"
        })
        let generation = QueryGeneration(
            template: try Self.library.template(named: "inpars-query"), perPassage: 2, seed: 0, concurrency: 1)
        let set = try await generation.run(
            passages: Self.passages, session: TeacherSession(teacher: teacher, attempts: 2))
        #expect(
            set.records.map(\.query) == [
                "how does aspirin stop platelets clumping", "aspirin", "why do glaciers shrink",
                "why do glaciers shrink",
            ])
        #expect(set.records.map(\.accepted) == [true, false, true, false])
        #expect(set.records[1].rejection == "query shorter than 3 words")
        #expect(set.records[3].rejection == "duplicate query")
        #expect(set.counts.requestsNew == 5)  // 1 + 2 + 2
        #expect(set.counts.retried == 2)
        #expect(set.counts.failed == 1)  // the bat passage
        #expect(set.counts.answersRepaired == 1)
        #expect(set.counts.repaired == ["stripped code fence": 1, "removed trailing comma": 1])
        #expect(set.counts.rejected == ["query shorter than 3 words": 1, "duplicate query": 1])
        let provenance = try #require(set.records[0].provenance.first)
        #expect(provenance.template == "inpars-query")
        #expect(provenance.templateHash == (try Self.library.template(named: "inpars-query")).hash)
        #expect(provenance.model == "scripted")
        #expect(provenance.requestKeys.count == 1)
        #expect(set.records[2].provenance.first?.requestKeys.count == 2)  // failed try + retry
        #expect(set.records[0].positive?.id == "d1")
        // The schema asks for exactly perPassage queries; the passage comes last in the prompt.
        let first = await teacher.log.requests[0]
        #expect(first.jsonSchema?.contains(#""maxItems":2"#) == true)
        #expect(userText(first).hasSuffix("Passage: \(Self.passages[0].text)\nOutput:"))
        #expect(
            set.summary == "synthetic_set queries: 4 records, 2 accepted, 2 rejected (1 duplicate query, "
                + "1 query shorter than 3 words); 5 requests (0 replayed), 50 prompt + 25 completion tokens; "
                + "1 repaired, 2 retried, 1 failed")
    }

    @Test func verificationMovesRejectedSyntheticPositivesToNegatives() async throws {
        let teacher = ScriptedTeacher { request in
            verdictReply(yes: userText(request).contains("GOOD") ? 0.8 : 0.3)
        }
        var set = SyntheticSet(kind: "syntriever")
        set.records = [
            SyntheticRecord(
                id: "a", kind: "syntriever", query: "q1",
                positives: [
                    SyntheticPassage(id: "g", text: "gold", origin: "corpus"),
                    SyntheticPassage(text: "GOOD passage", origin: "synthetic"),
                ]),
            SyntheticRecord(
                id: "b", kind: "syntriever", query: "q2",
                positives: [SyntheticPassage(text: "bad passage", origin: "synthetic")]),
            SyntheticRecord(
                id: "c", kind: "query", query: "q3",
                positives: [SyntheticPassage(id: "d", text: "bad source", origin: "corpus")]),
        ]
        let verification = RelevanceVerification(template: try Self.library.template(named: "verify-relevance"))
        let out = try await verification.run(set, session: TeacherSession(teacher: teacher))
        #expect(out.records[0].accepted)
        #expect(out.records[0].positives.map(\.text) == ["gold", "GOOD passage"])
        #expect(abs((out.records[0].score ?? 0) - 0.8) < 1e-9)
        #expect(!out.records[1].accepted)
        #expect(out.records[1].rejection == "no verified positive")
        #expect(out.records[1].negatives.map(\.origin) == ["rejected-positive"])
        #expect(!out.records[2].accepted)
        #expect(out.records[2].rejection == "verifier said no")
        #expect(out.records[2].negatives.isEmpty)  // a corpus source is not moved
        #expect(out.counts.rejected["positive judged irrelevant → hard negative"] == 1)
        #expect(out.records[0].provenance.last?.step == "critique verify")
        let request = await teacher.log.requests[0]
        #expect(request.topLogprobs == 10)
        #expect(request.jsonSchema == nil)
    }

    @Test func unparseableVerdictIsRetriedThenRejected() async throws {
        let teacher = ScriptedTeacher(text: { _ in "Maybe." })
        var set = SyntheticSet(kind: "queries")
        set.records = [
            SyntheticRecord(
                id: "a", kind: "query", query: "q", positives: [SyntheticPassage(id: "d", text: "p", origin: "corpus")])
        ]
        let verification = RelevanceVerification(template: try Self.library.template(named: "verify-relevance"))
        let out = try await verification.run(set, session: TeacherSession(teacher: teacher, attempts: 3))
        #expect(out.records[0].rejection == "unparseable verdict")
        #expect(out.counts.retried == 2)
        #expect(out.counts.failed == 1)
        let temperatures = await teacher.log.requests.map(\.temperature)
        #expect(temperatures == [0, 0.7, 0.7])
    }

    @Test func roundTripKeepsQueriesWhoseSourceComesBack() async throws {
        let documents = Self.passages.map { Document(id: $0.id!, text: $0.text) }
        let retriever = BM25Retriever(index: BM25Index.build(documents: documents))
        var set = SyntheticSet(kind: "queries")
        set.records = [
            SyntheticRecord(
                id: "1", kind: "query", query: "aspirin platelet aggregation", positives: [Self.passages[0]]),
            SyntheticRecord(id: "2", kind: "query", query: "bats echolocation calls", positives: [Self.passages[0]]),
        ]
        let out = try await RoundTripFilter(retrievers: [retriever], topK: 1).run(set)
        #expect(out.records[0].accepted)
        #expect(out.records[0].score == 1)
        #expect(out.records[0].extra["rr_bm25"] == "1")
        #expect(!out.records[1].accepted)
        #expect(out.records[1].rejection == "source not in bm25 top-1")
        #expect(out.counts.rejected == ["source not in bm25 top-1": 1])
    }

    @Test func critiqueRevisionAcceptsByTheMetropolisRule() async throws {
        // Revisions are always "better query"; the judge likes it (0.9) more than the original (0.2).
        let teacher = ScriptedTeacher { request in
            let user = userText(request)
            if user.contains("Answer (yes or no)") {
                return verdictReply(yes: user.contains("better query") ? 0.9 : 0.2)
            }
            if user.contains("Critique:") { return TeacherReply(text: #"{"query": "better query"}"#) }
            return TeacherReply(text: "Mention the mechanism.")
        }
        let session = TeacherSession(teacher: teacher)
        let judge = JudgeReward(
            verification: RelevanceVerification(template: try Self.library.template(named: "verify-relevance")),
            session: session)
        var set = SyntheticSet(kind: "queries")
        set.records = [SyntheticRecord(id: "a", kind: "query", query: "original query", positives: [Self.passages[0]])]
        let revision = CritiqueRevision(
            critiqueTemplate: try Self.library.template(named: "critique-query"),
            reviseTemplate: try Self.library.template(named: "revise-query"), reward: judge, steps: 2, seed: 5)
        let (out, stats) = try await revision.run(set, session: session)
        #expect(out.records[0].query == "better query")
        #expect(out.records[0].extra["original"] == "original query")
        #expect(out.records[0].extra["critique"] == "Mention the mechanism.")
        #expect(out.records[0].extra["accepted_steps"] == "2/2")  // second step: equal reward, α = 1
        #expect(stats.proposals == 2)
        #expect(stats.accepted == 2)
        #expect(abs(stats.meanBefore - log(0.2)) < 1e-9)
        #expect(abs(stats.meanAfter - log(0.9)) < 1e-9)
        #expect(out.steps.last?.contains("accepted 2/2") == true)
        #expect(out.records[0].provenance.map(\.step).contains("revise"))
    }

    @Test func strictRuleRejectsWorseRevisions() async throws {
        let teacher = ScriptedTeacher { request in
            let user = userText(request)
            if user.contains("Answer (yes or no)") {
                return verdictReply(yes: user.contains("worse query") ? 0.1 : 0.6)
            }
            if user.contains("Critique:") { return TeacherReply(text: #"{"query": "worse query"}"#) }
            return TeacherReply(text: "Be vaguer.")
        }
        let session = TeacherSession(teacher: teacher)
        let judge = JudgeReward(
            verification: RelevanceVerification(template: try Self.library.template(named: "verify-relevance")),
            session: session)
        var set = SyntheticSet(kind: "queries")
        set.records = [SyntheticRecord(id: "a", kind: "query", query: "original query", positives: [Self.passages[0]])]
        let revision = CritiqueRevision(
            critiqueTemplate: try Self.library.template(named: "critique-query"),
            reviseTemplate: try Self.library.template(named: "revise-query"), reward: judge,
            rule: .strictImprovement, steps: 3)
        let (out, stats) = try await revision.run(set, session: session)
        #expect(out.records[0].query == "original query")
        #expect(stats.accepted == 0)
        #expect(stats.proposals == 3)
        #expect(out.records[0].extra["original"] == nil)
    }

    @Test func syntrieverMakesCotPositiveAndNegative() async throws {
        let teacher = ScriptedTeacher(text: { request in
            let user = userText(request)
            if user.contains("step by step") {
                return #"{"expansion": "Aspirin blocks COX enzymes, so less thromboxane forms."}"#
            }
            if user.contains("plausible but irrelevant") {
                return #"{"passage": "Aspirin was first synthesised in 1897 by chemists."}"#
            }
            return #"{"passage": "Aspirin acetylates COX-1 in platelets and lowers thromboxane A2."}"#
        })
        let generation = SyntrieverGeneration(
            cotTemplate: try Self.library.template(named: "syntriever-cot"),
            positiveTemplate: try Self.library.template(named: "syntriever-positive"),
            negativeTemplate: try Self.library.template(named: "syntriever-negative"))
        let set = try await generation.run(
            inputs: [.init(id: "q1", query: "how does aspirin work", gold: Self.passages[0])],
            session: TeacherSession(teacher: teacher))
        let record = try #require(set.records.first)
        #expect(record.positives.map(\.origin) == ["corpus", "synthetic"])
        #expect(record.negatives.map(\.origin) == ["synthetic"])
        #expect(record.extra["cot"]?.hasPrefix("how does aspirin work Aspirin blocks") == true)
        #expect(record.provenance.map(\.template) == ["syntriever-cot", "syntriever-positive", "syntriever-negative"])
        #expect(set.counts.requestsNew == 3)
        #expect(set.trainingTriples.first?.positive == Self.passages[0].text)
    }

    @Test func rankedChainsAndTheirFilters() async throws {
        let teacher = ScriptedTeacher(text: { request in
            let user = userText(request)
            let sentence = (user.components(separatedBy: "Sentence: ").last ?? "").trimmingCharacters(
                in: .whitespacesAndNewlines)
            if sentence.hasPrefix("loop") { return #"{"sentence": "loop"}"# }
            return "{\"sentence\": \"\(sentence)+\"}"
        })
        let generation = RankedChainGeneration(template: try Self.library.template(named: "ranked-rewrite"), steps: 3)
        let set = try await generation.run(anchors: ["A cat sat.", "loop"], session: TeacherSession(teacher: teacher))
        #expect(set.records[0].texts == ["A cat sat.", "A cat sat.+", "A cat sat.++", "A cat sat.+++"])
        #expect(set.records[0].accepted)
        #expect(set.records[1].rejection == "degenerate chain (a sentence repeats 3+ times)")
    }

    @Test func permutationAndChoiceParsing() {
        #expect(Distillation.permutation("[2] > [1] > [3]", count: 3) == [1, 0, 2])
        #expect(Distillation.permutation("[3] > [3] > [9] > [1]", count: 4) == [2, 0, 1, 3])
        #expect(Distillation.permutation("none", count: 3) == nil)
        #expect(Distillation.choice("Passage 2") == false)
        #expect(Distillation.choice(" 1.") == true)
        #expect(Distillation.choice("3") == nil)
    }

    @Test func pairwiseBothOrdersRejectsPositionBias() async throws {
        let documents = Self.passages.map { Document(id: $0.id!, text: $0.text) }
        let retriever = BM25Retriever(index: BM25Index.build(documents: documents))
        let teacher = ScriptedTeacher(text: { _ in "1" })  // always the first shown: pure position bias
        let distill = Distillation(
            kind: .pairwise, template: try Self.library.template(named: "pairwise-preference"), topK: 3,
            bothOrders: true)
        let texts = Dictionary(uniqueKeysWithValues: Self.passages.map { ($0.id!, $0.text) })
        let set = try await distill.run(
            queries: [.init(id: "q", text: "aspirin glaciers bats")], retriever: retriever, passage: { texts[$0] },
            session: TeacherSession(teacher: teacher))
        #expect(set.records.count == 3)
        #expect(set.records.allSatisfy { !$0.accepted && $0.rejection == "orders disagree (position bias)" })
        #expect(set.counts.requestsNew == 6)
    }

    @Test func listwiseSlidingWindowReordersCandidates() async throws {
        let documents = Self.passages.map { Document(id: $0.id!, text: $0.text) }
        let retriever = BM25Retriever(index: BM25Index.build(documents: documents))
        let teacher = ScriptedTeacher(text: { request in
            // Reverse whatever window it sees.
            let count = userText(request).components(separatedBy: "\n[").count - 1
            return (1...max(1, count)).reversed().map { "[\($0)]" }.joined(separator: " > ")
        })
        let distill = Distillation(
            kind: .listwise, template: try Self.library.template(named: "listwise-rank"), topK: 3, window: 3)
        let texts = Dictionary(uniqueKeysWithValues: Self.passages.map { ($0.id!, $0.text) })
        let set = try await distill.run(
            queries: [.init(id: "q", text: "aspirin glaciers bats")], retriever: retriever, passage: { texts[$0] },
            session: TeacherSession(teacher: teacher))
        let ranked = try await retriever.rank("aspirin glaciers bats", topK: 3)
        #expect(ranked.count == 3)
        #expect(set.records[0].candidates.compactMap(\.id) == Array(ranked.reversed()))
        #expect(set.records[0].scores == [3, 2, 1])
    }

    @Test func jsonlRoundTripAndPersistence() async throws {
        var set = SyntheticSet(kind: "queries", steps: ["synthesize queries: test"])
        set.records = [
            SyntheticRecord(
                id: "q:d1:0", kind: "query", query: "a \"quoted\" query", positives: [Self.passages[0]],
                negatives: [SyntheticPassage(text: "neg", origin: "synthetic")], score: 0.25,
                provenance: [
                    RecordProvenance(step: "s", template: "t", templateHash: "h", model: "m", requestKeys: ["k"])
                ])
        ]
        set.records.append(SyntheticRecord(id: "q:d2:0", kind: "query", query: "x", accepted: false, rejection: "why"))
        set.counts.requestsNew = 2
        let text = set.jsonl()
        #expect(text.split(separator: "\n").count == 2)
        #expect(
            text.hasPrefix(
                #"{"accepted":true,"candidates":[],"extra":{},"id":"q:d1:0","kind":"query","negatives":[{"origin":"synthetic","text":"neg"}]"#
            ))
        #expect(try SyntheticSet.records(fromJSONL: text, file: "x.jsonl") == set.records)
        #expect(
            throws: Diagnostic(
                .error, "expected a synthetic record (JSON object), found malformed line",
                at: SourceLocation(file: "x.jsonl", line: 3, column: 1))
        ) {
            try SyntheticSet.records(fromJSONL: text + "{\"id\":\"a\"}\n", file: "x.jsonl")
        }
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try set.persist(into: folder)
        #expect(try SyntheticSet.restore(from: folder) == set)
        #expect(set.field("accepted")?.description == "1")
        #expect(set.trainingTriples.count == 1)
        #expect(set.trainingTriples[0].negatives == ["neg"])
    }
}

@Suite struct TrainingViewTests {
    @Test func setsInTrainingShapes() {
        let gold = SyntheticPassage(id: "d", text: "gold", origin: "corpus")
        var set = SyntheticSet(kind: "mixed")
        set.records = [
            SyntheticRecord(
                id: "s", kind: "syntriever", query: "q",
                positives: [gold, SyntheticPassage(text: "p+", origin: "synthetic")],
                negatives: [SyntheticPassage(text: "p-", origin: "synthetic")], extra: ["cot": "q because"]),
            SyntheticRecord(
                id: "pw", kind: "pairwise", query: "q", positives: [gold],
                negatives: [SyntheticPassage(id: "e", text: "other", origin: "retrieved")]),
            SyntheticRecord(id: "r", kind: "ranked-chain", query: "a", texts: ["a", "b", "c"]),
            SyntheticRecord(id: "p", kind: "pointwise", query: "q", candidates: [gold], scores: [0.75]),
            SyntheticRecord(
                id: "x", kind: "pairwise", query: "q", positives: [gold], negatives: [gold], accepted: false),
        ]
        #expect(
            set.syntrieverTuples.first
                == .init(query: "q", gold: "gold", syntheticPositives: ["p+"], cot: "q because", negatives: ["p-"]))
        #expect(set.preferencePairs.map(\.other) == ["other"])
        #expect(set.rankedLists == [["a", "b", "c"]])
        #expect(set.pointwiseLabels.map(\.score) == [0.75])
    }
}
