import Foundation
import SynthValues

/// Resolves the paths verbs read and write, and keeps writes inside the project.
///
/// Relative paths resolve against the project folder. A write is allowed only when the resolved
/// path (after `..` and symbolic links) lies under the project folder or the output folder, unless
/// ``ExecutionContext/allowUnsafe`` is set.
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
        for root in [context.projectFolder, context.outputFolder] {
            let rootPath = realPath(root)
            if real == rootPath || real.hasPrefix(rootPath.hasSuffix("/") ? rootPath : rootPath + "/") { return url }
        }
        throw call.error(
            "expected a path inside the project or output folder, found \"\(path)\"",
            notes: ["writes outside the project need --allow-unsafe"])
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
