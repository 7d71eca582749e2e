import Foundation
import SynthValues

extension Value {
    /// The value as compact JSON text, keeping record field order.
    ///
    /// Domain objects are written as their summary string; non-finite numbers as `null`.
    /// For example `.record(["a": .int(1), "b": .list([.string("x")])])` → `{"a":1,"b":["x"]}`.
    package var jsonText: String {
        var out = ""
        writeJSON(into: &out)
        return out
    }

    private func writeJSON(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? jsonNumber(d) : "null"
        case .string(let s): out += jsonQuoted(s)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeJSON(into: &out)
            }
            out += "]"
        case .record(let record):
            out += "{"
            for (i, pair) in record.pairs.enumerated() {
                if i > 0 { out += "," }
                out += jsonQuoted(pair.key) + ":"
                pair.value.writeJSON(into: &out)
            }
            out += "}"
        case .object(let object): out += jsonQuoted(object.summary)
        }
    }

    /// The string payload, or `nil` for other kinds.
    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The list payload, or `nil` for other kinds.
    package var listValue: [Value]? {
        if case .list(let items) = self { return items }
        return nil
    }
}

/// A JSON string literal with the required escapes.
package func jsonQuoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// Shortest round-tripping decimal for a finite double (`1.0` → `1.0`, `0.25` → `0.25`).
private func jsonNumber(_ d: Double) -> String {
    let text = "\(d)"
    return text
}
