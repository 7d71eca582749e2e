import Foundation
import SynthRetrieval
import SynthValues

/// Resolves the paths verbs read and write, and keeps both inside known folders.
///
/// Relative paths resolve against the project folder (the notebook's folder). A notebook may come from
/// someone else, so what it can touch is decided by the person running it, not by the notebook:
/// - a **write** is allowed only when the resolved path (after `..` and symbolic links) lies under the
///   project folder or the output folder;
/// - a **read** of a path (`load "<folder>"`, model folders, GGUF files) is allowed under the project's
///   work tree (the nearest enclosing folder with `.git`, else the project folder), the output folder,
///   the data folders named datasets resolve from (`$SYNTHLAB_DATA` or `$SYNTHLAB_HOME/data`, and
///   `../shared/data` beside the project) and `$SYNTHLAB_HOME` (models).
///
/// Anything else, including `../../etc` traversal and absolute paths elsewhere, is refused with a clear
/// error unless ``ExecutionContext/allowUnsafe`` is set (`--allow-unsafe`). Named datasets (`load
/// scifact`) are not paths and are unaffected; point `$SYNTHLAB_DATA` at a folder of BEIR datasets to
/// load them by name.
package enum PathPolicy {
    /// The absolute URL of `path`, relative to the project folder unless absolute (`~` expands).
    package static func resolve(_ path: String, in context: ExecutionContext) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return context.projectFolder.appendingPathComponent(expanded).standardizedFileURL
    }

    /// The URL to write `path` to, or a diagnostic when it leaves the project and output folders.
    package static func writableURL(_ path: String, in context: ExecutionContext, call: VerbCall) throws -> URL {
        let url = resolve(path, in: context)
        if context.allowUnsafe { return url }
        let real = realPath(url)
        for root in [context.projectFolder, context.outputFolder] where isInside(real, realPath(root)) {
            return url
        }
        throw call.error(
            "expected a path inside the project or output folder, found \"\(path)\"",
            notes: ["writes outside the project need --allow-unsafe"])
    }

    /// The URL to read `path` from, or a diagnostic when it lies outside every readable folder.
    ///
    /// - Parameters:
    ///   - path: the path as written in the notebook (relative to the project folder, absolute, or `~/…`).
    ///   - environment: reads `SYNTHLAB_DATA` and `SYNTHLAB_HOME` for the data and model folders.
    package static func readableURL(
        _ path: String, in context: ExecutionContext, call: VerbCall,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> URL {
        let url = resolve(path, in: context)
        if context.allowUnsafe { return url }
        let real = realPath(url)
        for root in readableRoots(for: context, environment: environment) where isInside(real, realPath(root)) {
            return url
        }
        throw call.error(
            "expected a path inside the project or a data folder, found \"\(path)\"",
            notes: [
                "reads are limited to the project's work tree, the output folder, $SYNTHLAB_DATA and $SYNTHLAB_HOME",
                "load a dataset by name from $SYNTHLAB_DATA, or pass --allow-unsafe to read anywhere",
            ])
    }

    /// The folders a notebook may read paths under (see the type's discussion).
    package static func readableRoots(
        for context: ExecutionContext, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [URL] {
        let resolver = DatasetResolver(environment: environment, projectFolder: context.projectFolder)
        let home = environment["SYNTHLAB_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/synthlab")
        return [workTree(containing: context.projectFolder), context.outputFolder, resolver.dataDirectory]
            + resolver.sharedDirectories + [home]
    }

    /// The nearest ancestor of `folder` (itself included) holding `.git`, else `folder` itself.
    static func workTree(containing folder: URL) -> URL {
        var url = folder.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) { return url }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return folder.standardizedFileURL }
            url = parent
        }
    }

    /// Whether the real path `path` is `root` or lies below it.
    private static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// The path with symbolic links resolved for the longest existing prefix.
    private static func realPath(_ url: URL) -> String {
        var existing = url.standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var resolved = existing.resolvingSymlinksInPath()
        for part in rest { resolved.appendPathComponent(part) }
        return resolved.standardizedFileURL.path
    }

    /// SHA-256 hashes of the given files that exist and are regular files, keyed by path.
    package static func hashes(of urls: [URL]) -> [String: String] {
        var result: [String: String] = [:]
        for url in urls {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue,
                let hash = try? SHA256.hash(fileAt: url).hex
            else { continue }
            result[url.path] = hash
        }
        return result
    }
}
