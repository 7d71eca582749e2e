import Foundation
import SynthLLM
import SynthRetrieval
import SynthStore
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthSynthesis

/// `synthesize queries` → `critique verify` → `critique roundtrip` against the REAL local llama.cpp
/// server with SmolLM2-135M (tiny: 2 passages, a few tokens each), then the same run again, which
/// must replay every answer from the response store with zero new requests.
@Suite("Synthesis with llama.cpp (SmolLM2)", .serialized)
struct LocalServerIntegrationTests {
    static let library = TemplateLibrary(libraryFolders: [TestPaths.root.appendingPathComponent("stdlib/prompts")])

    static let corpus = [
        Document(
            id: "d1",
            text: "Aspirin irreversibly inhibits cyclooxygenase in platelets, reducing thromboxane and clotting."),
        Document(id: "d2", text: "Glaciers retreat when summer melting exceeds winter snowfall over many years."),
        Document(id: "d3", text: "Bats navigate in darkness by echolocation, emitting calls and listening to echoes."),
        Document(id: "d4", text: "Coffee contains caffeine, which blocks adenosine receptors and reduces drowsiness."),
    ]

    struct Outcome {
        var verified: SyntheticSet
        /// The generated queries round-tripped through BM25 (independently of verification).
        var roundTripped: SyntheticSet
        var filtered: SyntheticSet
        var usage: LLMUsage
    }

    /// One full pipeline run over the first two passages with a fresh client on `store`.
    func pipeline(server: LocalLLMServer, store: ResponseStore, offline: Bool = false) async throws -> Outcome {
        let client = LLMClient(endpoint: server.endpoint, store: store, offline: offline, jitterSeed: 1)
        let session = TeacherSession(teacher: LLMTeacher(client: client), attempts: 2)
        let passages = Self.corpus.prefix(2).map { SyntheticPassage(id: $0.id, text: $0.text, origin: "corpus") }
        let generation = QueryGeneration(
            template: try Self.library.template(named: "inpars-query"), perPassage: 1, seed: 3, concurrency: 1,
            maxTokens: 40)
        let queries = try await generation.run(passages: passages, session: session)
        let verification = RelevanceVerification(
            template: try Self.library.template(named: "verify-relevance"), seed: 3, concurrency: 1, maxTokens: 3)
        let verified = try await verification.run(queries, session: session)
        let bm25 = BM25Retriever(index: BM25Index.build(documents: Self.corpus))
        let filtered = try await RoundTripFilter(retrievers: [bm25], topK: 3).run(verified)
        let roundTripped = try await RoundTripFilter(retrievers: [bm25], topK: 1).run(queries)
        return Outcome(verified: verified, roundTripped: roundTripped, filtered: filtered, usage: await client.usage)
    }

    @Test func synthesizeVerifyRoundTripThenReplay() async throws {
        let server = try await LocalLLMServerRegistry.shared.server(model: "smollm2", parallel: 1, contextSize: 2048)
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try ResponseStore(path: folder.appendingPathComponent("llm.sqlite"))

        let started = Date()
        let first = try await pipeline(server: server, store: store)
        let set = first.filtered
        print(
            "synthesis integration: \(set.summary); \(set.counts.promptTokens) prompt + \(set.counts.completionTokens) completion tokens in \(Int(Date().timeIntervalSince(started))) s"
        )
        for record in set.records {
            print("  \(record.query) | score \(record.score ?? -1) | \(record.rejection ?? "accepted")")
        }
        // Structure: every passage made one query record or counted a failure; nothing crashed.
        #expect(set.records.count + set.counts.failed >= 2)
        #expect(set.records.count <= 2)
        let generateRequests = 2 + set.counts.retried
        #expect(set.counts.requestsNew >= generateRequests)
        #expect(set.counts.requestsReplayed == 0)
        #expect(set.counts.promptTokens > 0 && set.counts.completionTokens > 0)
        #expect(set.steps.count == 3)
        #expect(set.steps[0].hasPrefix("synthesize queries: template inpars-query@"))
        #expect(set.steps[2] == "critique roundtrip: bm25 top-3")
        let inpars = try Self.library.template(named: "inpars-query")
        let verify = try Self.library.template(named: "verify-relevance")
        let storedKeys = Set(try await store.all().map(\.key))
        for record in set.records {
            #expect(record.kind == "query")
            #expect(["d1", "d2"].contains(record.positive?.id ?? ""))
            let generation = try #require(record.provenance.first)
            #expect(generation.step == "synthesize queries")
            #expect(generation.template == "inpars-query" && generation.templateHash == inpars.hash)
            #expect(generation.model == "smollm2-135m-instruct-q4_1")
            #expect(!generation.requestKeys.isEmpty && generation.requestKeys.allSatisfy(storedKeys.contains))
            if record.rejection != "unparseable verdict", record.rejection?.hasPrefix("query") != true,
                record.rejection != "duplicate query"
            {
                let verification = try #require(record.provenance.last)
                #expect(verification.step == "critique verify" && verification.templateHash == verify.hash)
                #expect(verification.requestKeys.allSatisfy(storedKeys.contains))
                // The verifier's score is P(yes) from log-probabilities, strictly inside (0, 1) for this model.
                let score = try #require(first.verified.records.first { $0.id == record.id }?.score)
                #expect(score >= 0 && score <= 1)
            }
            if record.accepted { #expect(record.extra["rr_bm25"] != nil) }
        }
        // Round trip alone: each accepted query has a reciprocal rank; rejected ones name BM25's top-1.
        for record in first.roundTripped.records where record.provenance.count == 1 {
            if record.accepted {
                #expect(record.extra["rr_bm25"] == "1" && record.score == 1)
            } else if record.rejection == "source not in bm25 top-1" {
                #expect(record.extra["rr_bm25"] != "1")
            }
        }
        // Counts agree with the records.
        let rejectedByCounts = set.counts.rejected.values.reduce(0, +)
        #expect(rejectedByCounts == set.rejectedCount)
        #expect(first.usage.requestsNew == set.counts.requestsNew)

        // Second run, fresh client, same store: everything replays, nothing new is sent.
        let second = try await pipeline(server: server, store: store)
        #expect(second.usage.requestsNew == 0)
        #expect(second.filtered.counts.requestsNew == 0)
        #expect(second.filtered.counts.requestsReplayed == set.counts.requestsNew)
        #expect(second.filtered.records == set.records)
        #expect(second.roundTripped.records == first.roundTripped.records)

        // Offline mode replays too.
        let offline = try await pipeline(server: server, store: store, offline: true)
        #expect(offline.filtered.records == set.records)
    }
}
