import Foundation
import SynthCommands
import SynthReport
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

@Suite struct TableVerbTests {
    /// Counts in a record-of-records table print as integers ("34", not "34.0000"); other numbers keep
    /// four decimals, and both still count as numbers for the report's best/second marking.
    @Test func integerCountsPrintAsIntegers() async throws {
        let interpreter = try makeInterpreter()
        let result = try await runCell(interpreter, """
            t = table {metropolis: {proposals: 34, accepted: 30, rate: 0.8824, zero: 0}, strict: {proposals: 34, accepted: 0, rate: 0.0, zero: 0}} caption="chains"
            show t
            """)
        guard case .table(let table)? = result.outputs.last else {
            Issue.record("expected a table, found \(result.outputs)"); return
        }
        #expect(table.columns == ["proposals", "accepted", "rate", "zero"])
        #expect(table.rows.map { $0.cells.map(\.text) } == [["34", "30", "0.8824", "0"], ["34", "0", "0.0000", "0"]])
        #expect(table.rows.map { $0.cells.map(\.number) } == [[34, 30, 0.8824, 0], [34, 0, 0, 0]])
        let html = TableHTML.render(table, number: 1)
        #expect(html.contains("<tr><th scope=\"row\">metropolis</th><td class=\"num\">34</td><td class=\"num\">30</td>"))
        #expect(!html.contains("34.0000"))
    }
}
