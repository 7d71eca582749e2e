import SynthValues

/// A ``Table`` as a language value (the result of `table`), shown as a table in the report.
package struct TableObject: Displayable {
    package var table: Table
    package init(_ table: Table) { self.table = table }

    package var typeName: String { "table" }
    package var summary: String {
        "table \"\(table.caption)\": \(table.rows.count) rows × \(table.columns.count) columns"
    }
    package var fieldNames: [String] { ["caption", "columns", "rows"] }
    package func field(_ name: String) -> Value? {
        switch name {
        case "caption": .string(table.caption)
        case "columns": .list(table.columns.map { .string($0) })
        case "rows": .list(table.rows.map { .string($0.label) })
        default: nil
        }
    }
    package var display: [CellOutput] { [.table(table)] }
}

/// A ``Plot`` as a language value (the result of `plot`), drawn by the report.
package struct PlotObject: Displayable {
    package var plot: Plot
    package init(_ plot: Plot) { self.plot = plot }

    package var typeName: String { "plot" }
    package var summary: String { "\(plot.kind.rawValue) plot \"\(plot.title)\": \(plot.series.count) series" }
    package var fieldNames: [String] { ["title", "kind"] }
    package func field(_ name: String) -> Value? {
        switch name {
        case "title": .string(plot.title)
        case "kind": .string(plot.kind.rawValue)
        default: nil
        }
    }
    package var display: [CellOutput] { [.plot(plot)] }
}
