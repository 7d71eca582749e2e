import Foundation
import SynthTestSupport
import SynthValues

@testable import SynthMetrics

/// Runs `Fixtures/mauve_reference.py` (the PyPI `mauve-text` package, installed by `scripts/setup`) with
/// setup's venv python and returns its answer for each case.
enum MAUVEReference {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let script = TestPaths.root.appendingPathComponent("Tests/SynthMetricsTests/Fixtures/mauve_reference.py")

    /// Sends `cases` and returns one answer object per case.
    static func run(_ cases: [[String: Any]]) throws -> [[String: Any]] {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let requestURL = folder.appendingPathComponent("request.json")
        try JSONSerialization.data(withJSONObject: ["cases": cases]).write(to: requestURL)
        let output = folder.appendingPathComponent("response.json")
        let errors = folder.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [script.path, requestURL.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["OMP_NUM_THREADS": "1"]) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failure(description: "mauve reference script failed (scripts/setup installs mauve-text): \(message)")
        }
        let data = try Data(contentsOf: output)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let answers = object["cases"] as? [[String: Any]], answers.count == cases.count
        else { throw Failure(description: "mauve reference script answered an unexpected shape") }
        return answers
    }
}

/// Deterministic Gaussian features for the MAUVE tests (Box–Muller over SplitMix64).
struct GaussianFeatures {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func normal() -> Double {
        let u1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// `count` points of dimension `d` around `centre` with unit variance per coordinate.
    mutating func cloud(count: Int, d: Int, centre: [Double]) -> [[Double]] {
        (0..<count).map { _ in (0..<d).map { centre[$0] + normal() } }
    }

    /// Well-separated blobs: `counts[i]` points around `separation` · e_i.
    mutating func blobs(counts: [Int], d: Int, separation: Double = 8) -> [[Double]] {
        counts.enumerated().flatMap { i, count in
            cloud(count: count, d: d, centre: (0..<d).map { $0 == i ? separation : 0 })
        }
    }
}
