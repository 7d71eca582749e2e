import Foundation
import SynthValues

/// `llm openai`: any OpenAI-compatible chat-completions server as teacher.
package enum LLMOpenAICommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "llm", subcommand: "openai",
        summary: "an OpenAI-compatible server (vLLM, Ollama, llama.cpp, OpenAI) as teacher",
        discussion: """
            Requests go to `url` + `/chat/completions` with `model`, at most `concurrency` at a time, retried \
            with exponential backoff and jitter on 429, 5xx, connection resets and timeouts (`timeout` seconds \
            per attempt). The API key is read from the environment variable named by `key_env` when a request \
            is sent; neither the key nor the URL enters the response store, the report or any log (store keys \
            hash the model name and the request), so answers replay on another machine. JSON-schema output \
            and log-probabilities are asked for where a step needs them. This is how synthesis scales onto a \
            cluster: point `url` at a vLLM server.
            """,
        keywords: [
            ArgSpec("url", .string, doc: "the API base URL, e.g. `http://gpu-node:8000/v1`"),
            ArgSpec("model", .string, doc: "the model name the server expects"),
            ArgSpec("key_env", .string, optional: true, doc: "environment variable holding the API key"),
            ArgSpec("concurrency", .int, default: .int(4), doc: "requests in flight at once"),
            ArgSpec("timeout", .number, default: .double(300), doc: "seconds per attempt before it is retried"),
            ArgSpec("attempts", .int, default: .int(3), doc: "tries per item when an answer is malformed"),
        ],
        result: "teacher",
        example: "t = llm openai url=\"http://localhost:8000/v1\" model=\"qwen2.5-7b\" key_env=\"OPENAI_API_KEY\"")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let url = call.string("url"), let model = call.string("model") else {
            throw call.error("expected url and model")
        }
        let timeout = call.double("timeout") ?? 300
        guard timeout >= 1 else { throw call.error("expected timeout ≥ 1, found \(formatNumber(timeout))") }
        let concurrency = call.int("concurrency") ?? 4
        guard concurrency >= 1 else { throw call.error("expected concurrency ≥ 1, found \(concurrency)") }
        return try LLMCommand.remote(
            url: url, model: model, keyEnv: call.string("key_env"), concurrency: concurrency, timeout: timeout,
            call: call, context: context)
    }
}
