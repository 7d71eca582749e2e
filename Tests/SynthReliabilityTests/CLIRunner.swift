import Foundation
import SynthTestSupport

/// A throw-away project folder and the `synthlab` binary run in it as a child process.
struct ReliabilityProject {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let folder: URL

    init() throws { folder = try TestPaths.temporaryFolder() }

    /// A project in `folder` (created when missing), for layouts such as a notebook folder inside a work tree.
    init(folder: URL) {
        self.folder = folder
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("synthlab")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return TestPaths.root.appendingPathComponent(".build/debug/synthlab")
    }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    func write(_ name: String, _ text: String) throws { try write(name, Data(text.utf8)) }

    func write(_ name: String, _ data: Data) throws {
        let target = url(name)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
    }

    func read(_ name: String) throws -> String { try String(contentsOf: url(name), encoding: .utf8) }

    /// A small BEIR folder `name/` with `docs` documents and one judged query per 10 documents.
    func writeDataset(_ name: String = "data", docs: Int = 40) throws {
        var corpus = "", queries = "", qrels = "query-id\tcorpus-id\tscore\n"
        for i in 0..<docs {
            corpus += "{\"_id\": \"d\(i)\", \"title\": \"title \(i)\", \"text\": \"cell gene protein number \(i) word\(i % 7)\"}\n"
        }
        for q in 0..<max(1, docs / 10) {
            queries += "{\"_id\": \"q\(q)\", \"text\": \"protein word\(q % 7) number \(q * 10)\"}\n"
            qrels += "q\(q)\td\(q * 10)\t1\n"
        }
        try write("\(name)/corpus.jsonl", corpus)
        try write("\(name)/queries.jsonl", queries)
        try write("\(name)/qrels/test.tsv", qrels)
    }

    /// Starts `synthlab arguments…` in the project folder; stdout/stderr go to files read by ``finish(_:)``.
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["HOME"] = folder.path
        environment["SYNTHLAB_HOME"] = TestPaths.synthlabHome.path
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.currentDirectoryURL = folder
        FileManager.default.createFile(atPath: url(".stdout").path, contents: nil)
        FileManager.default.createFile(atPath: url(".stderr").path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: url(".stdout"))
        process.standardError = try FileHandle(forWritingTo: url(".stderr"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    func finish(_ process: Process) throws -> Result {
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: url(".stdout")), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: url(".stderr")), as: UTF8.self))
    }

    func synthlab(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try finish(try start(arguments, environment: environment))
    }

    /// Every regular file under `name` (recursively), as paths.
    func files(under name: String) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: url(name), includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0.path, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }
}
