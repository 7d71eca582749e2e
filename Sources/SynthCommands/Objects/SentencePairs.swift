import Foundation
import SynthValues

/// Scored sentence pairs (STS Benchmark, SICK-R) as a language value (type `sentence_pairs`).
package struct SentencePairs: Previewable, JSONExportable {
    package struct Pair: Sendable, Equatable {
        package var first: String
        package var second: String
        package var score: Double
    }

    package var name: String
    package var split: String
    package var pairs: [Pair]

    package var typeName: String { "sentence_pairs" }
    package var summary: String { "sentence pairs \(name) (\(split)): \(pairs.count) pairs" }
    package var fieldNames: [String] { ["name", "split", "count", "scores", "sentences"] }
    package func field(_ name: String) -> Value? {
        switch name {
        case "name": .string(self.name)
        case "split": .string(split)
        case "count": .int(pairs.count)
        case "scores": .list(pairs.map { .double($0.score) })
        case "sentences": .list(sampledSentences.map { .string($0) })
        default: nil
        }
    }

    /// The distinct first sentences of the pairs in a fixed pseudo-random order (by a 64-bit FNV-1a hash of the
    /// text), so that any prefix is a sample spread over the file's genres rather than its first block
    /// (STS-B lists image captions first). Used as anchors: `synthesize ranked from=pairs.sentences anchors=50`.
    package var sampledSentences: [String] {
        var seen: Set<String> = []
        let distinct = pairs.map(\.first).filter { seen.insert($0).inserted }
        return distinct.map { (Self.fnv1a($0), $0) }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
    }

    /// 64-bit FNV-1a of the UTF-8 bytes: stable across runs and platforms (unlike `Hasher`).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    package func preview(limit: Int) -> String {
        ([summary] + pairs.prefix(limit).map { "  \(formatNumber($0.score))  \($0.first) | \($0.second)" })
            .joined(separator: "\n")
    }

    package var jsonValue: Value {
        .list(
            pairs.map {
                .record(
                    Record([
                        ("sentence1", .string($0.first)), ("sentence2", .string($0.second)),
                        ("score", .double($0.score)),
                    ]))
            })
    }

    /// Reads a `sentence1<TAB>sentence2<TAB>score<TAB>split` file with a header, keeping rows of `split`.
    ///
    /// Fields are not quoted (sentences may contain `"`). Rows with a wrong field count or score are errors
    /// naming the file and line.
    package static func read(_ url: URL, name: String, split: String) throws -> SentencePairs {
        let file = url.path
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw Diagnostic(
                .error, "cannot read file: expected a tab-separated sentence pair file", at: SourceLocation(file: file))
        }
        var pairs: [Pair] = []
        var splits: Set<String> = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if index == 0 || line.isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let score = Double(fields[2]) else {
                throw Diagnostic(
                    .error, "expected 4 tab-separated fields `sentence1 sentence2 score split`, found \(fields.count)",
                    at: SourceLocation(file: file, line: index + 1, column: 1), sourceLine: line)
            }
            splits.insert(fields[3])
            if fields[3] == split { pairs.append(Pair(first: fields[0], second: fields[1], score: score)) }
        }
        guard !pairs.isEmpty else {
            throw Diagnostic(
                .error, "expected a split of \(name) (\(splits.sorted().joined(separator: ", "))), found \"\(split)\"",
                at: SourceLocation(file: file),
                notes: nearestName(to: split, in: splits).map { ["did you mean `\($0)`?"] } ?? [])
        }
        return SentencePairs(name: name, split: split, pairs: pairs)
    }
}
