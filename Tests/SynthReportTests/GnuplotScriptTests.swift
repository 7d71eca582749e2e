import Foundation
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthReport

/// The data lines of datablock `name` in a gnuplot script.
private func datablock(_ name: String, in script: String) -> [String] {
    guard let start = script.range(of: "\(name) << EOD\n") else { return [] }
    let rest = script[start.upperBound...]
    guard let end = rest.range(of: "EOD\n") else { return [] }
    return rest[..<end.lowerBound].split(separator: "\n").map(String.init)
}

@Suite struct GnuplotScriptTests {
    @Test func histogramBinsSharedRangeAndClampsTheTopEdge() {
        let binning = Histogram(low: 0, high: 1, bins: 4)
        #expect(binning.width == 0.25)
        #expect(binning.center(0) == 0.125)
        // 1.0 is the upper edge: last bin; -0.1 and 1.5 are outside; NaN is skipped.
        #expect(binning.counts([0, 0.1, 0.25, 0.5, 0.74, 1, -0.1, 1.5, .nan]) == [2, 1, 2, 1])
        let plot = Plot(
            kind: .histogram, title: "",
            series: [Series(name: "a", x: [], y: [2, 4]), Series(name: "b", x: [], y: [6])],
            bins: 2)
        #expect(Histogram(plot) == Histogram(low: 2, high: 6, bins: 2))
        #expect(
            Histogram(Plot(kind: .histogram, title: "", series: [Series(name: "a", x: [], y: [3, 3])]))
                .width > 0)
        var ranged = plot
        ranged.range = [0, 10]
        #expect(Histogram(ranged) == Histogram(low: 0, high: 10, bins: 2))
    }

    @Test func histogramScriptPlacesSeriesSideBySideInEachBin() {
        let plot = Plot(
            kind: .histogram, title: "reward", xLabel: "r", yLabel: "count",
            series: [
                Series(name: "before", x: [], y: [0, 0, 0.5, 1]),
                Series(name: "after", x: [], y: [0.5, 1, 1, 1]),
            ], bins: 2, range: [0, 1])
        let script = GnuplotScript.script(for: plot, output: "/tmp/h.svg")
        #expect(script.contains("set xrange [0:1]"))
        #expect(script.contains("set yrange [0:*]"))
        #expect(script.contains("set ytics 1"))  // whole counts
        #expect(script.contains("set boxwidth 0.225"))
        // Bin centres 0.25 and 0.75, each series shifted by a quarter of the bin width.
        #expect(datablock("$D0", in: script) == ["0.125 2", "0.625 2"])
        #expect(datablock("$D1", in: script) == ["0.375 0", "0.875 4"])
        #expect(script.contains("$D1 using 1:2 with boxes lc rgb '#d62728' title 'after' noenhanced"))
        #expect(!script.contains("logscale"))
    }

    @Test func histogramCountTicsAreWholeNumbers() {
        func tics(_ n: Int) -> String {
            let plot = Plot(
                kind: .histogram, title: "", series: [Series(name: "a", x: [], y: Array(repeating: 1, count: n))])
            return GnuplotScript.script(for: plot, output: "o.svg")
        }
        #expect(tics(3).contains("set ytics 1\n"))
        #expect(tics(15).contains("set ytics 2\n"))
        #expect(tics(45).contains("set ytics 5\n"))
        #expect(tics(300).contains("set ytics 50\n"))
    }

    @Test func logAxesDropEmptyBinsAndZeroFloors() {
        let histogram = Plot(
            kind: .histogram, title: "", series: [Series(name: "a", x: [], y: [0, 0, 0, 1])], bins: 2,
            log: "y")
        let script = GnuplotScript.script(for: histogram, output: "o.svg")
        #expect(script.contains("set logscale y"))
        #expect(!script.contains("set yrange [0:*]"))
        #expect(datablock("$D0", in: script) == ["0.25 3", "0.75 1"])
        let line = Plot(
            kind: .line, title: "", series: [Series(name: "a", x: [1, 10], y: [1, 2])], log: "xy")
        let lineScript = GnuplotScript.script(for: line, output: "o.svg")
        #expect(lineScript.contains("set logscale x") && lineScript.contains("set logscale y"))
        // Categories have no numeric x axis, so `x` is ignored for bar plots.
        let bar = Plot(kind: .bar, title: "", series: [Series(name: "a", x: [1], y: [1])], log: "x")
        #expect(!GnuplotScript.script(for: bar, output: "o.svg").contains("logscale"))
    }

    @Test func legendSitsAboveThePlotNotOnTheXLabel() {
        let script = GnuplotScript.script(
            for: Plot(
                kind: .line, title: "t", xLabel: "step", series: [Series(name: "a", x: [1], y: [1])]),
            output: "o.svg")
        #expect(
            script.contains(
                "set key noenhanced horizontal maxcols 4 center bottom at graph 0.5, graph 1.02"))
        #expect(
            script.contains("set tmargin 4.1") && script.contains("set title 't' noenhanced offset 0,1.1")
        )
        #expect(!script.contains("below"))
        // Five series make two key rows: a taller top margin.
        let five = Plot(
            kind: .line, title: "", series: (1...5).map { Series(name: "s\($0)", x: [1], y: [1]) })
        #expect(GnuplotScript.script(for: five, output: "o.svg").contains("set tmargin 3.7"))
    }

    @Test func histogramTextIsQuotedLiterally() {
        let plot = Plot(
            kind: .histogram, title: "r(x')_{β}\nnext", xLabel: "a'b",
            series: [Series(name: "it's", x: [], y: [1, 2])])
        let script = GnuplotScript.script(for: plot, output: "it's.svg")
        #expect(script.contains("set output 'it''s.svg'"))
        #expect(script.contains("set title 'r(x'')_{β} next' noenhanced"))
        #expect(script.contains("set xlabel 'a''b' noenhanced"))
        #expect(script.contains("title 'it''s' noenhanced"))
    }

    @Test(.enabled(if: PlotRenderer().gnuplot != nil, "gnuplot not installed"))
    func histogramRendersToSVGWithBoxesAndLegend() throws {
        var renderer = PlotRenderer()
        renderer.cacheFolder = nil
        let plot = Plot(
            kind: .histogram, title: "rewards <before> & after", xLabel: "reward", yLabel: "chains",
            series: [
                Series(name: "before_x", x: [], y: [0, 0, 0.2, 0.5, 1]),
                Series(name: "after", x: [], y: [0.5, 1, 1, 1, 0.2]),
            ], bins: 5, range: [0, 1], log: "y")
        guard case .svg(let svg) = renderer.render(plot, idPrefix: "h1-") else {
            Issue.record("expected an SVG")
            return
        }
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("<title>rewards &lt;before&gt; &amp; after</title>"))
        // noenhanced: the underscore is not a subscript; gnuplot escapes < and & in SVG text itself.
        #expect(svg.contains(">before_x</text>"))
        #expect(svg.contains(">after</text>"))
        #expect(svg.contains("id=\"h1-gnuplot_canvas\""))
        // Filled boxes for both series: gnuplot draws each box as a filled path.
        // Filled boxes of both colours (gnuplot writes `fill = 'rgb( 31, 119, 180)'`).
        #expect(
            svg.contains("fill = 'rgb( 31, 119, 180)'") && svg.contains("fill = 'rgb(214,  39,  40)'"))
    }
}
