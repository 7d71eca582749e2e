import Foundation
import SynthCommands
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// The plots among a cell's outputs.
private func plots(_ result: CellResult) -> [Plot] {
    result.outputs.compactMap { if case .plot(let plot) = $0 { plot } else { nil } }
}

@Suite struct PlotVerbTests {
    @Test func histogramOverlaysNamedDistributionsWithBinsRangeAndLogAxis() async throws {
        let interpreter = try makeInterpreter()
        let result = try await runCell(
            interpreter,
            """
            r = {before: [0, 0.5, 1], after: [0.5, 1, 1]}
            plot histogram y={before: r.before, after: r.after} bins=10 range=[0, 1] log="y" xlabel="reward"
            """)
        let plot = try #require(plots(result).first)
        #expect(plot.kind == .histogram)
        #expect(plot.series.map(\.name) == ["before", "after"])
        #expect(plot.series[1].y == [0.5, 1, 1])
        #expect(plot.bins == 10 && plot.range == [0, 1] && plot.log == "y")
        #expect(plot.xLabel == "reward")
    }

    @Test func linePlotsKeepNoBinningAndDefaultToLinearAxes() async throws {
        let interpreter = try makeInterpreter()
        let plot = try #require(plots(try await runCell(interpreter, "plot line y=[3, 2, 1]")).first)
        #expect(plot.bins == nil && plot.range == nil && plot.log == nil)
        #expect(plot.series.first?.x == [1, 2, 3])
    }

    @Test(arguments: [
        ("plot histogram y=[1, 2] bins=0", "expected bins between 1 and 1000, found 0"),
        ("plot histogram y=[1, 2] range=[1]", "expected range=[low, high], found 1 values"),
        ("plot histogram y=[1, 2] range=[2, 1]", "expected range low < high, found [2, 1]"),
    ])
    func badHistogramOptionsAreErrorsAtTheCall(source: String, message: String) async throws {
        let interpreter = try makeInterpreter()
        do {
            try await runCell(interpreter, source)
            Issue.record("expected an error")
        } catch let error as Diagnostic {
            #expect(error.message == message)
            #expect(error.location?.line == 1)
        }
    }

    @Test func logAcceptsOnlyAxisNames() async throws {
        let interpreter = try makeInterpreter()
        let error = try #require(
            try await diagnostic(in: interpreter, "plot line y=[1] log=\"z\"", line: 1))
        #expect(
            error.message.hasPrefix("expected one of \"x\", \"y\", \"xy\" for argument `log` of `plot`"))
    }
}
