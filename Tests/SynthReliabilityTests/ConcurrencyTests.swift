import Foundation
import SynthStore
import SynthTestSupport
import Testing

/// Two processes sharing one project: the response store (SQLite, WAL, busy timeout) and the cell cache.
@Suite(.serialized) struct ConcurrencyTests {
    static let childVariable = "SYNTHLAB_RELIABILITY_WRITER"
    static let rowsPerWriter = 150

    /// In a child process (``childVariable`` = "path|prefix"), saves ``rowsPerWriter`` responses; otherwise does nothing.
    @Test func storeWriterChild() async throws {
        guard let spec = ProcessInfo.processInfo.environment[Self.childVariable] else { return }
        let parts = spec.split(separator: "|").map(String.init)
        let store = try ResponseStore(path: URL(fileURLWithPath: parts[0]))
        for row in 0..<Self.rowsPerWriter {
            // Every writer also saves the shared keys: each must end up stored once.
            for key in ["\(parts[1])-\(row)", "shared-\(row)"] {
                _ = try await store.save(
                    StoredResponse(
                        key: key, model: "m", requestJSON: "{\"n\": \(row)}", responseJSON: "{\"by\": \"\(parts[1])\"}",
                        promptTokens: row, completionTokens: 1, latency: 0.01))
            }
        }
    }

    @Test func twoProcessesWriteOneResponseStore() async throws {
        let folder = try TestPaths.temporaryFolder()
        let database = folder.appendingPathComponent(".synthlab/llm.sqlite")
        var children: [Process] = []
        for prefix in ["a", "b"] {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["--testing-library", "swift-testing", "--filter", "storeWriterChild"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.childVariable] = "\(database.path)|\(prefix)"
            child.environment = environment
            let log = folder.appendingPathComponent("\(prefix).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            child.standardOutput = try FileHandle(forWritingTo: log)
            child.standardError = child.standardOutput
            children.append(child)
        }
        for child in children { try child.run() }
        for child in children { child.waitUntilExit() }
        for (child, prefix) in zip(children, ["a", "b"]) {
            let log = String(decoding: try Data(contentsOf: folder.appendingPathComponent("\(prefix).log")), as: UTF8.self)
            #expect(child.terminationStatus == 0, "writer \(prefix) failed: \(log.suffix(2000))")
            #expect(!log.contains("database is locked"))
        }
        let store = try ResponseStore(path: database)
        let rows = try await store.all()
        #expect(rows.count == 3 * Self.rowsPerWriter)
        #expect(Set(rows.map(\.key)).count == rows.count)
        for row in 0..<Self.rowsPerWriter {
            #expect(try await store.response(forKey: "a-\(row)") != nil)
            #expect(try await store.response(forKey: "b-\(row)") != nil)
            #expect(try await store.response(forKey: "shared-\(row)") != nil)
        }
    }

    @Test func twoRunsOfOneProjectAtOnce() throws {
        let project = try ReliabilityProject()
        try project.writeDataset(docs: 100)
        try project.write("nb.md", FaultInjectionTests.notebook)
        try project.write("other.md", FaultInjectionTests.notebook)
        let first = try project.start(["run", "nb.md", "--quiet"])
        let other = Process()
        other.executableURL = ReliabilityProject.binary
        other.arguments = ["run", "other.md", "--quiet"]
        var environment = ProcessInfo.processInfo.environment
        environment["SYNTHLAB_HOME"] = TestPaths.synthlabHome.path
        environment["NO_COLOR"] = "1"
        other.environment = environment
        other.currentDirectoryURL = project.folder
        let otherErrors = Pipe()
        other.standardError = otherErrors
        other.standardOutput = FileHandle.nullDevice
        try other.run()
        let firstResult = try project.finish(first)
        let otherText = String(decoding: otherErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        other.waitUntilExit()
        #expect(firstResult.status == 0, "\(firstResult.stderr)")
        #expect(other.terminationStatus == 0, "\(otherText)")
        #expect(!firstResult.stderr.contains("locked") && !otherText.contains("locked"))
        #expect(FaultInjectionTests.isComplete(try project.read("reports/nb.html")))
        #expect(FaultInjectionTests.isComplete(try project.read("reports/other.html")))
    }
}
