import Foundation

/// Locations tests need: the project root, the shared data folder, the per-user cache.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared/data` beside the project, where SciFact, STS-B and SICK-R live on this machine.
    public static let sharedData = root.deletingLastPathComponent().appendingPathComponent("shared/data")

    /// The per-user cache (`$SYNTHLAB_HOME`, default `~/.cache/synthlab`) that setup fills.
    public static let synthlabHome: URL = {
        if let home = ProcessInfo.processInfo.environment["SYNTHLAB_HOME"] { return URL(fileURLWithPath: home) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/synthlab")
    }()

    /// The Python interpreter of setup's venv (pytrec_eval, bm25s, numpy for reference checks).
    public static let python = synthlabHome.appendingPathComponent("venv/bin/python")

    /// A fresh temporary folder, removed by the caller.
    public static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("synthlab-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
