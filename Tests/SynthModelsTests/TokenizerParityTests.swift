import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthModels

/// Token-for-token parity with Hugging Face's fast BERT tokenizer (the one sentence-transformers uses)
/// on the all-MiniLM-L6-v2 vocabulary, from fixtures written by `scripts/make-parity-reference.py`.
@Suite struct TokenizerParityTests {
    static let modelFolder = TestPaths.synthlabHome.appendingPathComponent("models/all-MiniLM-L6-v2")
    static let fixtures = TestPaths.root.appendingPathComponent("Tests/SynthModelsTests/Fixtures")

    static func loadTokenizer() throws -> WordPieceTokenizer {
        try WordPieceTokenizer(vocabURL: modelFolder.appendingPathComponent("vocab.txt"))
    }

    /// The varied sentence set: unicode, accents, CJK, emoji, long text, empty string, control characters.
    @Test func variedSentencesMatchSentenceTransformers() throws {
        let tokenizer = try Self.loadTokenizer()
        let reference = try ParityReference.load(Self.fixtures.appendingPathComponent("minilm-reference.json"))
        #expect(reference.sentences.count >= 30)
        for sentence in reference.sentences {
            let ids = tokenizer.encode(sentence.text, maxLength: reference.maxSeqLength)
            #expect(ids == sentence.ids, "text: \(sentence.text.debugDescription)")
        }
        #expect(reference.sentences.contains { $0.ids.count == reference.maxSeqLength }, "a text reaches the limit")
    }

    /// 2,000 SciFact texts and all STS-B sentences, untruncated, compared by digest (two cases run in parallel).
    @Test(arguments: ["scifact", "stsb"])
    func sharedTextsMatchTheFastTokenizer(_ set: String) throws {
        let tokenizer = try Self.loadTokenizer()
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("tokenizer-reference.json"))
        let reference = try JSONDecoder().decode(TokenizerReference.self, from: data)
        let expected = set == "scifact" ? reference.scifact.digests : reference.stsb.digests
        let texts = set == "scifact" ? try SharedTexts.scifact(limit: reference.scifact.count) : try SharedTexts.stsb()
        #expect(texts.count == expected.count)
        var mismatches: [String] = []
        for (index, text) in texts.enumerated() {
            let ids = tokenizer.encode(text, maxLength: Int.max)
            let joined = ids.map(String.init).joined(separator: " ")
            let digest = "\(ids.count):\(SynthValues.SHA256.hash(joined).hex.prefix(16))"
            if digest != expected[index] { mismatches.append("\(set)[\(index)]: \(text.prefix(60))") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) texts differ, first: \(mismatches.prefix(3))")
    }
}

/// `Fixtures/tokenizer-reference.json`: per-text digests `count:sha256-prefix`.
struct TokenizerReference: Decodable {
    struct Set: Decodable {
        var count: Int
        var digests: [String]
    }
    var scifact: Set
    var stsb: Set
}

/// `Fixtures/minilm-reference.json`: sentences with sentence-transformers' token ids and embeddings.
struct ParityReference: Decodable {
    struct Sentence: Decodable {
        var text: String
        var ids: [Int32]
        var embedding: [Float]
    }
    var maxSeqLength: Int
    var sentences: [Sentence]

    enum CodingKeys: String, CodingKey {
        case maxSeqLength = "max_seq_length"
        case sentences
    }

    static func load(_ url: URL) throws -> ParityReference {
        try JSONDecoder().decode(ParityReference.self, from: Data(contentsOf: url))
    }
}

/// Texts read from `shared/data` the way the reference script reads them (never copied into the repository).
enum SharedTexts {
    /// `title + " " + text`, whitespace-trimmed, of the first `limit` SciFact corpus lines.
    static func scifact(limit: Int) throws -> [String] {
        let url = TestPaths.sharedData.appendingPathComponent("scifact/corpus.jsonl.gz")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        struct Row: Decodable {
            var title: String?
            var text: String
        }
        var texts: [String] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where texts.count < limit {
            let row = try JSONDecoder().decode(Row.self, from: Data(line))
            texts.append(pythonStrip((row.title ?? "") + " " + row.text))
        }
        return texts
    }

    /// Sentence 1 and 2 of every `stsb.tsv` row, in file order.
    static func stsb() throws -> [String] {
        let url = TestPaths.sharedData.appendingPathComponent("stsb/stsb.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).dropFirst()
        return lines.flatMap { line -> [String] in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return [String(fields[0]), String(fields[1])]
        }
    }

    /// Python's `str.strip()` for the characters that occur here.
    static func pythonStrip(_ text: String) -> String {
        String(text.unicodeScalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }
            .reversed().map(Character.init))
    }
}
