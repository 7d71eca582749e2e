import Foundation
import SynthStore
import SynthTestSupport
import Testing

@testable import SynthLLM

/// `bench/llm-throughput/run`: LLMClient tokens/s vs a plain Python driver on the same server, same
/// prompts and concurrency, interleaved rounds (ABBA…) so drift in machine load affects both sides.
/// Enabled only with `SYNTHLAB_BENCH_LLM=1`; writes `bench/llm-throughput/results.txt`.
@Suite("LLM client throughput bench", .serialized)
struct LLMThroughputBench {
    private static let environment = ProcessInfo.processInfo.environment
    private static func setting(_ name: String, _ fallback: Int) -> Int {
        environment[name].flatMap(Int.init) ?? fallback
    }

    private struct Measurement {
        var wall: Double
        var tokens: Int
        var serverSpeed: Double?
    }

    @Test(.enabled(if: environment["SYNTHLAB_BENCH_LLM"] == "1"))
    func clientMatchesRawServerThroughput() async throws {
        let model = Self.environment["BENCH_MODEL"] ?? "qwen"
        let count = Self.setting("BENCH_N", 16)
        let concurrency = Self.setting("BENCH_CONCURRENCY", 4)
        let maxTokens = Self.setting("BENCH_MAX_TOKENS", 48)
        let threads = Self.setting("BENCH_THREADS", 1)
        let rounds = Self.setting("BENCH_ROUNDS", 2)
        let server = try await LocalLLMServer.start(
            model: model, parallel: concurrency, contextSize: 512, threads: threads)
        defer { Task { await server.stop() } }
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await LLMClient(endpoint: server.endpoint, store: nil).complete(
            ChatRequest(messages: [.user("warm up")], maxTokens: 4))

        var python: [Measurement] = []
        var swift: [Measurement] = []
        for round in 0..<rounds {
            let order = round.isMultiple(of: 2) ? ["py", "sw"] : ["sw", "py"]
            for side in order {
                let name = "\(side)\(round)"
                if side == "py" {
                    python.append(
                        try runPython(
                            server: server, round: name, count: count, concurrency: concurrency, maxTokens: maxTokens))
                } else {
                    swift.append(
                        try await runSwift(
                            server: server, round: name, count: count, concurrency: concurrency, maxTokens: maxTokens,
                            folder: folder))
                }
            }
        }
        func rate(_ runs: [Measurement]) -> Double {
            Double(runs.map(\.tokens).reduce(0, +)) / runs.map(\.wall).reduce(0, +)
        }
        func serverSpeed(_ runs: [Measurement]) -> Double {
            let speeds = runs.compactMap(\.serverSpeed)
            return speeds.isEmpty ? 0 : speeds.reduce(0, +) / Double(speeds.count)
        }
        let ratio = rate(swift) / rate(python)
        let cpu =
            (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("model name") }.map {
                String($0.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces)
            } ?? "?"
        var lines = [
            "model \(server.endpoint.model), \(count) requests x \(maxTokens) max tokens, concurrency \(concurrency), llama-server -t \(threads) --parallel \(concurrency)",
            "cpu: \(cpu) (\(ProcessInfo.processInfo.activeProcessorCount) cores), load average at end: \((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8).split(separator: " ").prefix(3).joined(separator: " ")) ?? "?")",
        ]
        for (index, run) in python.enumerated() {
            lines.append(
                String(
                    format: "python round %d: %d tokens in %.2f s = %.1f tok/s (server per-request decode %.1f tok/s)",
                    index, run.tokens, run.wall, Double(run.tokens) / run.wall, run.serverSpeed ?? 0))
        }
        for (index, run) in swift.enumerated() {
            lines.append(
                String(
                    format: "swift  round %d: %d tokens in %.2f s = %.1f tok/s (server per-request decode %.1f tok/s)",
                    index, run.tokens, run.wall, Double(run.tokens) / run.wall, run.serverSpeed ?? 0))
        }
        lines.append(
            String(
                format: "python driver: %.1f tok/s; LLMClient (with SQLite store): %.1f tok/s; ratio %.3f",
                rate(python), rate(swift), ratio))
        lines.append(
            String(
                format: "server-reported per-request decode: python %.1f tok/s, swift %.1f tok/s", serverSpeed(python),
                serverSpeed(swift)))
        let results = TestPaths.root.appendingPathComponent("bench/llm-throughput/results.txt")
        try (lines.joined(separator: "\n") + "\n").write(to: results, atomically: true, encoding: .utf8)
        #expect(ratio >= 0.9, "LLMClient throughput is \(ratio) of the raw driver's")
    }

    private func prompt(_ round: String, _ index: Int) -> String {
        "Round \(round). Write a short story about a city named Item \(index)."
    }

    private func runSwift(
        server: LocalLLMServer, round: String, count: Int, concurrency: Int, maxTokens: Int, folder: URL
    ) async throws -> Measurement {
        var endpoint = server.endpoint
        endpoint.concurrency = concurrency
        let store = try ResponseStore(path: folder.appendingPathComponent("\(round).sqlite"))
        let client = LLMClient(endpoint: endpoint, store: store)
        let requests = (0..<count).map {
            ChatRequest(messages: [.user(prompt(round, $0))], temperature: 0.8, seed: $0, maxTokens: maxTokens)
        }
        let start = ContinuousClock.now
        let answers = try await client.complete(batch: requests)
        let elapsed = start.duration(to: .now)
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let speeds = answers.compactMap(\.serverTimings).map {
            Double($0.predictedTokens) / $0.predictedMilliseconds * 1000
        }
        return Measurement(
            wall: wall, tokens: answers.map(\.usage.completionTokens).reduce(0, +),
            serverSpeed: speeds.reduce(0, +) / Double(max(1, speeds.count)))
    }

    private func runPython(server: LocalLLMServer, round: String, count: Int, concurrency: Int, maxTokens: Int) throws
        -> Measurement
    {
        let process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [
            TestPaths.root.appendingPathComponent("bench/llm-throughput/driver.py").path,
            server.endpoint.url.absoluteString,
            server.endpoint.model, "\(count)", "\(concurrency)", "\(maxTokens)", round,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        struct Report: Decodable {
            var wall: Double
            var completion_tokens: Int
            var server_predicted_per_second_mean: Double?
        }
        let report = try JSONDecoder().decode(Report.self, from: data)
        return Measurement(
            wall: report.wall, tokens: report.completion_tokens, serverSpeed: report.server_predicted_per_second_mean)
    }
}
