import Foundation

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

extension Value {
    /// The value as compact JSON text, keeping record field order.
    ///
    /// Domain objects are written as their summary string; non-finite numbers as `null`.
    /// For example `.record(["a": .int(1), "b": .list([.string("x")])])` → `{"a":1,"b":["x"]}`.
    package var jsonText: String {
        var out = ""
        writeJSON(into: &out, exportingObjects: false)
        return out
    }

    /// The value as compact JSON text for `export`: like ``jsonText``, except that objects which are
    /// ``JSONExportable`` are written as their plain data instead of their summary.
    package var exportedJSONText: String {
        var out = ""
        writeJSON(into: &out, exportingObjects: true)
        return out
    }

    private func writeJSON(into out: inout String, exportingObjects: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? "\(d)" : "null"  // shortest round-tripping decimal
        case .string(let s): out += jsonQuoted(s)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeJSON(into: &out, exportingObjects: exportingObjects)
            }
            out += "]"
        case .record(let record):
            out += "{"
            for (i, pair) in record.pairs.enumerated() {
                if i > 0 { out += "," }
                out += jsonQuoted(pair.key) + ":"
                pair.value.writeJSON(into: &out, exportingObjects: exportingObjects)
            }
            out += "}"
        case .object(let object as any JSONExportable) where exportingObjects:
            object.jsonValue.writeJSON(into: &out, exportingObjects: true)
        case .object(let object): out += jsonQuoted(object.summary)
        }
    }
}

/// A JSON string literal with the required escapes.
///
/// With `scriptSafe`, `<`, `>`, `&`, U+2028 and U+2029 are escaped too, so the JSON can sit inside an
/// HTML `<script>` block (the report's embedded data) and holds no line separators.
package func jsonQuoted(_ s: String, scriptSafe: Bool = false) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "<", ">", "&", "\u{2028}", "\u{2029}":
            if scriptSafe { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
