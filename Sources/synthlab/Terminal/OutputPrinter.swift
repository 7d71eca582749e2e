import Foundation
import SynthValues

/// Shows cell outputs on a terminal: text as is, tables as aligned columns, plots as a one-line note
/// (they are drawn in reports), errors as diagnostics on stderr.
enum OutputPrinter {
    static func print(_ outputs: [CellOutput]) {
        for output in outputs {
            switch output {
            case .text(let text): write(text.hasSuffix("\n") ? text : text + "\n")
            case .table(let table): write(render(table))
            case .plot(let plot):
                write("[plot \(plot.kind.rawValue): \(plot.title.isEmpty ? "untitled" : plot.title), "
                    + "\(plot.series.count) series; drawn in reports (:report FILE.html)]\n")
            case .error(let diagnostic): DiagnosticPrinter.print(diagnostic)
            }
        }
    }

    /// A table as plain aligned text: the caption, a header, a rule, right-aligned numbers, then the legend.
    static func render(_ table: Table) -> String {
        let width = table.rows.map(\.cells.count).max() ?? max(0, table.columns.count - 1)
        let offset = table.columns.count > width ? table.columns.count - width : 0
        var header = [offset > 0 ? table.columns[0] : ""]
        for i in 0..<width { header.append(i + offset < table.columns.count ? table.columns[i + offset] : "") }
        var rows = [header]
        for row in table.rows {
            rows.append([row.label] + (0..<width).map { i in i < row.cells.count ? row.cells[i].text + row.cells[i].marker : "" })
        }
        var widths = [Int](repeating: 0, count: width + 1)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        var text = table.caption.isEmpty ? "" : table.caption + "\n"
        text += line(rows[0]) + "\n" + String(repeating: "-", count: widths.reduce(0, +) + 2 * width) + "\n"
        for row in rows.dropFirst() { text += line(row) + "\n" }
        for legend in table.legend { text += legend + "\n" }
        return text
    }

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
