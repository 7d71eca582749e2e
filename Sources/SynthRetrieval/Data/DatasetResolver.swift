import Foundation
import SynthValues

/// Turns a dataset argument (a folder path or a BEIR name such as `scifact`) into a BEIR folder.
///
/// A name is looked up, in order:
/// 1. in the data directory: `$SYNTHLAB_DATA`, else `$SYNTHLAB_HOME/data`, else `~/.cache/synthlab/data`;
/// 2. in `../shared/data/<name>` beside the project (the folder holding `Package.swift` above the
///    project folder or the running executable);
/// 3. by downloading `<base>/<name>.zip` from BEIR (`$SYNTHLAB_BEIR_URL` overrides the base), checking
///    its md5 against ``BEIRChecksums``, and extracting it atomically into the data directory.
///
/// ```swift
/// let folder = try await DatasetResolver().resolve("scifact")
/// ```
package struct DatasetResolver: Sendable {
    /// Where downloaded datasets live and are looked up first.
    package var dataDirectory: URL
    /// Folders searched after the data directory (`../shared/data` beside the project), in order.
    package var sharedDirectories: [URL]
    /// The folder URL that `<name>.zip` is appended to.
    package var baseURL: URL
    /// Published md5 sums by dataset name; names without one cannot be downloaded.
    package var checksums: [String: String]

    package init(
        dataDirectory: URL, sharedDirectories: [URL], baseURL: URL, checksums: [String: String] = BEIRChecksums.md5
    ) {
        self.dataDirectory = dataDirectory
        self.sharedDirectories = sharedDirectories
        self.baseURL = baseURL
        self.checksums = checksums
    }

    /// The resolver configured from the environment and the project around `projectFolder`.
    ///
    /// - Parameters:
    ///   - environment: Reads `SYNTHLAB_DATA`, `SYNTHLAB_HOME`, `SYNTHLAB_BEIR_URL`.
    ///   - projectFolder: Where to start looking for the project root (default: the current folder).
    package init(
        environment: [String: String] = ProcessInfo.processInfo.environment, projectFolder: URL? = nil
    ) {
        let data: URL
        if let explicit = environment["SYNTHLAB_DATA"], !explicit.isEmpty {
            data = URL(fileURLWithPath: explicit)
        } else if let home = environment["SYNTHLAB_HOME"], !home.isEmpty {
            data = URL(fileURLWithPath: home).appendingPathComponent("data")
        } else {
            data = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/synthlab/data")
        }
        let base = environment["SYNTHLAB_BEIR_URL"].flatMap { $0.isEmpty ? nil : URL(string: $0) }
            ?? URL(string: BEIRChecksums.officialBaseURL)!
        let starts = [
            projectFolder ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            Bundle.main.executableURL?.deletingLastPathComponent(),
        ].compactMap { $0 }
        var shared: [URL] = []
        for start in starts {
            if let root = Self.projectRoot(above: start) {
                let candidate = root.deletingLastPathComponent().appendingPathComponent("shared/data")
                if !shared.contains(candidate) { shared.append(candidate) }
            }
        }
        self.init(dataDirectory: data, sharedDirectories: shared, baseURL: base)
    }

    /// Resolves `argument` with the resolver configured from the environment and the current folder.
    package static func resolve(_ argument: String) async throws(DatasetError) -> URL {
        try await DatasetResolver().resolve(argument)
    }

    /// Loads `argument` with the resolver configured from the environment and the current folder.
    package static func load(_ argument: String, splits: [String]? = nil) async throws(DatasetError) -> BEIRDataset {
        try await DatasetResolver().load(argument, splits: splits)
    }

    /// Whether `argument` names a folder rather than a dataset (it contains a `/` or exists on disk).
    package static func isPath(_ argument: String) -> Bool {
        argument.contains("/") || argument == "." || argument == ".."
    }

    /// The BEIR folder for `argument`, downloading the dataset when it is a known name found nowhere locally.
    ///
    /// - Throws: ``DatasetError`` when the folder is missing, the name unknown, or the download fails.
    package func resolve(_ argument: String) async throws(DatasetError) -> URL {
        if let local = try resolveLocally(argument) { return local }
        return try await BEIRDownloader(resolver: self).download(argument)
    }

    /// Resolves and loads in one step.
    package func load(_ argument: String, splits: [String]? = nil) async throws(DatasetError) -> BEIRDataset {
        let folder = try await resolve(argument)
        let name = Self.isPath(argument) ? folder.lastPathComponent : argument
        return try BEIRLoader.load(folder, name: name, splits: splits)
    }

    /// The folder for `argument` when it is a path or a name present locally; `nil` when it must be downloaded.
    ///
    /// - Throws: ``DatasetError`` for a path that is not a folder, or a name that cannot be downloaded.
    package func resolveLocally(_ argument: String) throws(DatasetError) -> URL? {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        if Self.isPath(argument) || fileManager.fileExists(atPath: argument, isDirectory: &isFolder) {
            let url = URL(fileURLWithPath: argument)
            guard fileManager.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw DatasetError.missingFile(path: argument, expected: "a BEIR dataset folder")
            }
            return url
        }
        for folder in [dataDirectory] + sharedDirectories {
            let candidate = folder.appendingPathComponent(argument)
            if fileManager.fileExists(atPath: candidate.path, isDirectory: &isFolder), isFolder.boolValue {
                return candidate
            }
        }
        guard checksums[argument] != nil else {
            throw DatasetError.unknownDataset(
                name: argument, searched: ([dataDirectory] + sharedDirectories).map(\.path),
                suggestion: nearestName(to: argument, in: checksums.keys.sorted()))
        }
        return nil
    }

    /// The nearest ancestor of `start` (itself included) that holds `Package.swift`.
    static func projectRoot(above start: URL) -> URL? {
        var url = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }
}
