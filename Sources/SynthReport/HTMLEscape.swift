/// HTML escaping for everything in a report that came from data, a model or an LLM.
package enum HTMLEscape {
    /// Escapes `& < > " '` so the text is inert in element content and in quoted attributes.
    ///
    /// ```swift
    /// HTMLEscape.text("<script>")  // "&lt;script&gt;"
    /// ```
    package static func text(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A string usable as an `id` and in `href="#…"`: letters, digits, `-` and `_`, others replaced by `-`.
    package static func anchor(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
    }
}
