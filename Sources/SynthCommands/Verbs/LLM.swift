import Foundation
import SynthLLM
import SynthStore
import SynthSynthesis
import SynthValues

/// `llm`: a teacher model for `synthesize`, `critique` and `distill`.
package enum LLMCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "llm",
        summary:
            "set up a teacher LLM: the embedded llama.cpp server with a local model, or an OpenAI-compatible endpoint",
        discussion: """
            Every request and answer is stored in `.synthlab/llm.sqlite` under a key of the model and the \
            request, so re-runs replay stored answers; the local server starts only on the first request that \
            is not stored, and with `--offline` a missing answer is an error. `model` is an alias (`qwen`, \
            `smollm2`), a file in `$SYNTHLAB_HOME/models`, or a path; with `endpoint` it is the remote model \
            name and `key_env` names the environment variable holding the API key. Malformed answers are \
            repaired or retried up to `attempts` times.
            """,
        keywords: [
            ArgSpec(
                "model", .string, default: .string("qwen"), doc: "local model alias, file or path; or the remote model"),
            ArgSpec(
                "endpoint", .string, optional: true,
                doc: "an OpenAI-compatible base URL (`…/v1`) instead of the local server"),
            ArgSpec("key_env", .string, optional: true, doc: "environment variable holding the endpoint's API key"),
            ArgSpec(
                "parallel", .int, default: .int(1),
                doc: "local server slots (decoded together; on 2 cores they add no throughput, BENCHMARKS.md)"),
            ArgSpec("context", .int, default: .int(2048), doc: "local server context size in tokens per slot"),
            ArgSpec(
                "concurrency", .int, optional: true,
                doc: "requests in flight at once (default: `parallel`, at least 2)"),
            ArgSpec("attempts", .int, default: .int(3), doc: "tries per item when an answer is malformed"),
        ],
        result: "teacher",
        example: "t = llm model=\"qwen\" attempts=3")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let model = call.string("model") ?? "qwen"
        let store = try ResponseStore(path: context.stateFolder.appendingPathComponent("llm.sqlite"))
        let attempts = max(1, call.int("attempts") ?? 3)
        let parallel = max(1, call.int("parallel") ?? 1)
        let concurrency = max(1, call.int("concurrency") ?? max(2, parallel))
        let teacher: any Teacher
        let source: String
        if let endpoint = call.string("endpoint") {
            guard let url = URL(string: endpoint), url.scheme == "http" || url.scheme == "https" else {
                throw call.error("expected an http(s) URL for endpoint, found \"\(endpoint)\"")
            }
            let client = LLMClient(
                endpoint: LLMEndpoint(url: url, model: model, keyEnv: call.string("key_env"), concurrency: concurrency),
                store: store, offline: context.offline)
            teacher = LLMTeacher(client: client)
            source = url.host ?? endpoint
        } else {
            teacher = try ReplayFirstTeacher(
                localModel: model, parallel: parallel,
                contextSize: call.int("context") ?? 2048,
                store: store, offline: context.offline)
            source = context.offline ? "stored answers only" : "local llama.cpp"
        }
        return VerbOutcome(
            value: .object(
                TeacherObject(teacher: teacher, attempts: attempts, concurrency: concurrency, source: source)))
    }
}
