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
            repaired or retried up to `attempts` times. `speculative` turns on llama.cpp's draft-free \
            speculative decoding for the local server (see `llm local`).
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
            speculativeArgument,
        ],
        result: "teacher",
        example: "t = llm model=\"qwen\" attempts=3")

    /// `speculative=`: shared by `llm` and `llm local`.
    static let speculativeArgument = ArgSpec(
        "speculative", .choice(SpeculativeDecoding.names), default: .string(SpeculativeDecoding.standard.kind.rawValue),
        doc: "local server's draft-free speculative decoding (drafts from n-grams of the prompt and answer; "
            + "not part of stored request keys)")

    /// The `speculative` argument's setting.
    static func speculative(_ call: VerbCall) throws -> SpeculativeDecoding {
        let name = call.string("speculative") ?? SpeculativeDecoding.standard.kind.rawValue
        guard let setting = SpeculativeDecoding(parsing: name) else {
            throw call.error(
                "expected speculative to be one of \(SpeculativeDecoding.names.joined(separator: ", ")), found \"\(name)\"")
        }
        return setting
    }

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let model = call.string("model") ?? "qwen"
        let parallel = max(1, call.int("parallel") ?? 1)
        let concurrency = max(1, call.int("concurrency") ?? max(2, parallel))
        if let endpoint = call.string("endpoint") {
            return try remote(
                url: endpoint, model: model, keyEnv: call.string("key_env"), concurrency: concurrency,
                call: call, context: context)
        }
        return try local(
            model: model, parallel: parallel, contextSize: call.int("context") ?? 2048, threads: nil,
            speculative: try speculative(call), concurrency: concurrency, call: call, context: context)
    }

    /// A teacher on an OpenAI-compatible endpoint (shared by `llm endpoint=…` and `llm openai`).
    static func remote(
        url text: String, model: String, keyEnv: String?, concurrency: Int, timeout: Double = 300, call: VerbCall,
        context: ExecutionContext
    ) throws -> VerbOutcome {
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw call.error("expected an http(s) URL, found \"\(text)\"")
        }
        let store = try ResponseStore(path: context.stateFolder.appendingPathComponent("llm.sqlite"))
        let client = LLMClient(
            endpoint: LLMEndpoint(url: url, model: model, keyEnv: keyEnv, timeout: timeout, concurrency: concurrency),
            store: store, offline: context.offline)
        let teacher = TeacherObject(
            teacher: LLMTeacher(client: client), attempts: max(1, call.int("attempts") ?? 3),
            concurrency: concurrency, source: url.host ?? text)
        return VerbOutcome(value: .object(teacher))
    }

    /// A teacher on the embedded llama.cpp server (shared by `llm model=…` and `llm local`).
    ///
    /// Answers come from the store first and the server starts on the first miss (the client of
    /// `ReplayFirstTeacher`, built here so the speculative setting reaches the server). The outcome's
    /// LLM usage names the model with the server flags, so the report's provenance says how its
    /// answers were made.
    static func local(
        model: String, parallel: Int, contextSize: Int, threads: Int?, speculative: SpeculativeDecoding,
        concurrency: Int, call: VerbCall, context: ExecutionContext
    ) throws -> VerbOutcome {
        let store = try ResponseStore(path: context.stateFolder.appendingPathComponent("llm.sqlite"))
        // A path (anything with a `/`) is relative to the notebook folder; aliases and names are looked up.
        let modelPath = model.contains("/") ? try PathPolicy.readableURL(model, in: context, call: call).path : model
        let client = try LLMClient(
            localModel: modelPath, parallel: parallel, contextSize: contextSize, threads: threads,
            speculative: speculative, store: store, offline: context.offline)
        let teacher = LLMTeacher(client: client)
        var source = context.offline ? "stored answers only" : "local llama.cpp"
        if speculative.kind != .none { source += ", speculative \(speculative)" }
        var usage = LLMUsage()
        usage.endpoints = [
            LLMClient.localDescription(
                model: client.endpoint.model, parallel: parallel, contextSize: contextSize, threads: threads,
                speculative: speculative)
        ]
        return VerbOutcome(
            value: .object(
                TeacherObject(
                    teacher: teacher, attempts: max(1, call.int("attempts") ?? 3), concurrency: concurrency,
                    source: source)),
            llm: usage)
    }
}
