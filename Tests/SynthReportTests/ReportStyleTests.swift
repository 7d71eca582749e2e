import Foundation
import SynthValues
import Testing

@testable import SynthReport

@Suite struct ReportStyleTests {
    /// Wide tables scroll inside their own box instead of widening the page: metric tables sit in a
    /// `.table-scroll` wrapper, and plain tables (params, cells) scroll themselves.
    @Test func wideTablesScrollInsideTheirBox() {
        #expect(
            ReportStyle.css.contains(
                ".table-scroll,table.plain{display:block;max-width:100%;overflow-x:auto}"))
        var table = Table(caption: "wide", columns: ["system"] + (1...30).map { "measure_\($0)" })
        table.rows = [.init(label: "bm25", cells: (1...30).map { .number(Double($0)) })]
        let html = TableHTML.render(table, number: 1)
        #expect(html.contains("<div class=\"table-scroll\"><table class=\"metrics\">"))
        #expect(html.contains("</table></div>"))
    }
}
