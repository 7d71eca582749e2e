/// Splits text into words the way Lucene's `StandardTokenizer` does, approximating the Unicode
/// word-break rules of UAX #29.
///
/// Letters and digits join (`p53`, `covid19`); a letter run continues across `'`, `.`, `:` or `·`
/// when a letter follows (`don't`, `e.g`); a digit run continues across `.`, `,`, `;` or `'` when a
/// digit follows (`3.5`, `1,000`); `_` connects words (`foo_bar`); katakana runs stay together;
/// each ideograph and hiragana character is a token of its own. Combining marks stay attached to the
/// preceding character. Everything else (spaces, punctuation, symbols, emoji) separates tokens and
/// is dropped. Tokens longer than 255 characters are cut into 255-character pieces, as Lucene does.
///
/// ```swift
/// StandardTokenizer.tokens("The p53 gene's 3.5-fold rise, e.g. in vitro")
/// // ["The", "p53", "gene's", "3.5", "fold", "rise", "e.g", "in", "vitro"]
/// ```
package enum StandardTokenizer {
    /// Lucene's default maximum token length, in characters.
    package static let maxTokenLength = 255

    /// The tokens of `text`, as strings (for tests and small inputs).
    package static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var copy = text
        copy.withUTF8 { bytes in
            forEachToken(in: bytes) { result.append(String(decoding: $0, as: UTF8.self)) }
        }
        return result
    }

    /// Calls `body` with the UTF-8 bytes of every token of `text`, in order.
    ///
    /// - Complexity: O(n) in the length of the text.
    package static func forEachToken(
        in text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        let n = text.count
        var i = 0
        while i < n {
            let (cls, length) = classify(text, at: i)
            switch cls {
            case .aLetter, .numeric, .katakana, .extendNumLet:
                let start = i
                var last = cls
                var hasWord = cls != .extendNumLet
                var characters = 1
                var tokenStart = start
                i += length
                while i < n {
                    let (next, nextLength) = classify(text, at: i)
                    if next == .extend {
                        i += nextLength
                        continue
                    }
                    var joined = false
                    var advance = i + nextLength
                    var newLast = next
                    if joins(last, next) {
                        joined = true
                    } else if next.isMid {
                        // WB6/7 and WB11/12: a middle character joins when the same kind follows it.
                        var after = advance
                        while after < n {
                            let (c, l) = classify(text, at: after)
                            if c == .extend { after += l; continue }
                            if last == .aLetter, c == .aLetter, next.joinsLetters {
                                joined = true; advance = after + l; newLast = c
                            } else if last == .numeric, c == .numeric, next.joinsNumbers {
                                joined = true; advance = after + l; newLast = c
                            }
                            break
                        }
                    }
                    guard joined else { break }
                    characters += newLast == next ? 1 : 2
                    if characters > maxTokenLength {
                        if hasWord { body(UnsafeBufferPointer(rebasing: text[tokenStart..<i])) }
                        tokenStart = i
                        characters = newLast == next ? 1 : 2
                    }
                    if newLast != .extendNumLet { hasWord = true }
                    last = newLast
                    i = advance
                }
                if hasWord { body(UnsafeBufferPointer(rebasing: text[tokenStart..<i])) }
            case .ideographic, .hiragana:
                let start = i
                i += length
                while i < n {
                    let (next, nextLength) = classify(text, at: i)
                    guard next == .extend else { break }
                    i += nextLength
                }
                body(UnsafeBufferPointer(rebasing: text[start..<i]))
            default:
                i += length
            }
        }
    }

    // MARK: - Word-break classes

    enum WordClass: UInt8 {
        case other, aLetter, numeric, katakana, hiragana, ideographic, extendNumLet
        case midLetter, midNum, midNumLet, singleQuote, extend

        var isMid: Bool { self == .midLetter || self == .midNum || self == .midNumLet || self == .singleQuote }
        /// MidLetter | MidNumLetQ, between letters.
        var joinsLetters: Bool { self == .midLetter || self == .midNumLet || self == .singleQuote }
        /// MidNum | MidNumLetQ, between digits.
        var joinsNumbers: Bool { self == .midNum || self == .midNumLet || self == .singleQuote }
    }

    /// WB5, WB8–10, WB13, WB13a/b: which classes join without a middle character.
    static func joins(_ last: WordClass, _ next: WordClass) -> Bool {
        switch last {
        case .aLetter, .numeric: next == .aLetter || next == .numeric || next == .extendNumLet
        case .katakana: next == .katakana || next == .extendNumLet
        case .extendNumLet: next == .aLetter || next == .numeric || next == .katakana || next == .extendNumLet
        default: false
        }
    }

    private static let asciiClasses: [WordClass] = (0..<128).map { (code: Int) -> WordClass in
        switch code {
        case 0x30...0x39: .numeric
        case 0x41...0x5A, 0x61...0x7A: .aLetter
        case 0x5F: .extendNumLet
        case 0x3A: .midLetter
        case 0x2E: .midNumLet
        case 0x27: .singleQuote
        case 0x2C, 0x3B: .midNum
        default: .other
        }
    }

    /// The class of the character starting at byte `i`, and its length in bytes.
    @inline(__always)
    static func classify(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> (WordClass, Int) {
        let lead = text[i]
        if lead < 0x80 { return (asciiClasses[Int(lead)], 1) }
        let (scalar, length) = decode(text, at: i)
        return (classify(scalar), length)
    }

    /// Decodes one UTF-8 scalar; invalid bytes decode as U+FFFD of length 1.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(text[i])
        let n = text.count
        func continuation(_ k: Int) -> UInt32? {
            guard i + k < n, text[i + k] & 0xC0 == 0x80 else { return nil }
            return UInt32(text[i + k] & 0x3F)
        }
        var value: UInt32
        var length: Int
        if lead & 0xE0 == 0xC0, let c1 = continuation(1) {
            value = (lead & 0x1F) << 6 | c1; length = 2
        } else if lead & 0xF0 == 0xE0, let c1 = continuation(1), let c2 = continuation(2) {
            value = (lead & 0x0F) << 12 | c1 << 6 | c2; length = 3
        } else if lead & 0xF8 == 0xF0, let c1 = continuation(1), let c2 = continuation(2),
            let c3 = continuation(3)
        {
            value = (lead & 0x07) << 18 | c1 << 12 | c2 << 6 | c3; length = 4
        } else {
            return ("\u{FFFD}", 1)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// The UAX #29 class of a non-ASCII scalar.
    static func classify(_ scalar: Unicode.Scalar) -> WordClass {
        let v = scalar.value
        switch v {
        case 0x00B7, 0x0387, 0x05F4, 0x2027, 0xFE13, 0xFE55, 0xFF1A: return .midLetter
        case 0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E: return .midNumLet
        case 0x037E, 0x0589, 0x060C, 0x060D, 0x066C, 0x07F8, 0x2044, 0xFE10, 0xFE14, 0xFE50, 0xFE54, 0xFF0C,
            0xFF1B:
            return .midNum
        case 0x202F, 0x203F, 0x2040, 0x2054, 0xFE33, 0xFE34, 0xFE4D...0xFE4F, 0xFF3F: return .extendNumLet
        case 0x200B: return .other
        case 0x200C, 0x200D: return .extend
        case 0x3040...0x309F: return .hiragana
        case 0x30A0...0x30FF, 0x31F0...0x31FF, 0x32D0...0x32FE, 0x3300...0x3357, 0xFF66...0xFF9F: return .katakana
        default: break
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format: return .extend
        case .decimalNumber: return .numeric
        default: break
        }
        if properties.isIdeographic { return .ideographic }
        if properties.isAlphabetic { return .aLetter }
        return .other
    }
}
