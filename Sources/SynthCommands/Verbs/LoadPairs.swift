import Foundation
import SynthValues

/// `load sts`: scored sentence pairs (STS-B, SICK-R) for `similarity`.
package enum LoadPairsCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "load", subcommand: "sts",
        summary: "load scored sentence pairs (STS Benchmark, SICK-R) for semantic similarity evaluation",
        discussion: """
            `stsb` and `sickr` name the shared copies (`../shared/data/stsb/stsb.tsv`, `sickr/sickr.tsv`, or \
            `$SYNTHLAB_DATA/<name>/<name>.tsv`); `path` reads any file with the header \
            `sentence1<TAB>sentence2<TAB>score<TAB>split`, relative to the notebook. Fields: `name`, `split`, \
            `count`, `scores`, and `sentences`: the distinct first sentences in a fixed pseudo-random order (by \
            a hash of the text), so any prefix is a sample across the file's genres, e.g. anchors for \
            `synthesize ranked from=pairs.sentences anchors=20`.
            """,
        paper: "Cer et al. 2017, SemEval-2017 Task 1 (STS Benchmark); Marelli et al. 2014, SICK",
        keywords: [
            ArgSpec("name", .choice(["stsb", "sickr"]), default: .string("stsb"), doc: "which shared data set"),
            ArgSpec("path", .string, optional: true, doc: "a pair file instead of a named data set"),
            ArgSpec("split", .string, default: .string("test"), doc: "the split to keep"),
        ],
        result: "sentence_pairs",
        example: "pairs = load sts name=\"stsb\" split=\"test\"")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let split = call.string("split") ?? "test"
        let url: URL
        let name: String
        if let path = call.string("path") {
            url = try PathPolicy.readableURL(path, in: context, call: call)
            name = url.deletingPathExtension().lastPathComponent
        } else {
            name = call.string("name") ?? "stsb"
            guard let found = locate(name, context: context) else {
                throw call.error("cannot find the \(name) pair file", notes: ["give path=\"…/\(name).tsv\" or set SYNTHLAB_DATA to a folder holding \(name)/\(name).tsv"])
            }
            url = found
        }
        let pairs = try SentencePairs.read(url, name: name, split: split)
        return VerbOutcome(value: .object(pairs), filesRead: PathPolicy.hashes(of: [url]))
    }

    /// `$SYNTHLAB_DATA/<name>/<name>.tsv` or `$SYNTHLAB_HOME/data/…`, else `shared/data/<name>/<name>.tsv` beside a
    /// project above the notebook folder, the current folder or the executable.
    ///
    /// The current folder matters when the executable lives outside the project (a build folder given with
    /// `--scratch-path`, an installed binary) and the notebook folder is not inside it (a temporary project).
    static func locate(_ name: String, context: ExecutionContext) -> URL? {
        var folders: [URL] = []
        let environment = ProcessInfo.processInfo.environment
        if let data = environment["SYNTHLAB_DATA"], !data.isEmpty { folders.append(URL(fileURLWithPath: data)) }
        if let home = environment["SYNTHLAB_HOME"], !home.isEmpty {
            folders.append(URL(fileURLWithPath: home).appendingPathComponent("data"))
        }
        let starts = [
            context.projectFolder, URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            Bundle.main.executableURL?.deletingLastPathComponent(),
        ]
        for start in starts.compactMap({ $0 }) {
            var url = start.standardizedFileURL
            while url.path != "/" {
                if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                    folders.append(url.deletingLastPathComponent().appendingPathComponent("shared/data"))
                }
                url.deleteLastPathComponent()
            }
        }
        return folders.map { $0.appendingPathComponent("\(name)/\(name).tsv") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
