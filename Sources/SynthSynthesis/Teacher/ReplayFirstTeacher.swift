import Foundation
import SynthLLM
import SynthStore
import SynthValues

/// A teacher on the embedded llama.cpp server that answers from the response store when it can and
/// starts the server only on the first miss.
///
/// Re-running a notebook whose LLM answers are all stored then needs no llama-server at all (and
/// runs with `--offline` never start one). Store keys depend on the model name and the request, not
/// on the server's URL or port, so answers saved by one server replay for another. The client is
/// ``LLMClient/init(localModel:parallel:contextSize:threads:registry:store:offline:retryPolicy:jitterSeed:)``:
/// one server per configuration for the whole run (``LocalLLMServerRegistry/shared``), restarted if it
/// dies mid-run, with every answer already received kept in the store.
///
/// ```swift
/// let teacher = try ReplayFirstTeacher(localModel: "qwen", parallel: 1, store: store, offline: false)
/// ```
package struct ReplayFirstTeacher: Teacher {
    package let model: String
    private let client: LLMClient

    /// - Parameters:
    ///   - localModel: an alias (`qwen`, `smollm2`), a file name in `$SYNTHLAB_HOME/models`, or a path.
    ///   - parallel: server slots (the most requests decoded together).
    ///   - threads: server CPU threads (default: one less than the cores).
    /// - Throws: ``LLMError`` when the model file does not exist.
    package init(
        localModel: String, parallel: Int = 1, contextSize: Int = 2048, threads: Int? = nil, store: ResponseStore?,
        offline: Bool
    ) throws {
        client = try LLMClient(
            localModel: localModel, parallel: parallel, contextSize: contextSize, threads: threads, store: store,
            offline: offline)
        model = client.endpoint.model
    }

    package func complete(_ request: TeacherRequest) async throws -> TeacherReply {
        try await LLMTeacher(client: client).complete(request)
    }
}
