import Foundation
import SynthValues

/// Builds a gnuplot script for a ``Plot``, treating every piece of user text as plain text.
///
/// Titles, labels and series names go into single-quoted gnuplot strings (no backslash escapes, `''` is a
/// quote), newlines become spaces, and the terminal and every text element are `noenhanced`, so `_`, `^`,
/// `{}` and `@` are shown as typed. Data goes into inline datablocks with numbers only; bar categories are
/// placed with explicit `xtics` strings, never parsed from the data.
package enum GnuplotScript {
    /// A quoted gnuplot string literal for arbitrary text.
    package static func quote(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        return "'" + flat.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Formats a number for a datablock (`NaN` for missing points).
    package static func number(_ value: Double) -> String {
        value.isFinite ? String(format: "%.10g", value) : "NaN"
    }

    /// Whether the plot has anything to draw.
    package static func hasData(_ plot: Plot) -> Bool {
        plot.series.contains { series in series.y.contains { $0.isFinite } }
    }

    /// The script; it writes the SVG to `output`.
    package static func script(for plot: Plot, output: String) -> String {
        let keyRows = (plot.series.count + 3) / 4
        var lines = [
            "set output \(quote(output))",
            "set terminal svg size 640,400 dynamic noenhanced font 'sans,11' background rgb 'white'",
            "set encoding utf8",
            // The key sits in the top margin between the title and the plot (never on the x label or on
            // rotated category names); the margin grows with its rows of at most four entries.
            "set key noenhanced horizontal maxcols 4 center bottom at graph 0.5, graph 1.02",
            "set tmargin \(number(Double(keyRows) * 1.1 + (plot.title.isEmpty ? 1.5 : 3)))",
            "set title \(quote(plot.title)) noenhanced offset 0,\(number(Double(keyRows) * 1.1))",
            "set xlabel \(quote(plot.xLabel)) noenhanced",
            "set ylabel \(quote(plot.yLabel)) noenhanced",
            "set grid ytics lc rgb '#dddddd'",
            "set border 3",
            "set tics nomirror",
        ]
        let logX = (plot.kind == .line || plot.kind == .scatter) && (plot.log ?? "").contains("x")
        let logY = (plot.log ?? "").contains("y")
        if logX { lines.append("set logscale x") }
        if logY { lines.append("set logscale y") }
        let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
        func color(_ i: Int) -> String { "lc rgb '\(palette[i % palette.count])'" }
        var plots: [String] = []
        switch plot.kind {
        case .line, .scatter:
            let style = plot.kind == .line ? "linespoints pt 7 ps 0.5 lw 2" : "points pt 7 ps 0.6"
            for (i, series) in plot.series.enumerated() {
                lines.append("$D\(i) << EOD")
                for (j, y) in series.y.enumerated() {
                    let x = j < series.x.count ? series.x[j] : Double(j + 1)
                    lines.append("\(number(x)) \(number(y))")
                }
                lines.append("EOD")
                plots.append("$D\(i) using 1:2 with \(style) \(color(i)) title \(quote(series.name)) noenhanced")
            }
        case .bar:
            let categories =
                plot.series.first.map { series in
                    series.labels ?? series.x.map { formatNumber($0) }
                } ?? []
            let count = max(categories.count, plot.series.map(\.y.count).max() ?? 0)
            let width = 0.8 / Double(max(1, plot.series.count))
            lines.append("set boxwidth \(number(width * 0.95))")
            lines.append("set style fill solid 0.85 border -1")
            lines.append("set xrange [-0.6:\(number(Double(count) - 0.4))]")
            if !logY { lines.append("set yrange [0:*]") }
            let tics = (0..<count).map { i in "\(quote(i < categories.count ? categories[i] : String(i + 1))) \(i)" }
            lines.append("set xtics (\(tics.joined(separator: ", "))) noenhanced")
            if count > 6 { lines.append("set xtics rotate by 30 right") }
            for (s, series) in plot.series.enumerated() {
                lines.append("$D\(s) << EOD")
                let shift = (Double(s) - Double(plot.series.count - 1) / 2) * width
                for (i, y) in series.y.enumerated() { lines.append("\(number(Double(i) + shift)) \(number(y))") }
                lines.append("EOD")
                plots.append("$D\(s) using 1:2 with boxes \(color(s)) title \(quote(series.name)) noenhanced")
            }
        case .histogram:
            let binning = Histogram(plot)
            let count = max(1, plot.series.count)
            let width = binning.width / Double(count)
            lines.append("set boxwidth \(number(width * 0.9))")
            lines.append("set style fill solid 0.75 border -1")
            lines.append("set xrange [\(number(binning.low)):\(number(binning.high))]")
            if !logY {
                // Counts are whole numbers: tics every 1, 2, 5, 10, … so that about 4–10 are drawn.
                let most = plot.series.map { binning.counts($0.y).max() ?? 0 }.max() ?? 0
                let step =
                    [1, 2, 5].flatMap { unit in (0..<7).map { unit * Int(pow(10, Double($0))) } }.sorted()
                    .first { most / $0 <= 10 } ?? 1
                lines.append("set yrange [0:*]")
                lines.append("set ytics \(step)")
            }
            for (s, series) in plot.series.enumerated() {
                let shift = (Double(s) - Double(count - 1) / 2) * width
                lines.append("$D\(s) << EOD")
                for (b, n) in binning.counts(series.y).enumerated() where !(logY && n == 0) {
                    lines.append("\(number(binning.center(b) + shift)) \(n)")
                }
                lines.append("EOD")
                plots.append("$D\(s) using 1:2 with boxes \(color(s)) title \(quote(series.name)) noenhanced")
            }
        }
        lines.append("plot " + plots.joined(separator: ", \\\n     "))
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Equal-width bins over a plot's values, shared by all its series so they can be compared bin by bin.
///
/// The range is ``Plot/range`` when given, else the smallest to the largest finite value; a value equal to
/// the upper edge falls into the last bin, values outside the range are not counted.
package struct Histogram: Sendable, Equatable {
    package var low: Double
    package var high: Double
    package var bins: Int

    package init(_ plot: Plot) {
        let values = plot.series.flatMap { $0.y.filter(\.isFinite) }
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if let range = plot.range, range.count == 2, range[0].isFinite, range[1].isFinite, range[0] < range[1] {
            low = range[0]
            high = range[1]
        }
        if !(high > low) {
            low -= 0.5
            high += 0.5
        }
        self.init(low: low, high: high, bins: plot.bins ?? 20)
    }

    package init(low: Double, high: Double, bins: Int) {
        self.low = low
        self.high = high
        self.bins = max(1, min(bins, 1000))
    }

    /// The width of one bin.
    package var width: Double { (high - low) / Double(bins) }

    /// The centre of bin `index`.
    package func center(_ index: Int) -> Double { low + (Double(index) + 0.5) * width }

    /// How many of `values` fall into each bin.
    package func counts(_ values: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: bins)
        for value in values where value.isFinite && value >= low && value <= high {
            counts[min(bins - 1, Int((value - low) / width))] += 1
        }
        return counts
    }
}
