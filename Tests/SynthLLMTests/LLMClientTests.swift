import Foundation
import SynthStore
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLLM

/// The client against the REAL local llama.cpp server (SmolLM2-135M), tiny completions.
@Suite("LLMClient with llama.cpp", .serialized)
struct LLMClientTests {
    private func request(_ text: String, seed: Int = 1, maxTokens: Int = 6) -> ChatRequest {
        ChatRequest(messages: [.user(text)], temperature: 0.7, seed: seed, maxTokens: maxTokens)
    }

    @Test func chatReturnsTextUsageAndStoresTheCall() async throws {
        let server = try await TestServer.smollm()
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let client = LLMClient(endpoint: server.endpoint, store: store)
        let response = try await client.complete(request("Say hello."))
        #expect(!response.text.isEmpty)
        #expect(response.usage.promptTokens > 0)
        #expect(response.usage.completionTokens > 0 && response.usage.completionTokens <= 6)
        #expect(response.finishReason == "length" || response.finishReason == "stop")
        #expect(!response.replayed)
        let usage = await client.usage
        #expect(usage.requestsNew == 1 && usage.requestsReplayed == 0)
        #expect(usage.promptTokens == response.usage.promptTokens)
        #expect(usage.completionTokens == response.usage.completionTokens)
        let rows = try await store.all()
        #expect(rows.count == 1)
        #expect(rows[0].key == response.key)
        #expect(rows[0].model == "smollm2-135m-instruct-q4_1")
        #expect(!rows[0].requestJSON.contains("127.0.0.1"))
        #expect(rows[0].promptTokens == response.usage.promptTokens)
    }

    @Test func sameSeedSameAnswer() async throws {
        let server = try await TestServer.smollm()
        let client = LLMClient(endpoint: server.endpoint, store: nil)
        let first = try await client.complete(request("Name a fruit.", seed: 5))
        let second = try await client.complete(request("Name a fruit.", seed: 5))
        #expect(first.text == second.text)
        #expect(await client.usage.requestsNew == 2)
    }

    @Test func jsonSchemaConstrainedOutputParses() async throws {
        let server = try await TestServer.smollm()
        let client = LLMClient(endpoint: server.endpoint, store: nil)
        var constrained = request("Give a search query about vitamins as JSON.", maxTokens: 48)
        constrained.responseFormat = .jsonSchema(
            name: "query",
            schema: [
                "type": "object", "properties": ["query": ["type": "string", "maxLength": 40]],
                "required": ["query"], "additionalProperties": false,
            ])
        let response = try await client.complete(constrained)
        #expect(response.finishReason == "stop", "the grammar must let the object close within 48 tokens")
        let parsed = try JSONValue(parsing: response.text)
        guard case .object(let object) = parsed, case .string = object["query"] else {
            Issue.record("expected {\"query\": string}, found \(response.text)")
            return
        }
        #expect(object.count == 1)
    }

    @Test func gbnfGrammarConstrainsOutput() async throws {
        let server = try await TestServer.smollm()
        let client = LLMClient(endpoint: server.endpoint, store: nil)
        var constrained = request("Is water wet? Answer yes or no.", maxTokens: 4)
        constrained.grammar = #"root ::= "yes" | "no""#
        let response = try await client.complete(constrained)
        #expect(["yes", "no"].contains(response.text))
    }

    @Test func logprobsArePresent() async throws {
        let server = try await TestServer.smollm()
        let client = LLMClient(endpoint: server.endpoint, store: nil)
        var withLogprobs = request("Say hi.", maxTokens: 3)
        withLogprobs.logprobs = true
        withLogprobs.topLogprobs = 2
        let response = try await client.complete(withLogprobs)
        let logprobs = try #require(response.logprobs)
        #expect(logprobs.count == response.usage.completionTokens)
        #expect(logprobs.allSatisfy { $0.logprob <= 0 && $0.top.count == 2 })
        #expect(logprobs.map(\.token).joined() == response.text)
    }

    @Test func nSamplesAreSeparateSeededCalls() async throws {
        let server = try await TestServer.smollm()
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let client = LLMClient(endpoint: server.endpoint, store: store)
        var many = request("Write one word.", seed: 3, maxTokens: 4)
        many.n = 3
        let answers = try await client.completeAll(many)
        #expect(answers.count == 3)
        #expect(Set(answers.map(\.key)).count == 3)
        #expect(answers[0].key == client.key(for: request("Write one word.", seed: 3, maxTokens: 4)))
        // Asking for more samples later reuses the first three.
        many.n = 4
        _ = try await client.completeAll(many)
        let usage = await client.usage
        #expect(usage.requestsNew == 4 && usage.requestsReplayed == 3)
    }

    @Test func eightRequestsAtConcurrencyFourAreStoredOnceAndReplayed() async throws {
        let server = try await TestServer.smollm()
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let requests = (0..<8).map { request("Write a word about topic \($0).", seed: $0, maxTokens: 4) }
        var endpoint = server.endpoint
        endpoint.concurrency = 4
        // Through the fault server in pure forwarding mode, so the peak concurrency is observable.
        let proxy = try FaultServer(script: [], upstream: endpoint.chatCompletionsURL)
        defer { proxy.close() }
        var proxied = endpoint
        proxied.url = proxy.url
        let client = LLMClient(endpoint: proxied, store: store)
        let answers = try await client.complete(batch: requests)
        #expect(answers.count == 8)
        #expect(proxy.requestCount == 8)
        #expect(proxy.peakConcurrency <= 4)
        #expect(try await store.count() == 8)
        #expect(Set(answers.map(\.key)) == Set(requests.map { client.key(for: $0) }))

        // A second run (new client, same store, the server directly): everything is replayed.
        let rerun = LLMClient(endpoint: endpoint, store: store)
        let replayed = try await rerun.complete(batch: requests)
        #expect(replayed.map(\.text) == answers.map(\.text))
        #expect(replayed.allSatisfy { $0.replayed })
        let usage = await rerun.usage
        #expect(usage.requestsNew == 0 && usage.requestsReplayed == 8)
        #expect(try await store.count() == 8)
    }

    @Test func identicalRequestsInFlightAreSentOnce() async throws {
        let server = try await TestServer.smollm()
        let proxy = try FaultServer(script: [], upstream: server.endpoint.chatCompletionsURL)
        defer { proxy.close() }
        var endpoint = server.endpoint
        endpoint.url = proxy.url
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let client = LLMClient(endpoint: endpoint, store: store)
        let same = request("Say yes.", maxTokens: 3)
        let answers = try await client.complete(batch: Array(repeating: same, count: 4))
        #expect(Set(answers.map(\.text)).count == 1)
        #expect(proxy.requestCount == 1)
        #expect(await client.usage.requestsNew == 1)
        #expect(await client.usage.requestsReplayed == 3)
    }

    @Test func offlineReplaysStoredAndRefusesMissing() async throws {
        let server = try await TestServer.smollm()
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stored = request("Say stored.", maxTokens: 3)
        let original = try await LLMClient(endpoint: server.endpoint, store: store).complete(stored)
        // Offline, pointing nowhere: stored requests replay, missing ones fail without a call.
        let nowhere = LLMEndpoint(url: URL(string: "http://127.0.0.1:9/v1")!, model: server.endpoint.model)
        let offline = LLMClient(endpoint: nowhere, store: store, offline: true)
        #expect(try await offline.complete(stored).text == original.text)
        let missing = request("Never asked.", maxTokens: 3)
        let key = offline.key(for: missing)
        await #expect(throws: LLMError.offlineMissing(key: key)) { try await offline.complete(missing) }
        #expect(
            LLMError.offlineMissing(key: key).message
                == "no stored response for request \(key.prefix(12)) (offline mode)")
        let usage = await offline.usage
        #expect(usage.requestsNew == 0 && usage.requestsReplayed == 1)
    }

    @Test func apiKeyIsSentButNeverStored() async throws {
        let server = try await TestServer.smollm()
        let proxy = try FaultServer(script: [], upstream: server.endpoint.chatCompletionsURL)
        defer { proxy.close() }
        let (store, folder) = try TestServer.freshStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = "sk-test-\(UUID().uuidString)"
        let endpoint = LLMEndpoint(url: proxy.url, model: server.endpoint.model, keyEnv: "SYNTHLAB_TEST_KEY")
        let client = LLMClient(endpoint: endpoint, store: store, environment: ["SYNTHLAB_TEST_KEY": secret])
        _ = try await client.complete(request("Say key.", maxTokens: 2))
        #expect(proxy.receivedAuthorizations == ["Bearer \(secret)"])
        let rows = try await store.all()
        #expect(rows.count == 1)
        #expect(!rows[0].requestJSON.contains(secret) && !rows[0].responseJSON.contains(secret))
        let database =
            try Data(contentsOf: folder.appendingPathComponent("llm.sqlite"))
            + ((try? Data(contentsOf: folder.appendingPathComponent("llm.sqlite-wal"))) ?? Data())
        #expect(database.range(of: Data(secret.utf8)) == nil)
        #expect(await !client.usage.endpoints.joined().contains(secret))
    }

    @Test func missingAPIKeyVariableIsNamedNeverItsValue() async throws {
        let endpoint = LLMEndpoint(
            url: URL(string: "http://127.0.0.1:9/v1")!, model: "gpt-x", keyEnv: "SYNTHLAB_TEST_MISSING_KEY")
        let client = LLMClient(endpoint: endpoint, store: nil, environment: [:])
        await #expect(
            throws: LLMError(
                .missingAPIKey, "environment variable SYNTHLAB_TEST_MISSING_KEY (key_env of endpoint gpt-x) is not set")
        ) { try await client.complete(request("x")) }
    }
}
