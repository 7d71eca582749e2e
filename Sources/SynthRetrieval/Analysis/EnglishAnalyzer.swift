/// Turns text into index terms the way Lucene's `EnglishAnalyzer` (and Anserini's default analyzer,
/// which Pyserini's BEIR indexes use) does.
///
/// The chain is ``StandardTokenizer`` → possessive removal (a final `'s`, `’s` or `＇s`) → lowercase →
/// removal of Lucene's 33 English stop words (``stopWords``) → ``PorterStemmer``.
///
/// ```swift
/// EnglishAnalyzer().analyze("The patient's cells were dividing rapidly")
/// // ["patient", "cell", "were", "divid", "rapidli"]
/// ```
package struct EnglishAnalyzer: Sendable {
    /// Lucene's `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`.
    package static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
        "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
        "will", "with",
    ]

    package init() {}

    /// The terms of `text`, in order, repeats kept.
    package func analyze(_ text: String) -> [String] {
        var terms: [String] = []
        var copy = text
        copy.withUTF8 { bytes in
            StandardTokenizer.forEachToken(in: bytes) { token in
                if let term = normalize(token) { terms.append(term) }
            }
        }
        return terms
    }

    /// The term for one token, or `nil` when it is a stop word.
    ///
    /// This is the slow path; the index builder caches its result per distinct token.
    package func normalize(_ token: UnsafeBufferPointer<UInt8>) -> String? {
        var bytes = Self.lowercased(token)
        Self.removePossessive(&bytes)
        if bytes.count <= 5, Self.stopWords.contains(String(decoding: bytes, as: UTF8.self)) { return nil }
        if bytes.isEmpty { return nil }
        PorterStemmer.stem(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Lowercases (ASCII directly, other characters through their Unicode lowercase mapping).
    static func lowercased(_ token: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        if token.allSatisfy({ $0 < 0x80 }) {
            return token.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
        }
        var text = ""
        for scalar in String(decoding: token, as: UTF8.self).unicodeScalars {
            text += scalar.properties.lowercaseMapping
        }
        return Array(text.utf8)
    }

    /// Drops a final `'s` (apostrophe U+0027, U+2019 or U+FF07), as `EnglishPossessiveFilter` does.
    static func removePossessive(_ bytes: inout [UInt8]) {
        let n = bytes.count
        guard n >= 2, bytes[n - 1] == UInt8(ascii: "s") else { return }
        if bytes[n - 2] == UInt8(ascii: "'") {
            bytes.removeLast(2)
        } else if n >= 4, bytes[n - 4] == 0xE2, bytes[n - 3] == 0x80, bytes[n - 2] == 0x99 {  // U+2019
            bytes.removeLast(4)
        } else if n >= 4, bytes[n - 4] == 0xEF, bytes[n - 3] == 0xBC, bytes[n - 2] == 0x87 {  // U+FF07
            bytes.removeLast(4)
        }
    }
}
