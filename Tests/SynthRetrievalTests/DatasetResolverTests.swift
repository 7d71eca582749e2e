import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthRetrieval

@Suite struct DatasetResolverTests {
    @Test func environmentChoosesTheDataDirectoryAndBaseURL() {
        let explicit = DatasetResolver(environment: ["SYNTHLAB_DATA": "/d", "SYNTHLAB_HOME": "/h"])
        #expect(explicit.dataDirectory.path == "/d")
        let home = DatasetResolver(environment: ["SYNTHLAB_HOME": "/h", "SYNTHLAB_BEIR_URL": "http://127.0.0.1:9/x"])
        #expect(home.dataDirectory.path == "/h/data")
        #expect(home.baseURL.absoluteString == "http://127.0.0.1:9/x")
        let official = DatasetResolver(environment: [:])
        #expect(official.dataDirectory.path.hasSuffix("/.cache/synthlab/data"))
        #expect(official.baseURL.absoluteString == BEIRChecksums.officialBaseURL)
    }

    @Test func findsSharedDataBesideTheProject() async throws {
        let resolver = DatasetResolver(environment: ["SYNTHLAB_DATA": "/nonexistent"], projectFolder: TestPaths.root)
        #expect(resolver.sharedDirectories.first?.standardizedFileURL == TestPaths.sharedData.standardizedFileURL)
        let folder = try await resolver.resolve("scifact")
        #expect(folder.standardizedFileURL == TestPaths.sharedData.appendingPathComponent("scifact").standardizedFileURL)
        let dataset = try await resolver.load("scifact", splits: ["test"])
        #expect(dataset.name == "scifact")
        #expect(dataset.summary == "dataset scifact: 5183 docs, 1109 queries, splits test (300 queries)")
    }

    @Test func prefersTheDataDirectory() async throws {
        let data = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let tiny = try makeBEIRFolder()
        try FileManager.default.moveItem(at: tiny, to: data.appendingPathComponent("scifact"))
        let resolver = DatasetResolver(dataDirectory: data, sharedDirectories: [TestPaths.sharedData],
                                       baseURL: URL(string: "http://127.0.0.1:9")!)
        #expect(try await resolver.load("scifact").corpus.count == 3)
    }

    @Test func unknownNamesAndMissingFoldersAreClearErrors() async throws {
        let resolver = DatasetResolver(dataDirectory: URL(fileURLWithPath: "/nonexistent/data"), sharedDirectories: [],
                                       baseURL: URL(string: "http://127.0.0.1:9")!)
        await #expect(throws: DatasetError.unknownDataset(
            name: "scifcat", searched: ["/nonexistent/data"], suggestion: "scifact")) {
            _ = try await resolver.resolve("scifcat")
        }
        await #expect(throws: DatasetError.missingFile(path: "./no/such/folder", expected: "a BEIR dataset folder")) {
            _ = try await resolver.resolve("./no/such/folder")
        }
    }
}

/// Downloads from a loopback HTTP server the test starts (python3 -m http.server), never the internet.
@Suite(.serialized) struct BEIRDownloadTests {
    /// Serves `folder` on 127.0.0.1 at a free port; returns the process and its base URL.
    static func serve(_ folder: URL) throws -> (Process, URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", folder.path, "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "Serving HTTP on 127.0.0.1 port 43127 (http://127.0.0.1:43127/) ..."
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"port (\d+)"#, options: .regularExpression) else {
            stop(process)
            throw Diagnostic(.error, "http.server did not start: \(text)")
        }
        let port = text[range].split(separator: " ")[1]
        return (process, URL(string: "http://127.0.0.1:\(port)")!)
    }

    /// Stops the server this test started. SIGKILL, because the test runner may block SIGTERM in children.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A BEIR-style zip (`tiny/corpus.jsonl`, …) in a fresh served folder.
    static func makeZip() throws -> (served: URL, md5: String) {
        let tiny = try makeBEIRFolder()
        let served = try TestPaths.temporaryFolder()
        let zip = Process()
        zip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        zip.arguments = ["python3", "-m", "zipfile", "-c", served.appendingPathComponent("tiny.zip").path, "tiny"]
        zip.currentDirectoryURL = tiny.deletingLastPathComponent()
        try zip.run()
        zip.waitUntilExit()
        let md5 = try MD5.hex(fileAt: served.appendingPathComponent("tiny.zip"))
        return (served, md5)
    }

    @Test func downloadsVerifiesAndExtractsAtomically() async throws {
        let (served, md5) = try Self.makeZip()
        let (server, base) = try Self.serve(served)
        defer { Self.stop(server) }
        let data = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let resolver = DatasetResolver(dataDirectory: data, sharedDirectories: [], baseURL: base,
                                       checksums: ["tiny": md5])
        let folder = try await resolver.resolve("tiny")
        #expect(folder.path == data.appendingPathComponent("tiny").path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path) == ["tiny"])
        let dataset = try await resolver.load("tiny")
        #expect(dataset.corpus.map(\.id) == ["d1", "d2", "d3"])
        #expect(dataset.qrels["test"]?.judgementCount == 2)
        // A second resolve finds it locally without the server.
        Self.stop(server)
        #expect(try await resolver.resolve("tiny").path == folder.path)
    }

    @Test func checksumMismatchLeavesNothingBehind() async throws {
        let (served, md5) = try Self.makeZip()
        let (server, base) = try Self.serve(served)
        defer { Self.stop(server) }
        let data = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let expected = String(repeating: "0", count: 32)
        let resolver = DatasetResolver(dataDirectory: data, sharedDirectories: [], baseURL: base,
                                       checksums: ["tiny": expected])
        do {
            _ = try await resolver.resolve("tiny")
            Issue.record("expected a checksum error")
        } catch {
            #expect(error.asDiagnostic.rendered(caret: false)
                == "\(base.absoluteString)/tiny.zip: error: checksum mismatch: expected md5 \(expected), found \(md5)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).isEmpty)
    }

    @Test func httpErrorsAreReported() async throws {
        let served = try TestPaths.temporaryFolder()
        let (server, base) = try Self.serve(served)
        defer { Self.stop(server) }
        let data = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let resolver = DatasetResolver(dataDirectory: data, sharedDirectories: [], baseURL: base,
                                       checksums: ["nfcorpus": BEIRChecksums.md5["nfcorpus"]!])
        await #expect(throws: DatasetError.downloadFailed(
            url: "\(base.absoluteString)/nfcorpus.zip", reason: "HTTP status 404")) {
            _ = try await resolver.resolve("nfcorpus")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).isEmpty)
    }
}
