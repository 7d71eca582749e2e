import Foundation

/// BERT's text normalisation and word splitting, before WordPiece.
///
/// Follows Hugging Face `tokenizers`' `BertNormalizer` then `BertPreTokenizer`, in this order:
/// 1. clean: drop NUL, U+FFFD and control characters (``BertCharacterClass/isControl(_:)``), map
///    whitespace to a space;
/// 2. put spaces around CJK ideographs so each becomes its own word;
/// 3. strip accents: canonical decomposition (NFD) of the whole text, then drop `Mn` marks;
/// 4. lower-case each scalar with its full Unicode mapping (no context, as Rust's `char::to_lowercase`);
/// 5. split on whitespace, and isolate every punctuation scalar as a one-character word.
///
/// ```swift
/// let basic = BasicTokenizer(lowercase: true, stripAccents: true, splitCJK: true)
/// basic.words("Héllo, 世界!")   // ["hello", ",", "世", "界", "!"] as UTF-8 spans
/// ```
struct BasicTokenizer: Sendable {
    /// Lower-case after normalisation.
    var lowercase: Bool
    /// Remove accents (NFD, then drop non-spacing marks).
    var stripAccents: Bool
    /// Isolate CJK ideographs.
    var splitCJK: Bool

    /// The normalised text as Unicode scalars (steps 1–4).
    func normalize<S: Sequence>(_ scalars: S) -> [Unicode.Scalar] where S.Element == Unicode.Scalar {
        var cleaned: [Unicode.Scalar] = []
        cleaned.reserveCapacity(scalars.underestimatedCount + 8)
        var asciiOnly = true
        for scalar in scalars {
            let value = scalar.value
            if value == 0 || value == 0xFFFD || BertCharacterClass.isControl(scalar) { continue }
            if BertCharacterClass.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if splitCJK && BertCharacterClass.isCJK(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
                asciiOnly = false
            } else {
                if value >= 0x80 { asciiOnly = false }
                cleaned.append(scalar)
            }
        }
        if asciiOnly {
            if lowercase {
                for index in cleaned.indices where (0x41...0x5A).contains(cleaned[index].value) {
                    cleaned[index] = Unicode.Scalar(cleaned[index].value + 0x20)!
                }
            }
            return cleaned
        }
        var decomposed = cleaned
        if stripAccents {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: cleaned)
            decomposed = String(view).decomposedStringWithCanonicalMapping.unicodeScalars
                .filter { !BertCharacterClass.isNonspacingMark($0) }
        }
        guard lowercase else { return decomposed }
        var lowered: [Unicode.Scalar] = []
        lowered.reserveCapacity(decomposed.count)
        for scalar in decomposed {
            if scalar.value < 0x80 {
                lowered.append((0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0x20)! : scalar)
            } else if scalar.properties.changesWhenLowercased {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                lowered.append(scalar)
            }
        }
        return lowered
    }

    /// Splits normalised scalars into words (step 5), appending each word's UTF-8 bytes to `bytes`.
    ///
    /// - Returns: one ``WordSpan`` per word, in order, indexing into `bytes`.
    func split(_ scalars: [Unicode.Scalar], into bytes: inout [UInt8]) -> [WordSpan] {
        var spans: [WordSpan] = []
        var start = bytes.count
        var count = 0
        func close() {
            if count > 0 { spans.append(WordSpan(start: start, end: bytes.count, scalarCount: count)) }
            start = bytes.count
            count = 0
        }
        for scalar in scalars {
            if BertCharacterClass.isWhitespace(scalar) {
                close()
            } else if BertCharacterClass.isPunctuation(scalar) {
                close()
                appendUTF8(scalar, to: &bytes)
                count = 1
                close()
            } else {
                appendUTF8(scalar, to: &bytes)
                count += 1
            }
        }
        close()
        return spans
    }

    /// Normalises and splits `text` (steps 1–5).
    func words<S: Sequence>(_ scalars: S, into bytes: inout [UInt8]) -> [WordSpan]
    where S.Element == Unicode.Scalar {
        split(normalize(scalars), into: &bytes)
    }
}

/// One word of ``BasicTokenizer`` output: a byte range of a shared UTF-8 buffer and its length in scalars.
struct WordSpan: Sendable, Equatable {
    var start: Int
    var end: Int
    /// Length in Unicode scalars (WordPiece gives up on words longer than 100 scalars).
    var scalarCount: Int
}

@inline(__always)
func appendUTF8(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
    let value = scalar.value
    if value < 0x80 {
        bytes.append(UInt8(value))
    } else {
        UTF8.encode(scalar) { bytes.append($0) }
    }
}
