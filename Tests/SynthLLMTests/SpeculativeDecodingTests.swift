import Foundation
import SynthStore
import SynthTestSupport
import Testing

@testable import SynthLLM

/// Draft-free speculative decoding: the server flags it adds, and that it does not change greedy answers.
@Suite("SpeculativeDecoding", .serialized)
struct SpeculativeDecodingTests {
    @Test func presetsSpellTheServerFlags() {
        #expect(SpeculativeDecoding.none.serverArguments == [])
        #expect(
            SpeculativeDecoding.ngramSimple.serverArguments == [
                "--spec-type", "ngram-simple", "--spec-ngram-simple-size-n", "4", "--spec-ngram-simple-size-m", "6",
                "--spec-draft-n-max", "6",
            ])
        #expect(
            SpeculativeDecoding(.ngramMapK, lookup: 4, draft: 6, minHits: 2).serverArguments == [
                "--spec-type", "ngram-map-k", "--spec-ngram-map-k-size-n", "4", "--spec-ngram-map-k-size-m", "6",
                "--spec-ngram-map-k-min-hits", "2", "--spec-draft-n-max", "6",
            ])
        #expect(
            SpeculativeDecoding.ngramMod.serverArguments == [
                "--spec-type", "ngram-mod", "--spec-ngram-mod-n-match", "4", "--spec-ngram-mod-n-min", "1",
                "--spec-ngram-mod-n-max", "4", "--spec-draft-n-max", "4",
            ])
        #expect(SpeculativeDecoding.ngramSimple.description == "ngram-simple n=4 draft=6")
    }

    @Test func namesParseToPresetsAndUnknownNamesDoNot() {
        #expect(SpeculativeDecoding.names == ["none", "ngram-simple", "ngram-map-k", "ngram-mod"])
        for name in SpeculativeDecoding.names {
            #expect(SpeculativeDecoding(parsing: name)?.kind.rawValue == name)
        }
        #expect(SpeculativeDecoding(parsing: "ngram") == nil)
        #expect(SpeculativeDecoding(parsing: "draft-simple") == nil)
    }

    @Test func serverFlagsAndProvenanceCarryTheSetting() {
        let flags = LocalLLMServer.flags(parallel: 2, contextSize: 1024, threads: 1, speculative: .ngramSimple)
        #expect(
            flags == [
                "--no-repack", "-t", "1", "-c", "2048", "--parallel", "2", "--spec-type", "ngram-simple",
                "--spec-ngram-simple-size-n", "4", "--spec-ngram-simple-size-m", "6", "--spec-draft-n-max", "6",
            ])
        #expect(
            LLMClient.localDescription(
                model: "m", parallel: 1, contextSize: 512, threads: 1, speculative: .none)
                == "m @ local llama.cpp (--no-repack -t 1 -c 512 --parallel 1)")
    }

    @Test func localClientNamesTheFlagsInItsUsage() async throws {
        let client = try LLMClient(
            localModel: "smollm2", parallel: 1, contextSize: 256, threads: 1, speculative: .ngramMapK, store: nil,
            offline: true)
        #expect(
            await client.usage.endpoints == [
                "smollm2-135m-instruct-q4_1 @ local llama.cpp (--no-repack -t 1 -c 256 --parallel 1 --spec-type "
                    + "ngram-map-k --spec-ngram-map-k-size-n 4 --spec-ngram-map-k-size-m 6 "
                    + "--spec-ngram-map-k-min-hits 2 --spec-draft-n-max 6)"
            ])
    }

    /// The correctness property: with greedy decoding, answers with speculative decoding equal the
    /// answers without it, token for token, on prompts where drafts are proposed and accepted.
    @Test func greedyAnswersAreTheSameWithAndWithoutSpeculation() async throws {
        let prompts = [
            "Repeat exactly: The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog.",
            "Passage: Vitamin D supplementation reduced fracture risk in elderly women with low baseline levels. "
                + "Write a claim that the passage supports.",
            "List the words of this sentence one per line: cells divide when the growth signal reaches the nucleus",
        ]
        let requests = prompts.map {
            ChatRequest(messages: [.user($0)], temperature: 0, seed: 7, maxTokens: 40)
        }
        let plain = try await LocalLLMServer.start(model: "smollm2", parallel: 1, contextSize: 512, threads: 1)
        let plainAnswers: [ChatResponse]
        do {
            plainAnswers = try await LLMClient(endpoint: plain.endpoint, store: nil).complete(batch: requests)
        } catch {
            await plain.stop()
            throw error
        }
        await plain.stop()
        let setting = SpeculativeDecoding(.ngramSimple, lookup: 2, draft: 4)
        let fast = try await LocalLLMServer.start(
            model: "smollm2", parallel: 1, contextSize: 512, threads: 1, speculative: setting)
        let commandLine = ServerProcesses.commandLine(of: fast.serverPID) ?? []
        #expect(commandLine.suffix(fast.arguments.count) == ArraySlice(fast.arguments))
        #expect(
            commandLine.joined(separator: " ").contains(
                "--spec-type ngram-simple --spec-ngram-simple-size-n 2 --spec-ngram-simple-size-m 4 --spec-draft-n-max 4"))
        let fastAnswers: [ChatResponse]
        do {
            fastAnswers = try await LLMClient(endpoint: fast.endpoint, store: nil).complete(batch: requests)
        } catch {
            await fast.stop()
            throw error
        }
        await fast.stop()
        #expect(fastAnswers.map(\.text) == plainAnswers.map(\.text))
        #expect(fastAnswers.map(\.usage) == plainAnswers.map(\.usage))
        #expect(plainAnswers.allSatisfy { ($0.serverTimings?.draftTokens ?? 0) == 0 })
        let drafted = fastAnswers.map { $0.serverTimings?.draftTokens ?? 0 }.reduce(0, +)
        let accepted = fastAnswers.map { $0.serverTimings?.draftAccepted ?? 0 }.reduce(0, +)
        #expect(drafted > 0)
        #expect(accepted > 0)
    }
}
