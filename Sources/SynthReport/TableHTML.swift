import SynthValues

/// Renders a ``Table`` as a metrics table: numbers right-aligned, best per column in bold (ties included),
/// second best underlined, direction arrows in the header, significance markers, legend and a numbered caption.
///
/// Wide tables stay inside the page: header names wrap after `.` and `_`, and a table still wider than the
/// page scrolls sideways inside its own `.table-scroll` box (with edge shadows showing there is more).
package enum TableHTML {
    /// - Parameter number: the table's number in the report ("Table 2").
    package static func render(_ table: Table, number: Int) -> String {
        let cellCount = table.rows.map(\.cells.count).max() ?? max(0, table.columns.count - 1)
        // `columns` either names only the value columns or also the row-label column first.
        let offset = table.columns.count > cellCount ? table.columns.count - cellCount : 0
        let labelHeader = offset > 0 ? table.columns[0] : ""
        func direction(_ column: Int) -> Bool? {
            let i = column + offset
            return i < table.higherIsBetter.count ? table.higherIsBetter[i] : nil
        }
        var ranks: [[Int?]] = Array(repeating: Array(repeating: nil, count: cellCount), count: table.rows.count)
        for column in 0..<cellCount {
            guard let higher = direction(column) else { continue }
            let values = table.rows.compactMap { row in
                column < row.cells.count ? row.cells[column].number.flatMap { $0.isNaN ? nil : $0 } : nil
            }
            let distinct = Array(Set(values)).sorted { higher ? $0 > $1 : $0 < $1 }
            guard distinct.count > 1 else { continue }
            for (r, row) in table.rows.enumerated() where column < row.cells.count {
                guard let value = row.cells[column].number, !value.isNaN else { continue }
                if value == distinct[0] { ranks[r][column] = 1 } else if distinct.count > 2, value == distinct[1] {
                    ranks[r][column] = 2
                }
            }
        }
        var html = "<figure class=\"table\" id=\"tbl-\(number)\">\n"
        html += "<figcaption>Table \(number)"
        if !table.caption.isEmpty { html += ": " + HTMLEscape.text(table.caption) }
        html += "</figcaption>\n<div class=\"table-scroll\"><table class=\"metrics\">\n<thead><tr><th scope=\"col\">"
        html += HTMLEscape.text(labelHeader) + "</th>"
        for column in 0..<cellCount {
            let name = column + offset < table.columns.count ? table.columns[column + offset] : ""
            let arrow = direction(column).map { $0 ? "&nbsp;↑" : "&nbsp;↓" } ?? ""
            html += "<th scope=\"col\">\(breakable(name))\(arrow)</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for (r, row) in table.rows.enumerated() {
            html += "<tr><th scope=\"row\">\(HTMLEscape.text(row.label))</th>"
            for column in 0..<cellCount {
                guard column < row.cells.count else { html += "<td></td>"; continue }
                let cell = row.cells[column]
                var content = HTMLEscape.text(cell.text)
                switch ranks[r][column] {
                case 1: content = "<strong>\(content)</strong>"
                case 2: content = "<u>\(content)</u>"
                default: break
                }
                if !cell.marker.isEmpty { content += "<sup class=\"marker\">\(HTMLEscape.text(cell.marker))</sup>" }
                html += cell.number != nil ? "<td class=\"num\">\(content)</td>" : "<td>\(content)</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody></table></div>\n"
        var legend = table.legend.map(HTMLEscape.text)
        if table.higherIsBetter.contains(where: { $0 != nil }) {
            legend.insert("best per column in <strong>bold</strong>, second <u>underlined</u>; ↑ higher is better, ↓ lower is better", at: 0)
        }
        if !legend.isEmpty { html += "<p class=\"legend\">" + legend.joined(separator: "<br>") + "</p>\n" }
        html += "</figure>\n"
        return html
    }

    /// A column name, escaped, that may wrap after `.` and `_` (`recall.<wbr>100`), so that a table of many
    /// trec_eval measures narrows its header row to fit the page instead of overflowing it.
    static func breakable(_ name: String) -> String {
        var html = ""
        var rest = Substring(name)
        while let next = rest.firstIndex(where: { $0 == "." || $0 == "_" }) {
            let after = rest.index(after: next)
            html += HTMLEscape.text(String(rest[..<after]))
            if after < rest.endIndex { html += "<wbr>" }
            rest = rest[after...]
        }
        return html + HTMLEscape.text(String(rest))
    }
}
