import Foundation
import SynthReport
import SynthTestSupport
import SynthValues
import Testing

/// Crashes, full or read-only disks and missing binaries: the tool loses nothing it saved and says what broke.
@Suite(.serialized) struct FaultInjectionTests {
    static let notebook = """
        ---
        title: Faults
        params:
          n: 0
        ---

        ```synth
        #| label: data
        data = load "data" split="test"
        index = bm25 data
        run = search index on=data top_k=10
        res = evaluate run on=data measures=["ndcg_cut.10", "recall.10"]
        table res
        print "run number" params.n
        plot line y={train: [0.9, 0.6, 0.4]} title="loss"
        ```
        """

    /// A complete report ends with the closing html tag; a torn one would not.
    static func isComplete(_ html: String) -> Bool {
        html.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("</html>")
    }

    @Test func killedRunNeverLeavesATornReport() throws {
        let project = try ReliabilityProject()
        try project.writeDataset(docs: 300)
        try project.write("nb.md", Self.notebook)
        let first = try project.synthlab(["run", "nb.md", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        var previous = try project.read("reports/nb.html")
        #expect(Self.isComplete(previous))
        // A run takes ~0.25 s in a debug build: kills every 20 ms sweep loading, indexing, rendering and writing.
        for attempt in 1...15 {
            let process = try project.start(["run", "nb.md", "--quiet", "--no-cache", "--param", "n=\(attempt)"])
            usleep(UInt32(attempt) * 20_000)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let html = try project.read("reports/nb.html")
            #expect(Self.isComplete(html), "torn report after kill \(attempt)")
            #expect(html == previous || html.contains("run number"), "neither the old nor a new report")
            let json = try Data(contentsOf: project.url("reports/nb.json"))
            #expect((try? JSONSerialization.jsonObject(with: json)) != nil, "torn JSON sidecar after kill \(attempt)")
            previous = html
        }
    }

    static let writerVariable = "SYNTHLAB_RELIABILITY_ATOMIC_WRITER"

    /// In a child process (``writerVariable`` = path), rewrites the file forever with 8 MB of one repeated letter.
    @Test func atomicWriterChild() throws {
        guard let path = ProcessInfo.processInfo.environment[Self.writerVariable] else { return }
        var letter: UInt8 = 65
        while true {
            try AtomicFile.write(Data(repeating: letter, count: 8 << 20), to: URL(fileURLWithPath: path))
            letter = letter == 90 ? 65 : letter + 1
        }
    }

    @Test func sigkillDuringAtomicWriteLeavesOldOrNewFile() throws {
        let folder = try TestPaths.temporaryFolder()
        let file = folder.appendingPathComponent("report.html")
        try AtomicFile.write(Data(repeating: 64, count: 8 << 20), to: file)
        var rng = SplitMix64(seed: 3)
        var letters: Set<UInt8> = []
        for attempt in 0..<8 {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["--testing-library", "swift-testing", "--filter", "atomicWriterChild"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.writerVariable] = file.path
            child.environment = environment
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            usleep(UInt32.random(in: 100_000...600_000, using: &rng))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            let data = try Data(contentsOf: file)
            #expect(data.count == 8 << 20, "torn file (\(data.count) bytes) after kill \(attempt)")
            if let first = data.first {
                #expect(!data.contains { $0 != first }, "mixed content after kill \(attempt)")
                letters.insert(first)
            }
        }
        #expect(letters.count > 1, "the child never replaced the file: the kills did not land during writes")
    }

    @Test func atomicWriteUnderAFileNamesTheFolder() throws {
        let folder = try TestPaths.temporaryFolder()
        let blocker = folder.appendingPathComponent("blocker")
        try Data("a file, not a folder".utf8).write(to: blocker)
        let target = blocker.appendingPathComponent("reports/x.html")
        do {
            try AtomicFile.write("<html></html>", to: target)
            Issue.record("writing under a regular file succeeded")
        } catch {
            let diagnostic = error.asDiagnostic
            #expect(diagnostic.location?.file.hasPrefix(blocker.path) == true, "\(diagnostic)")
            #expect(diagnostic.message.hasPrefix("cannot create folder"), "\(diagnostic)")
        }
        #expect(try String(contentsOf: blocker, encoding: .utf8) == "a file, not a folder")
    }

    @Test func atomicWriteIntoProcIsAClearError() throws {
        // /proc refuses new files even for root, which chmod 555 does not.
        do {
            try AtomicFile.write("x", to: URL(fileURLWithPath: "/proc/self/synthlab-report.html"))
            Issue.record("wrote into /proc")
        } catch {
            let diagnostic = error.asDiagnostic
            #expect(diagnostic.location?.file.hasPrefix("/proc/self") == true, "\(diagnostic)")
            #expect(!diagnostic.message.isEmpty)
        }
    }

    @Test func atomicWriteOnAFullDiskKeepsTheOldFile() throws {
        let mountPoint = try TestPaths.temporaryFolder().appendingPathComponent("tiny")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint.path]
        mount.standardError = FileHandle.nullDevice
        guard (try? mount.run()) != nil else { return }
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { return }  // no privilege to mount here: documented in docs/reliability.md
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [mountPoint.path]
            try? umount.run()
            umount.waitUntilExit()
        }
        let report = mountPoint.appendingPathComponent("report.html")
        try AtomicFile.write("<html>old</html>", to: report)
        do {
            try AtomicFile.write(Data(repeating: 65, count: 256 * 1024), to: report)
            Issue.record("a 256 KB write into a 64 KB tmpfs succeeded")
        } catch {
            #expect(error.asDiagnostic.location?.file.hasPrefix(mountPoint.path) == true)
        }
        #expect(try String(contentsOf: report, encoding: .utf8) == "<html>old</html>")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: mountPoint.path)
        #expect(leftovers == ["report.html"], "temporary files left: \(leftovers)")
    }

    @Test func unwritableReportFolderIsNamedAndInputsUntouched() throws {
        let project = try ReliabilityProject()
        try project.writeDataset()
        try project.write("nb.md", Self.notebook)
        try project.write("blocker", "not a folder")
        let before = project.files(under: "data").map { ($0.path, try? Data(contentsOf: $0)) }
        let result = try project.synthlab(["run", "nb.md", "--quiet", "--out", "blocker/reports"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("blocker"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
        let after = project.files(under: "data").map { ($0.path, try? Data(contentsOf: $0)) }
        #expect(before.map(\.0) == after.map(\.0) && zip(before, after).allSatisfy { $0.1 == $1.1 })
        #expect(try project.read("nb.md") == Self.notebook)
    }

    @Test func missingGnuplotReplacesThePlotWithANote() throws {
        let project = try ReliabilityProject()
        try project.writeDataset()
        try project.write("nb.md", Self.notebook)
        for gnuplot in ["/nonexistent/gnuplot", ""] {
            let result = try project.synthlab(
                ["run", "nb.md", "--quiet", "--no-cache"], environment: ["SYNTHLAB_GNUPLOT": gnuplot])
            #expect(result.status == 0, "\(result.stderr)")
            let html = try project.read("reports/nb.html")
            #expect(Self.isComplete(html))
            #expect(html.contains("plot not drawn"), "no note for SYNTHLAB_GNUPLOT=\(gnuplot)")
            #expect(!html.contains("<svg"), "a plot was drawn without gnuplot")
        }
    }

    @Test func missingLlamaServerGivesTheSetupHint() throws {
        let project = try ReliabilityProject()
        try project.writeDataset(docs: 10)
        try project.write(
            "nb.md",
            """
            ```synth
            data = load "data" split="test"
            t = llm model="qwen"
            q = synthesize queries from=data docs=1 per_doc=1 teacher=t
            ```
            """)
        let result = try project.synthlab(
            ["run", "nb.md", "--quiet"], environment: ["SYNTHLAB_LLAMA_SERVER": "/nonexistent/llama-server"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("llama-server not found at /nonexistent/llama-server"), "\(result.stderr)")
        #expect(result.stderr.contains("scripts/setup"), "\(result.stderr)")
    }
}
