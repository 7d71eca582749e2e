import Foundation
import SynthValues

/// A GGUF model for ``LocalLLMServer``, found by alias, file name or path.
///
/// Aliases: `qwen` (the default teacher, Qwen2.5-Coder-0.5B-Instruct Q4_K_M) and `smollm2`
/// (SmolLM2-135M-Instruct Q4_1, fast, used by tests). Other names are looked up in
/// `$SYNTHLAB_HOME/models/` (with or without `.gguf`); anything with a `/` is a path.
package struct LocalModel: Sendable, Hashable {
    /// The model file.
    package var path: URL
    /// The name requests carry (the file name without `.gguf`); part of every store key.
    package var name: String

    /// The default teacher's alias.
    package static let defaultAlias = "qwen"
    /// Aliases and the files they name.
    package static let aliases: [String: String] = [
        "qwen": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        "smollm2": "smollm2-135m-instruct-q4_1.gguf",
    ]

    /// Resolves `name` against `home` (default `$SYNTHLAB_HOME`, else `~/.cache/synthlab`).
    ///
    /// - Throws: ``LLMError`` naming the missing file and the available models.
    package init(_ name: String = LocalModel.defaultAlias, home: URL = LocalModel.synthlabHome()) throws(LLMError) {
        let models = home.appendingPathComponent("models")
        let file: URL
        if let alias = Self.aliases[name] {
            file = models.appendingPathComponent(alias)
        } else if name.contains("/") {
            file = URL(fileURLWithPath: name)
        } else {
            file = models.appendingPathComponent(name.hasSuffix(".gguf") ? name : name + ".gguf")
        }
        guard FileManager.default.fileExists(atPath: file.path) else {
            let available = ((try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? [])
                .filter { $0.hasSuffix(".gguf") }.sorted()
            var message = "model `\(name)` not found at \(file.path); run scripts/setup to install the local models"
            if let hint = nearestName(to: name, in: Array(Self.aliases.keys) + available) {
                message += " (did you mean `\(hint)`?)"
            }
            throw LLMError(.server, message)
        }
        path = file
        self.name = file.deletingPathExtension().lastPathComponent
    }

    /// `$SYNTHLAB_HOME`, or `~/.cache/synthlab`.
    package static func synthlabHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["SYNTHLAB_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/synthlab")
    }

    /// The llama-server binary: `$SYNTHLAB_LLAMA_SERVER`, else `$SYNTHLAB_HOME/bin/llama-server`.
    ///
    /// - Throws: ``LLMError`` when it is missing (with the setup hint).
    package static func serverBinary(
        home: URL = synthlabHome(), environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LLMError) -> URL {
        let binary =
            environment["SYNTHLAB_LLAMA_SERVER"].map { URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent("bin/llama-server")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw LLMError(.server, "llama-server not found at \(binary.path); run scripts/setup to build it")
        }
        return binary
    }
}
