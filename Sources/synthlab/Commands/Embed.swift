import ArgumentParser
import Foundation
import SynthModels
import SynthValues

/// `synthlab embed`: sentence embeddings of JSON lines read on stdin.
struct Embed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed texts with a sentence-transformers model folder (JSON lines in, JSON lines out).",
        discussion: """
            Reads one JSON object per line on stdin, {"text": "…"} (texts may hold newlines as JSON escapes), \
            and writes one line per input, in input order: {"tokens": [ids with [CLS] and [SEP]], \
            "embedding": [floats]}. Texts are truncated to --max-len tokens (default: the model's \
            max_seq_length, 256 for all-MiniLM-L6-v2) and batched by length to cut padding.
            The default model is $SYNTHLAB_HOME/models/all-MiniLM-L6-v2 (SYNTHLAB_HOME defaults to \
            ~/.cache/synthlab). scripts/check-checkpoint-in-python.py compares this output with \
            sentence-transformers.
            """)

    @Option(help: "A sentence-transformers model folder.")
    var model: String?

    @Option(name: .customLong("max-len"), help: "Token limit including [CLS] and [SEP] (default: the model's).")
    var maxLength: Int?

    @Option(help: "Texts per forward pass.")
    var batchSize = 32

    @Flag(help: "Print the number of texts, the seconds spent tokenizing and embedding, and texts/s to stderr.")
    var stats = false

    func validate() throws {
        if let maxLength, maxLength < 2 { throw ValidationError("--max-len must be at least 2, found \(maxLength)") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, found \(batchSize)") }
    }

    func run() async throws {
        let folder = model.map { URL(fileURLWithPath: $0) } ?? SentenceEncoder.defaultFolder()
        let encoder = try SentenceEncoder.load(folder: folder)
        let texts = try Self.readTexts(FileHandle.standardInput.readDataToEndOfFile(), source: "<stdin>")
        let chunk = 4096
        let clock = ContinuousClock()
        let start = clock.now
        for start in stride(from: 0, to: texts.count, by: chunk) {
            let slice = Array(texts[start..<min(start + chunk, texts.count)])
            let tokens = slice.map { encoder.tokenize($0, maxLength: maxLength) }
            let vectors = encoder.embed(tokenIds: tokens, batchSize: batchSize)
            var out = ""
            for (ids, vector) in zip(tokens, vectors) { out += Self.line(tokens: ids, embedding: vector) }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
        if stats {
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            StandardError.line("embedded \(texts.count) texts in \(formatFixed(seconds, digits: 3)) s "
                + "(\(formatFixed(Double(texts.count) / max(seconds, 1e-9), digits: 2)) texts/s)")
        }
    }

    /// The `text` field of each non-blank JSON line.
    ///
    /// - Throws: a ``Diagnostic`` at `source:line` for a line that is not an object with a string `text`.
    static func readTexts(_ data: Data, source: String) throws -> [String] {
        struct Row: Decodable { var text: String }
        var texts: [String] = []
        let decoder = JSONDecoder()
        for (number, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let bytes = Data(line)
            let trimmed = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            do {
                texts.append(try decoder.decode(Row.self, from: bytes).text)
            } catch {
                let found = trimmed.count > 40 ? String(trimmed.prefix(40)) + "…" : trimmed
                throw Diagnostic(.error, "expected a JSON object with a string field \"text\", found \(found)",
                                 at: SourceLocation(file: source, line: number + 1, column: 1), sourceLine: trimmed)
            }
        }
        return texts
    }

    /// `{"tokens":[…],"embedding":[…]}` and a newline; floats in shortest round-trip form.
    static func line(tokens: [Int32], embedding: [Float]) -> String {
        "{\"tokens\":[" + tokens.map(String.init).joined(separator: ",") + "],\"embedding\":["
            + embedding.map { $0.isFinite ? "\($0)" : "0" }.joined(separator: ",") + "]}\n"
    }
}
