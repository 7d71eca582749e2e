import Foundation

/// Finds the `stdlib/` folder of DSL files that `import` searches after the notebook's own folder.
package enum StdlibLocator {
    /// `$SYNTHLAB_STDLIB`, else a `stdlib` folder beside a `Package.swift` above the executable or the
    /// current folder (a source checkout), else `nil`.
    package static func find(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL = URL(fileURLWithPath: CommandLine.arguments.first ?? ".")
    ) -> URL? {
        if let path = environment["SYNTHLAB_STDLIB"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let starts = [executable.resolvingSymlinksInPath().deletingLastPathComponent(),
                      URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        for start in starts {
            var folder = start.standardizedFileURL
            for _ in 0..<6 {
                let candidate = folder.appendingPathComponent("stdlib")
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
                   FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), isFolder.boolValue
                {
                    return candidate
                }
                if folder.path == "/" { break }
                folder.deleteLastPathComponent()
            }
        }
        return nil
    }
}
