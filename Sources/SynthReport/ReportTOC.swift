/// A heading of the report's prose, for the table of contents.
package struct ReportHeading: Sendable, Equatable {
    package var level: Int
    package var text: String
    package var anchor: String
}

/// Reads headings back from prose HTML whose headings carry `id="…"` anchors (``SynthNotebook`` adds them).
package enum ReportTOC {
    /// Headings with an `id`, in document order; their text has tags stripped (entities kept, already escaped).
    package static func headings(in html: String) -> [ReportHeading] {
        var result: [ReportHeading] = []
        var rest = html[...]
        while let open = rest.range(of: "<h") {
            let after = rest[open.upperBound...]
            guard let levelChar = after.first, let level = Int(String(levelChar)), (1...6).contains(level),
                  after.dropFirst().hasPrefix(" id=\""),
                  let close = after.range(of: "</h\(level)>")
            else { rest = after; continue }
            let idStart = after.index(after.startIndex, offsetBy: 6)
            guard let idEnd = after[idStart...].firstIndex(of: "\""),
                  let tagEnd = after[idEnd...].firstIndex(of: ">"), tagEnd < close.lowerBound
            else { rest = after; continue }
            let inner = after[after.index(after: tagEnd)..<close.lowerBound]
            result.append(ReportHeading(level: level, text: stripTags(String(inner)), anchor: String(after[idStart..<idEnd])))
            rest = after[close.upperBound...]
        }
        return result
    }

    /// The `<nav>` block, or an empty string when there are fewer than two headings.
    package static func render(_ headings: [ReportHeading]) -> String {
        guard headings.count >= 2 else { return "" }
        let top = headings.map(\.level).min() ?? 1
        var html = "<nav class=\"toc\" aria-label=\"Contents\"><h2>Contents</h2>\n<ol>\n"
        for heading in headings {
            let indent = String(repeating: "&nbsp;&nbsp;", count: max(0, heading.level - top))
            html += "<li>\(indent)<a href=\"#\(heading.anchor)\">\(heading.text)</a></li>\n"
        }
        return html + "</ol></nav>\n"
    }

    private static func stripTags(_ html: String) -> String {
        var out = ""
        var inTag = false
        for ch in html {
            if ch == "<" { inTag = true } else if ch == ">" { inTag = false } else if !inTag { out.append(ch) }
        }
        return out
    }
}
