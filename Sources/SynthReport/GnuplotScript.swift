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
        var lines = [
            "set output \(quote(output))",
            "set terminal svg size 640,400 dynamic noenhanced font 'sans,11' background rgb 'white'",
            "set encoding utf8",
            "set title \(quote(plot.title)) noenhanced",
            "set xlabel \(quote(plot.xLabel)) noenhanced",
            "set ylabel \(quote(plot.yLabel)) noenhanced",
            "set key noenhanced below horizontal",
            "set grid ytics lc rgb '#dddddd'",
            "set border 3",
            "set tics nomirror",
        ]
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
            let categories = plot.series.first.map { series in
                series.labels ?? series.x.map { formatNumber($0) }
            } ?? []
            let count = max(categories.count, plot.series.map(\.y.count).max() ?? 0)
            let width = 0.8 / Double(max(1, plot.series.count))
            lines.append("set boxwidth \(number(width * 0.95))")
            lines.append("set style fill solid 0.85 border -1")
            lines.append("set xrange [-0.6:\(number(Double(count) - 0.4))]")
            lines.append("set yrange [0:*]")
            let tics = (0..<count).map { i in "\(quote(i < categories.count ? categories[i] : String(i + 1))) \(i)" }
            lines.append("set xtics (\(tics.joined(separator: ", "))) noenhanced")
            if count > 6 { lines.append("set xtics rotate by -30") }
            for (s, series) in plot.series.enumerated() {
                lines.append("$D\(s) << EOD")
                let shift = (Double(s) - Double(plot.series.count - 1) / 2) * width
                for (i, y) in series.y.enumerated() { lines.append("\(number(Double(i) + shift)) \(number(y))") }
                lines.append("EOD")
                plots.append("$D\(s) using 1:2 with boxes \(color(s)) title \(quote(series.name)) noenhanced")
            }
        case .histogram:
            let all = plot.series.flatMap { $0.y.filter(\.isFinite) }
            let low = all.min() ?? 0, high = all.max() ?? 1
            let bins = 20
            let span = high > low ? (high - low) / Double(bins) : 1
            lines.append("set boxwidth \(number(span))")
            lines.append("set style fill transparent solid 0.45 border -1")
            for (s, series) in plot.series.enumerated() {
                var counts = [Int](repeating: 0, count: bins)
                for y in series.y where y.isFinite { counts[min(bins - 1, Int((y - low) / span))] += 1 }
                lines.append("$D\(s) << EOD")
                for (b, count) in counts.enumerated() { lines.append("\(number(low + (Double(b) + 0.5) * span)) \(count)") }
                lines.append("EOD")
                plots.append("$D\(s) using 1:2 with boxes \(color(s)) title \(quote(series.name)) noenhanced")
            }
        }
        lines.append("plot " + plots.joined(separator: ", \\\n     "))
        return lines.joined(separator: "\n") + "\n"
    }
}
