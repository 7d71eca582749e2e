import Foundation
@testable import SynthMetrics
import SynthTestSupport

/// Runs `Fixtures/pytrec_reference.py` with setup's venv python and returns its JSON answer.
enum ReferencePython {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let script = TestPaths.root.appendingPathComponent("Tests/SynthMetricsTests/Fixtures/pytrec_reference.py")

    /// Sends `request` (JSON-serialisable) and returns the decoded response object.
    static func run(_ request: [String: Any]) throws -> [String: Any] {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let requestURL = folder.appendingPathComponent("request.json")
        try JSONSerialization.data(withJSONObject: request).write(to: requestURL)
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [script.path, requestURL.path]
        let output = folder.appendingPathComponent("response.json")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let errors = Pipe()
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = errors
        try process.run()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "reference script failed: \(String(decoding: errorData, as: UTF8.self))")
        }
        let data = try Data(contentsOf: output)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "reference script answered no JSON object")
        }
        return object
    }

    /// pytrec_eval's per-query values for each named case: case → query → measure name → value.
    static func evaluate(_ cases: [(name: String, qrels: Qrels, run: Run, measures: [Measure])]) throws
        -> [String: [String: [String: Double]]]
    {
        let request: [String: Any] = [
            "cases": cases.map { item -> [String: Any] in
                [
                    "name": item.name,
                    "qrels": item.qrels.judgements,
                    "run": item.run.rankings.mapValues { entries in
                        Dictionary(entries.map { ($0.docID, $0.score) }, uniquingKeysWith: { first, _ in first })
                    },
                    "measures": item.measures.map(\.description),
                ]
            }
        ]
        let response = try run(request)
        guard let casesAnswer = response["cases"] as? [String: [String: [String: Double]]] else {
            throw Failure(description: "unexpected reference answer shape")
        }
        return casesAnswer
    }
}
