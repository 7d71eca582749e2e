import Foundation
import SynthValues

/// Writes language values as JSON, keeping record fields in order.
///
/// Domain objects are written as their summary string unless they provide their own JSON
/// (``JSONExportable``).
package enum ValueJSON {
    /// The value as compact JSON text.
    package static func encode(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? "\(d)" : "null"
        case .string(let s): return quote(s)
        case .list(let items): return "[" + items.map(encode).joined(separator: ",") + "]"
        case .record(let record):
            return "{" + record.pairs.map { quote($0.key) + ":" + encode($0.value) }.joined(separator: ",") + "}"
        case .object(let object as any JSONExportable): return encode(object.jsonValue)
        case .object(let object): return quote(object.summary)
        }
    }

    /// A JSON string literal.
    package static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let s where s.value < 0x20: out += String(format: "\\u%04x", s.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// A domain object that can be exported as plain data (records and lists) for JSON and JSONL.
package protocol JSONExportable: DomainObject {
    /// The object as plain data.
    var jsonValue: Value { get }
    /// One value per JSONL line (default: the items of ``jsonValue`` when it is a list).
    var jsonLines: [Value] { get }
}

extension JSONExportable {
    package var jsonLines: [Value] {
        if case .list(let items) = jsonValue { return items }
        return [jsonValue]
    }
}
