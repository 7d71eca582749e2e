import Foundation
import SynthDecoder
import SynthLLM
import SynthTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The SmolLM2 GGUF from setup, loaded once for all decoder tests, and llama-server helpers for parity.
enum DecoderFixtures {
    static let modelURL = TestPaths.synthlabHome.appendingPathComponent("models/smollm2-135m-instruct-q4_1.gguf")
    static var available: Bool { FileManager.default.fileExists(atPath: modelURL.path) }
    static let model: LlamaModel = try! LlamaModel.load(gguf: modelURL)

    /// Starts llama-server on the same file with one thread.
    static func server() async throws -> LocalLLMServer {
        try await LocalLLMServer.start(model: modelURL.path, parallel: 1, contextSize: 1024, threads: 1)
    }

    /// POSTs JSON to the server (outside /v1) and decodes the JSON answer.
    static func post(_ server: LocalLLMServer, _ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        request.timeoutInterval = 300
        let (data, _) = try await URLSession.shared.data(for: request)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// llama-server's token ids for `text` (special tokens parsed, no BOS added).
    static func serverTokens(_ server: LocalLLMServer, _ text: String) async throws -> [Int32] {
        let answer = try await post(server, "/tokenize", ["content": text, "add_special": false])
        return (answer["tokens"] as? [Any] ?? []).compactMap { ($0 as? NSNumber).map { Int32($0.intValue) } }
    }

    /// Log-softmax of one row of logits.
    static func logSoftmax(_ row: [Float]) -> [Double] {
        let maximum = Double(row.max()!)
        var total = 0.0
        for value in row { total += exp(Double(value) - maximum) }
        let normaliser = log(total) + maximum
        return row.map { Double($0) - normaliser }
    }
}
