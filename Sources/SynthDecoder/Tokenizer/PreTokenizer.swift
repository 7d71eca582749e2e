/// Splits text into the pieces BPE runs on, as llama.cpp's byte-level pre-tokenizers do.
///
/// `.smollm` (also StarCoder, Refact, …) first isolates every digit (`\p{N}`), then applies GPT-2's pattern
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` to each remaining piece.
/// `.gpt2` applies GPT-2's pattern alone. Categories are Unicode general categories (L*, N*) and the
/// White_Space property.
package enum PreTokenizer: String, Sendable {
    case gpt2, smollm

    /// Chooses the pre-tokenizer for `tokenizer.ggml.pre`; nil for unsupported ones.
    package init?(ggufName: String) {
        switch ggufName {
        case "gpt-2", "gpt2", "default", "": self = .gpt2
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva": self = .smollm
        default: return nil
        }
    }

    /// The pieces of `text` (each a string of Unicode scalars).
    package func split(_ text: String) -> [Substring] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [Range<Int>] = []
        switch self {
        case .gpt2:
            Self.gpt2(scalars, 0..<scalars.count, into: &pieces)
        case .smollm:
            var start = 0
            for index in scalars.indices where Self.isNumber(scalars[index]) {
                if start < index { Self.gpt2(scalars, start..<index, into: &pieces) }
                pieces.append(index..<(index + 1))
                start = index + 1
            }
            if start < scalars.count { Self.gpt2(scalars, start..<scalars.count, into: &pieces) }
        }
        return pieces.map { range in Substring(String(String.UnicodeScalarView(scalars[range]))) }
    }

    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    static func isNumber(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }

    /// GPT-2's pattern over `range`, following llama.cpp's hand-written matcher (`unicode_regex_split_custom_gpt2`).
    static func gpt2(_ text: [Unicode.Scalar], _ range: Range<Int>, into pieces: inout [Range<Int>]) {
        let end = range.upperBound
        func at(_ i: Int) -> Unicode.Scalar? { i < end ? text[i] : nil }
        var start = range.lowerBound, position = range.lowerBound
        func emit(_ upTo: Int) {
            if upTo > start { pieces.append(start..<upTo) }
            start = upTo
            position = upTo
        }
        while position < end {
            let c = text[position]
            // 's|'t|'re|'ve|'m|'ll|'d
            if c == "'", let n = at(position + 1) {
                if n == "s" || n == "t" || n == "m" || n == "d" {
                    emit(position + 2)
                    continue
                }
                if let n2 = at(position + 2), (n == "r" && n2 == "e") || (n == "v" && n2 == "e") || (n == "l" && n2 == "l") {
                    emit(position + 3)
                    continue
                }
            }
            let skip = c == " " ? 1 : 0
            let head = at(position + skip)
            // ' ?\p{L}+'
            if let head, isLetter(head) {
                var i = position + skip + 1
                while let s = at(i), isLetter(s) { i += 1 }
                emit(i)
                continue
            }
            // ' ?\p{N}+'
            if let head, isNumber(head) {
                var i = position + skip + 1
                while let s = at(i), isNumber(s) { i += 1 }
                emit(i)
                continue
            }
            // ' ?[^\s\p{L}\p{N}]+'
            if let head, !isWhitespace(head), !isLetter(head), !isNumber(head) {
                var i = position + skip + 1
                while let s = at(i), !isWhitespace(s), !isLetter(s), !isNumber(s) { i += 1 }
                emit(i)
                continue
            }
            var spaces = 0
            while let s = at(position + spaces), isWhitespace(s) { spaces += 1 }
            // '\s+(?!\S)'
            if spaces > 1 && position + spaces < end {
                emit(position + spaces - 1)
                continue
            }
            // '\s+'
            if spaces > 0 {
                emit(position + spaces)
                continue
            }
            emit(position + 1)
        }
    }
}
