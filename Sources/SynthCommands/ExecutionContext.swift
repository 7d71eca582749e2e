import Foundation
import SynthValues

/// Per-run settings and sinks that every verb sees, built by the notebook runner or the REPL.
///
/// Relative paths in a notebook resolve against ``projectFolder``; verbs write only under
/// ``projectFolder`` or ``outputFolder`` unless ``allowUnsafe`` is set.
package struct ExecutionContext: Sendable {
    /// The notebook folder; relative paths resolve here.
    package var projectFolder: URL
    /// Where reports and exports go (writes are allowed only under the project or this folder).
    package var outputFolder: URL
    /// `.synthlab/` under the project: caches, stores, blobs.
    package var stateFolder: URL
    /// Notebook params after `--param` overrides, read in the language as `params.name`.
    package var params: [String: Value]
    /// When set, LLM requests missing from the response store are errors instead of network calls.
    package var offline: Bool
    /// Allows writes outside the project and output folders.
    package var allowUnsafe: Bool
    /// Receives progress of long commands (count/total/label); the CLI renders it.
    package var progress: @Sendable (ProgressEvent) -> Void
    /// The run's name (the notebook's file name without extension, `repl` in the REPL); it namespaces
    /// trained models so that two notebooks in one folder never overwrite each other's checkpoints.
    package var runName: String

    /// Creates a context; by default output goes to `project/reports` and state to `project/.synthlab`.
    package init(
        projectFolder: URL, outputFolder: URL? = nil, stateFolder: URL? = nil, params: [String: Value] = [:],
        offline: Bool = false, allowUnsafe: Bool = false, runName: String = "repl",
        progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }
    ) {
        self.projectFolder = projectFolder.standardizedFileURL
        self.outputFolder = (outputFolder ?? projectFolder.appendingPathComponent("reports")).standardizedFileURL
        self.stateFolder = (stateFolder ?? projectFolder.appendingPathComponent(".synthlab")).standardizedFileURL
        self.params = params
        self.offline = offline
        self.allowUnsafe = allowUnsafe
        self.progress = progress
        self.runName = runName
    }

    /// The folder of a model trained under `name`: `.synthlab/models/<runName>/<name>`.
    package func modelFolder(named name: String) -> URL {
        stateFolder.appendingPathComponent("models").appendingPathComponent(runName).appendingPathComponent(name)
    }

    /// `url` relative to the project folder when it lies inside it (so outputs read the same on every
    /// machine and clone), otherwise its full path.
    package func displayPath(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let root = projectFolder.path.hasSuffix("/") ? projectFolder.path : projectFolder.path + "/"
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }
}

/// Progress of a long-running command: `count` of `total` items done, with a short label.
package struct ProgressEvent: Sendable, Equatable {
    package var label: String
    package var count: Int
    /// `nil` when the total is unknown.
    package var total: Int?

    package init(label: String, count: Int, total: Int? = nil) {
        self.label = label
        self.count = count
        self.total = total
    }
}
