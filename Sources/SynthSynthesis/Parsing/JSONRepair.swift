import SynthValues

/// Reads the JSON an LLM meant to write, repairing the usual damage instead of failing.
///
/// Small teachers wrap JSON in Markdown fences, add a sentence before or after it, leave trailing
/// commas, or stop mid-object when `max_tokens` runs out. ``parse(_:)`` strips fences, takes the
/// first JSON object (or array) in the text, tolerates trailing commas, raw newlines inside
/// strings and Python literals (`True`, `False`, `None`), and closes strings, arrays and objects a
/// truncated answer left open. It reports which repairs it applied, so callers can count them.
///
/// ```swift
/// let result = try JSONRepair.parse("Sure!\n```json\n{\"queries\": [\"a\", \"b\",],}\n```")
/// result.value.jsonText   // {"queries":["a","b"]}
/// result.repairs          // [.strippedFence, .droppedSurroundingText, .trailingComma]
/// ```
package enum JSONRepair {
    /// One kind of damage that was repaired.
    package enum Repair: String, Sendable, Equatable, Hashable, CaseIterable {
        case strippedFence = "stripped code fence"
        case droppedSurroundingText = "dropped text around the JSON"
        case trailingComma = "removed trailing comma"
        case closedTruncated = "closed truncated JSON"
        case rawControlCharacter = "escaped raw control character"
        case pythonLiteral = "replaced Python literal"
    }

    /// A parsed value and the repairs that were needed.
    package struct Result: Sendable {
        package var value: Value
        package var repairs: [Repair]
        /// Whether the text was already valid JSON.
        package var wasClean: Bool { repairs.isEmpty }
    }

    /// Why no JSON could be recovered.
    package enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text holds no `{` (or `[` when arrays are allowed).
        case noJSON
        /// The JSON is broken beyond repair at this character offset.
        case malformed(String, offset: Int)

        package var description: String {
            switch self {
            case .noJSON: "expected a JSON object in the answer, found none"
            case .malformed(let message, let offset): "malformed JSON at character \(offset): \(message)"
            }
        }
    }

    /// Parses the first JSON object (or, with `allowArray`, array) in `text`, repairing as needed.
    ///
    /// - Throws: ``Failure`` when there is no JSON or it cannot be repaired.
    package static func parse(_ text: String, allowArray: Bool = false) throws(Failure) -> Result {
        var repairs: [Repair] = []
        var body = text
        if let unfenced = stripFence(body) {
            body = unfenced
            repairs.append(.strippedFence)
        }
        let scalars = Array(body.unicodeScalars)
        guard let start = scalars.firstIndex(where: { $0 == "{" || (allowArray && $0 == "[") }) else {
            throw .noJSON
        }
        if scalars[..<start].contains(where: { !$0.properties.isWhitespace }) {
            repairs.append(.droppedSurroundingText)
        }
        var reader = Reader(scalars: scalars, index: start)
        let value = try reader.parseValue()
        reader.skipWhitespace()
        if reader.index < scalars.count, !repairs.contains(.droppedSurroundingText) {
            repairs.append(.droppedSurroundingText)
        }
        for repair in Repair.allCases where reader.repairs.contains(repair) && !repairs.contains(repair) {
            repairs.append(repair)
        }
        return Result(value: value, repairs: repairs)
    }

    /// The content of the first fenced code block, or `nil` when the text has no fence.
    ///
    /// An unterminated fence (a truncated answer) yields everything after the opening line.
    static func stripFence(_ text: String) -> String? {
        guard let open = text.range(of: "```") else { return nil }
        let afterOpen = text[open.upperBound...]
        let contentStart = afterOpen.firstIndex(of: "\n").map { afterOpen.index(after: $0) } ?? afterOpen.endIndex
        let rest = text[contentStart...]
        if let close = rest.range(of: "```") { return String(rest[..<close.lowerBound]) }
        return String(rest)
    }

    /// A lenient recursive-descent JSON reader over Unicode scalars.
    private struct Reader {
        let scalars: [Unicode.Scalar]
        var index: Int
        var repairs: Set<Repair> = []
        var depth = 0

        init(scalars: [Unicode.Scalar], index: Int) {
            self.scalars = scalars
            self.index = index
        }

        var atEnd: Bool { index >= scalars.count }

        mutating func skipWhitespace() {
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        }

        mutating func parseValue() throws(Failure) -> Value {
            skipWhitespace()
            guard !atEnd else {
                repairs.insert(.closedTruncated)
                return .null
            }
            depth += 1
            defer { depth -= 1 }
            guard depth < 200 else { throw .malformed("nesting too deep", offset: index) }
            switch scalars[index] {
            case "{": return try parseObject()
            case "[": return try parseArray()
            case "\"": return .string(try parseString())
            case "-", "0"..."9": return try parseNumber()
            default: return try parseWord()
            }
        }

        private mutating func parseObject() throws(Failure) -> Value {
            index += 1
            var record = Record()
            while true {
                skipWhitespace()
                if atEnd {
                    repairs.insert(.closedTruncated)
                    return .record(record)
                }
                if scalars[index] == "}" {
                    index += 1
                    return .record(record)
                }
                guard scalars[index] == "\"" else {
                    throw .malformed("expected a quoted key, found `\(Character(scalars[index]))`", offset: index)
                }
                let key = try parseString()
                skipWhitespace()
                if atEnd {
                    repairs.insert(.closedTruncated)
                    return .record(record)
                }
                guard scalars[index] == ":" else {
                    throw .malformed("expected `:`, found `\(Character(scalars[index]))`", offset: index)
                }
                index += 1
                skipWhitespace()
                if atEnd {
                    repairs.insert(.closedTruncated)
                    return .record(record)
                }
                record[key] = try parseValue()
                skipWhitespace()
                if atEnd {
                    repairs.insert(.closedTruncated)
                    return .record(record)
                }
                if scalars[index] == "," {
                    index += 1
                    skipWhitespace()
                    if !atEnd, scalars[index] == "}" {
                        repairs.insert(.trailingComma)
                    }
                } else if scalars[index] != "}" {
                    throw .malformed("expected `,` or `}`, found `\(Character(scalars[index]))`", offset: index)
                }
            }
        }

        private mutating func parseArray() throws(Failure) -> Value {
            index += 1
            var items: [Value] = []
            while true {
                skipWhitespace()
                if atEnd {
                    repairs.insert(.closedTruncated)
                    return .list(items)
                }
                if scalars[index] == "]" {
                    index += 1
                    return .list(items)
                }
                items.append(try parseValue())
                skipWhitespace()
                if atEnd {
                    repairs.insert(.closedTruncated)
                    return .list(items)
                }
                if scalars[index] == "," {
                    index += 1
                    skipWhitespace()
                    if !atEnd, scalars[index] == "]" { repairs.insert(.trailingComma) }
                } else if scalars[index] != "]" {
                    throw .malformed("expected `,` or `]`, found `\(Character(scalars[index]))`", offset: index)
                }
            }
        }

        private mutating func parseString() throws(Failure) -> String {
            index += 1
            var out = String.UnicodeScalarView()
            while index < scalars.count {
                let c = scalars[index]
                index += 1
                switch c {
                case "\"": return String(out)
                case "\\":
                    guard index < scalars.count else { break }
                    let e = scalars[index]
                    index += 1
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "b": out.append("\u{08}")
                    case "f": out.append("\u{0C}")
                    case "u": out.append(contentsOf: parseUnicodeEscape().unicodeScalars)
                    default: out.append(e)  // \" \\ \/ and unknown escapes keep the character
                    }
                default:
                    if c.value < 0x20 { repairs.insert(.rawControlCharacter) }
                    out.append(c)
                }
            }
            repairs.insert(.closedTruncated)
            return String(out)
        }

        /// Reads the 4 hex digits after `\u` (and a following low surrogate); invalid escapes become U+FFFD.
        private mutating func parseUnicodeEscape() -> String {
            func hex4() -> UInt32? {
                guard index + 4 <= scalars.count else { return nil }
                let digits = String(String.UnicodeScalarView(scalars[index..<index + 4]))
                guard let v = UInt32(digits, radix: 16) else { return nil }
                index += 4
                return v
            }
            guard let high = hex4() else { return "\u{FFFD}" }
            if (0xD800...0xDBFF).contains(high), index + 1 < scalars.count, scalars[index] == "\\",
                scalars[index + 1] == "u"
            {
                index += 2
                if let low = hex4(), (0xDC00...0xDFFF).contains(low) {
                    let combined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    return Unicode.Scalar(combined).map { String($0) } ?? "\u{FFFD}"
                }
                return "\u{FFFD}"
            }
            return Unicode.Scalar(high).map { String($0) } ?? "\u{FFFD}"
        }

        private mutating func parseNumber() throws(Failure) -> Value {
            let start = index
            var isInteger = true
            if scalars[index] == "-" { index += 1 }
            while index < scalars.count {
                let c = scalars[index]
                if ("0"..."9").contains(c) {
                    index += 1
                } else if c == "." || c == "e" || c == "E" || ((c == "+" || c == "-") && index > start) {
                    isInteger = false
                    index += 1
                } else {
                    break
                }
            }
            let text = String(String.UnicodeScalarView(scalars[start..<index]))
            if isInteger, let i = Int(text) { return .int(i) }
            if let d = Double(text) { return .double(d) }
            if atEnd {
                repairs.insert(.closedTruncated)
                return .null
            }
            throw .malformed("expected a number, found `\(text)`", offset: start)
        }

        private mutating func parseWord() throws(Failure) -> Value {
            let start = index
            while index < scalars.count, scalars[index].properties.isAlphabetic { index += 1 }
            let word = String(String.UnicodeScalarView(scalars[start..<index]))
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            case "True":
                repairs.insert(.pythonLiteral)
                return .bool(true)
            case "False":
                repairs.insert(.pythonLiteral)
                return .bool(false)
            case "None":
                repairs.insert(.pythonLiteral)
                return .null
            default:
                if atEnd, !word.isEmpty, ["true", "false", "null"].contains(where: { $0.hasPrefix(word) }) {
                    repairs.insert(.closedTruncated)
                    return .null
                }
                let found = word.isEmpty ? String(Character(scalars[start])) : word
                throw .malformed("expected a value, found `\(found)`", offset: start)
            }
        }
    }
}
