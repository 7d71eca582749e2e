import Foundation
import SynthLLM
import SynthStore
import SynthValues

/// A teacher that answers from the response store when it can and starts the local server only on
/// the first miss.
///
/// Re-running a notebook whose LLM answers are all stored then needs no llama-server at all (and
/// runs with `--offline` never start one). Store keys depend on the model name and the request, not
/// on the server's URL or port, so answers saved by one server replay for another.
///
/// ```swift
/// let teacher = try ReplayFirstTeacher(localModel: "qwen", parallel: 1, store: store, offline: false)
/// ```
package struct ReplayFirstTeacher: Teacher {
    package let model: String
    private let replay: LLMTeacher
    private let live: LiveClient
    private let offline: Bool

    /// - Parameters:
    ///   - localModel: an alias (`qwen`, `smollm2`), a file name in `$SYNTHLAB_HOME/models`, or a path.
    ///   - parallel: server slots (the most requests decoded together).
    /// - Throws: ``LLMError`` when the model file does not exist.
    package init(localModel: String, parallel: Int = 1, contextSize: Int = 2048, store: ResponseStore?, offline: Bool)
        throws
    {
        let resolved = try LocalModel(localModel)
        model = resolved.name
        self.offline = offline
        let placeholder = LLMEndpoint(url: URL(string: "http://127.0.0.1:9/v1")!, model: resolved.name)
        replay = LLMTeacher(client: LLMClient(endpoint: placeholder, store: store, offline: true, jitterSeed: 0))
        live = LiveClient(model: localModel, parallel: parallel, contextSize: contextSize, store: store)
    }

    package func complete(_ request: TeacherRequest) async throws -> TeacherReply {
        do {
            return try await replay.complete(request)
        } catch let error as LLMError where error.kind == .offlineMissing && !offline {
            let client = try await live.client()
            return try await LLMTeacher(client: client).complete(request)
        }
    }

    /// The server-backed client, created on first use.
    private actor LiveClient {
        let model: String
        let parallel: Int
        let contextSize: Int
        let store: ResponseStore?
        var cached: LLMClient?

        init(model: String, parallel: Int, contextSize: Int, store: ResponseStore?) {
            self.model = model
            self.parallel = parallel
            self.contextSize = contextSize
            self.store = store
        }

        func client() async throws -> LLMClient {
            if let cached { return cached }
            let server = try await LocalLLMServerRegistry.shared.server(
                model: model, parallel: parallel, contextSize: contextSize)
            let client = LLMClient(endpoint: server.endpoint, store: store)
            cached = client
            return client
        }
    }
}
