import Foundation
import SynthValues

/// Gathers what a report needs to be reproduced: tool version, git state, hashes, params, seeds, machine.
package enum ProvenanceCollector {
    /// Provenance for a run of `notebook` (start time and duration are filled in by the runner).
    package static func collect(
        notebook: Notebook, params: ResolvedParams, command: String, projectFolder: URL, filesRead: [String: String]
    ) -> Provenance {
        var provenance = Provenance()
        provenance.toolVersion = ToolVersion.current
        provenance.notebookHash = notebook.hash
        provenance.command = command
        provenance.machine = machine()
        if let commit = git(["rev-parse", "HEAD"], in: projectFolder) {
            provenance.gitCommit = commit
            provenance.gitDirty = git(["status", "--porcelain", "--untracked-files=no"], in: projectFolder)
                .map { !$0.isEmpty }
        }
        let root = projectFolder.standardizedFileURL.path + "/"
        for (path, hash) in filesRead {
            provenance.inputs[path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path] = hash
        }
        for entry in params.values where entry.spec.name.lowercased().contains("seed") {
            if case .int(let seed) = entry.value { provenance.seeds[entry.spec.name] = seed }
        }
        return provenance
    }

    /// `host: OS release, architecture, CPU count`.
    package static func machine() -> String {
        var info = utsname()
        uname(&info)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return "\(field(info.nodename)): \(field(info.sysname)) \(field(info.release)) \(field(info.machine)), \(cores) cores"
    }

    /// Runs git in `folder`; `nil` when git is missing or the folder is not in a repository.
    private static func git(_ arguments: [String], in folder: URL) -> String? {
        let candidates = ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"]
        guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-C", folder.path] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
