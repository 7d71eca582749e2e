import Foundation
import Testing

@testable import SynthLLM

@Suite("Request keys and response parsing (no network)")
struct WireFormatTests {
    private let base = ChatRequest(messages: [.system("s"), .user("hello")], temperature: 0.7, seed: 1, maxTokens: 8)

    @Test func canonicalBodyIsSortedAndOmitsUnsetFields() {
        let prepared = PreparedRequest(model: "m", request: base)
        #expect(
            prepared.bodyText
                == #"{"max_tokens":8,"messages":[{"content":"s","role":"system"},{"content":"hello","role":"user"}],"model":"m","seed":1,"temperature":0.7}"#
        )
        #expect(prepared.key.count == 64)
    }

    @Test func keyIgnoresURLAndAPIKey() {
        let local = LLMClient(
            endpoint: LLMEndpoint(url: URL(string: "http://127.0.0.1:9/v1")!, model: "m"), store: nil)
        let remote = LLMClient(
            endpoint: LLMEndpoint(url: URL(string: "https://example.org/v1")!, model: "m", keyEnv: "SECRET"),
            store: nil)
        #expect(local.key(for: base) == remote.key(for: base))
    }

    @Test func keyChangesWithEverythingThatShapesTheAnswer() {
        var variants: [ChatRequest] = []
        var request = base
        request.seed = 2
        variants.append(request)
        request = base
        request.temperature = 0.8
        variants.append(request)
        request = base
        request.topP = 0.9
        variants.append(request)
        request = base
        request.stop = ["\n"]
        variants.append(request)
        request = base
        request.responseFormat = .jsonObject
        variants.append(request)
        request = base
        request.responseFormat = .jsonSchema(name: "x", schema: ["type": "object"])
        variants.append(request)
        request = base
        request.grammar = #"root ::= "a""#
        variants.append(request)
        request = base
        request.logprobs = true
        variants.append(request)
        request = base
        request.logprobs = true
        request.topLogprobs = 3
        variants.append(request)
        request = base
        request.messages[1] = .user("hello!")
        variants.append(request)
        let keys = Set(([base] + variants).map { PreparedRequest(model: "m", request: $0).key })
        #expect(keys.count == variants.count + 1)
        #expect(PreparedRequest(model: "m", request: base).key != PreparedRequest(model: "m2", request: base).key)
    }

    @Test func schemaKeyOrderDoesNotMatter() {
        var first = base
        first.responseFormat = .jsonSchema(name: "x", schema: ["type": "object", "required": ["a"]])
        var second = base
        second.responseFormat = .jsonSchema(name: "x", schema: ["required": ["a"], "type": "object"])
        #expect(PreparedRequest(model: "m", request: first).key == PreparedRequest(model: "m", request: second).key)
        #expect(
            PreparedRequest(model: "m", request: first).bodyText.contains(
                #""response_format":{"json_schema":{"name":"x","schema":{"required":["a"],"type":"object"}},"type":"json_schema"}"#
            ))
    }

    @Test func nSamplesUseConsecutiveSeeds() {
        var request = base
        request.n = 3
        request.seed = 10
        #expect(request.samples.map(\.seed) == [10, 11, 12])
        #expect(request.samples.allSatisfy { $0.n == 1 })
        request.seed = nil
        #expect(request.samples.map(\.seed) == [0, 1, 2])
        #expect(base.samples == [base])
    }

    @Test func parsesTextUsageLogprobsAndTimings() throws {
        let body = #"""
            {"choices":[{"finish_reason":"length","index":0,"message":{"role":"assistant","content":"Hi"},
            "logprobs":{"content":[{"id":1,"token":"Hi","bytes":[72,105],"logprob":-0.5,
            "top_logprobs":[{"id":1,"token":"Hi","logprob":-0.5},{"id":2,"token":"Hello","logprob":-1.5}]}]}}],
            "usage":{"completion_tokens":1,"prompt_tokens":30,"total_tokens":31},
            "timings":{"prompt_n":30,"prompt_ms":12.5,"predicted_n":1,"predicted_ms":4.0}}
            """#
        let response = try WireResponse.parse(Data(body.utf8), key: "k", replayed: false, latency: 0.1)
        #expect(response.text == "Hi")
        #expect(response.finishReason == "length")
        #expect(response.usage == TokenUsage(promptTokens: 30, completionTokens: 1))
        #expect(
            response.logprobs == [
                TokenLogprob(
                    token: "Hi", logprob: -0.5,
                    top: [.init(token: "Hi", logprob: -0.5), .init(token: "Hello", logprob: -1.5)])
            ])
        #expect(
            response.serverTimings
                == ServerTimings(
                    promptTokens: 30, promptMilliseconds: 12.5, predictedTokens: 1, predictedMilliseconds: 4))
    }

    @Test func truncatedBodyIsAMalformedResponse() {
        #expect(throws: WireError.self) {
            try WireResponse.parse(Data(#"{"choices":[{"mess"#.utf8), key: "k", replayed: false, latency: 0)
        }
        do {
            _ = try WireResponse.parse(Data(#"{"choices":[]}"#.utf8), key: "k", replayed: false, latency: 0)
        } catch {
            #expect(error.message == "expected at least one choice in the response, found none")
        }
    }

    @Test func endpointDecodesKeyEnvAndBuildsTheURL() throws {
        let json = #"{"url":"https://api.example.org/v1/","model":"gpt","key_env":"EXAMPLE_KEY"}"#
        let endpoint = try JSONDecoder().decode(LLMEndpoint.self, from: Data(json.utf8))
        #expect(endpoint.keyEnv == "EXAMPLE_KEY")
        #expect(endpoint.concurrency == 4)
        #expect(endpoint.chatCompletionsURL.absoluteString == "https://api.example.org/v1/chat/completions")
    }
}
