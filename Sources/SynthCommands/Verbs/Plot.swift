import SynthValues

/// `plot`: a line, bar, histogram or scatter plot from lists of numbers, drawn in the report.
package enum PlotCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "plot",
        summary: "draw a line, bar, histogram or scatter plot from series of numbers (loss curves, scores)",
        discussion: """
            `y` is a list of numbers (one series), a record of named lists (one series each), or an evaluation \
            (a bar plot: one series per measure, one bar per system). `x` defaults to 1, 2, …; for bar plots \
            `labels` names the categories. Histograms take the raw values in `y` (a record of lists overlays \
            several distributions, drawn side by side in each bin) and count them in `bins` equal-width bins over \
            `range` (default: the smallest to the largest value of all series). `log="y"` (or `"x"`, `"xy"`) draws \
            an axis on a log scale (`x` only for line and scatter plots).
            """,
        positional: [
            ArgSpec(
                "kind", .choice(["line", "bar", "histogram", "scatter"]), default: .string("line"),
                doc: "the kind of plot")
        ],
        keywords: [
            ArgSpec(
                "y", .oneOf([.list(.number), .record, .object("evaluation")]),
                doc: "the values: a list of numbers, a record of lists, or an evaluation"),
            ArgSpec("x", .list(.number), optional: true, doc: "x positions shared by all series (default 1, 2, …)"),
            ArgSpec("labels", .list(.string), optional: true, doc: "category names for bar plots"),
            ArgSpec("title", .string, default: .string(""), doc: "the plot title"),
            ArgSpec("xlabel", .string, default: .string(""), doc: "the x axis label"),
            ArgSpec("ylabel", .string, default: .string(""), doc: "the y axis label"),
            ArgSpec("bins", .int, default: .int(20), doc: "histogram bins"),
            ArgSpec(
                "range", .list(.number), optional: true, doc: "histogram range `[low, high]` (default: the data's)"),
            ArgSpec("log", .choice(["x", "y", "xy"]), optional: true, doc: "the axes drawn on a log scale"),
        ],
        result: "plot",
        example: "plot histogram y={before: [0, 0.5, 1], after: [0.5, 1, 1]} bins=10 range=[0, 1] xlabel=\"reward\"")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let kind = Plot.Kind(rawValue: call.string("kind") ?? "line") ?? .line
        let log = call.string("log").flatMap { $0.isEmpty ? nil : $0 }
        if case .object(let evaluation as EvaluationObject)? = call["y"] {
            let names = evaluation.systems.map(\.name)
            let series = evaluation.measures.map { measure in
                Series(
                    name: measure.description, x: names.indices.map { Double($0 + 1) },
                    y: evaluation.systems.map { $0.evaluation.mean[measure] ?? 0 }, labels: names)
            }
            let plot = Plot(
                kind: .bar, title: call.string("title").flatMap { $0.isEmpty ? nil : $0 } ?? evaluation.label,
                xLabel: call.string("xlabel") ?? "", yLabel: call.string("ylabel") ?? "", series: series, log: log)
            return VerbOutcome(value: .object(PlotObject(plot)))
        }
        var named: [(String, [Value])] = []
        switch call["y"] {
        case .list(let items)?: named = [(call.string("ylabel").flatMap { $0.isEmpty ? nil : $0 } ?? "y", items)]
        case .record(let record)?:
            for (key, value) in record.pairs {
                guard case .list(let items) = value else {
                    throw call.error("expected a list of numbers for series `\(key)`, found \(value.typeName)")
                }
                named.append((key, items))
            }
        default: throw call.error("expected a list or record for `y`")
        }
        let labels = call.strings("labels")
        let sharedX = call["x"].flatMap { value -> [Double]? in
            if case .list(let items) = value { return items.compactMap(\.doubleValue) }
            return nil
        }
        var series: [Series] = []
        for (name, items) in named {
            var ys: [Double] = []
            for item in items {
                guard let number = item.doubleValue else {
                    throw call.error("expected numbers in series `\(name)`, found \(item.typeName)")
                }
                ys.append(number)
            }
            let xs = sharedX ?? ys.indices.map { Double($0 + 1) }
            if xs.count != ys.count {
                throw call.error("expected \(ys.count) x values for series `\(name)`, found \(xs.count)")
            }
            series.append(Series(name: name, x: xs, y: ys, labels: labels))
        }
        var bins: Int? = nil
        var range: [Double]? = nil
        if kind == .histogram {
            bins = call.int("bins") ?? 20
            guard let count = bins, (1...1000).contains(count) else {
                throw call.error("expected bins between 1 and 1000, found \(bins ?? 0)")
            }
            if case .list(let items)? = call["range"] {
                let bounds = items.compactMap(\.doubleValue)
                guard bounds.count == 2 else {
                    throw call.error("expected range=[low, high], found \(items.count) values")
                }
                guard bounds[0] < bounds[1] else {
                    throw call.error(
                        "expected range low < high, found [\(formatNumber(bounds[0])), \(formatNumber(bounds[1]))]")
                }
                range = bounds
            }
        }
        let plot = Plot(
            kind: kind, title: call.string("title") ?? "", xLabel: call.string("xlabel") ?? "",
            yLabel: call.string("ylabel") ?? "", series: series, bins: bins, range: range, log: log)
        return VerbOutcome(value: .object(PlotObject(plot)))
    }
}
