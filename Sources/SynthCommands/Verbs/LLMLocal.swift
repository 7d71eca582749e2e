import Foundation
import SynthValues

/// `llm local`: the embedded llama.cpp server as teacher.
package enum LLMLocalCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "llm", subcommand: "local",
        summary: "the embedded llama.cpp server with a local GGUF model as teacher (default Qwen2.5-Coder-0.5B)",
        discussion: """
            Starts llama.cpp's `llama-server` (installed by `scripts/setup`) on 127.0.0.1 at a free port on the \
            first request that is not in the response store, waits for its health check, shares it with every \
            cell of the run and always stops it: at the end of the run, on an error, on Ctrl-C, and — through a \
            watchdog — even when synthlab is killed. A server that dies mid-run is restarted; answers already \
            received are kept. `model` is an alias (`qwen`: Qwen2.5-Coder-0.5B-Instruct Q4_K_M; `smollm2`: \
            SmolLM2-135M-Instruct, four times faster but only good for plumbing tests), a file in \
            `$SYNTHLAB_HOME/models`, or a path to any GGUF (relative to the notebook folder). Every request and \
            answer is kept in `.synthlab/llm.sqlite`, so re-runs replay them and `--offline` runs never start \
            the server. `speculative` turns on llama.cpp's draft-free speculative decoding: the server drafts \
            a few tokens by finding the last generated tokens earlier in the prompt or answer and checks them \
            in one batch; a drafted token is kept only where the model's own sampler picks it, so answers \
            keep their distribution (greedy answers stay the same) and the setting is not part of the stored \
            request keys. The server flags are listed with the model under the report's LLM endpoints.
            """,
        keywords: [
            ArgSpec("model", .string, default: .string("qwen"), doc: "an alias (`qwen`, `smollm2`), a model file or a path"),
            ArgSpec(
                "parallel", .int, default: .int(1),
                doc: "server slots decoded together (on 2 cores they add no throughput, BENCHMARKS.md)"),
            ArgSpec("context", .int, default: .int(2048), doc: "context size in tokens per slot"),
            ArgSpec("threads", .int, optional: true, doc: "server CPU threads (default: one less than the cores)"),
            ArgSpec(
                "concurrency", .int, optional: true, doc: "requests in flight at once (default: `parallel`, at least 2)"),
            ArgSpec("attempts", .int, default: .int(3), doc: "tries per item when an answer is malformed"),
            LLMCommand.speculativeArgument,
        ],
        result: "teacher",
        example: "t = llm local model=\"smollm2\" parallel=2")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let parallel = max(1, call.int("parallel") ?? 1)
        let threads = call.int("threads")
        if let threads, threads < 1 { throw call.error("expected threads ≥ 1, found \(threads)") }
        return try LLMCommand.local(
            model: call.string("model") ?? "qwen", parallel: parallel, contextSize: max(256, call.int("context") ?? 2048),
            threads: threads, speculative: try LLMCommand.speculative(call), concurrency: max(1, call.int("concurrency") ?? max(2, parallel)), call: call,
            context: context)
    }
}
