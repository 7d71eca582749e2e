import SynthValues

/// `plot`: a line, bar, histogram or scatter plot from lists of numbers, drawn in the report.
package enum PlotCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "plot",
        summary: "draw a line, bar, histogram or scatter plot from series of numbers (loss curves, scores)",
        discussion: """
            `y` is a list of numbers (one series), a record of named lists (one series each), or an evaluation \
            (a bar plot: one series per measure, one bar per system). `x` defaults to 1, 2, …; for bar plots \
            `labels` names the categories. Histograms take the raw values in `y` and the report bins them.
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
        ],
        result: "plot",
        example: "plot line y={train: [0.9, 0.6, 0.4]} title=\"loss\" xlabel=\"step\"")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let kind = Plot.Kind(rawValue: call.string("kind") ?? "line") ?? .line
        if case .object(let evaluation as EvaluationObject)? = call["y"] {
            let names = evaluation.systems.map(\.name)
            let series = evaluation.measures.map { measure in
                Series(
                    name: measure.description, x: names.indices.map { Double($0 + 1) },
                    y: evaluation.systems.map { $0.evaluation.mean[measure] ?? 0 }, labels: names)
            }
            let plot = Plot(
                kind: .bar, title: call.string("title").flatMap { $0.isEmpty ? nil : $0 } ?? evaluation.label,
                xLabel: call.string("xlabel") ?? "", yLabel: call.string("ylabel") ?? "", series: series)
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
        let plot = Plot(
            kind: kind, title: call.string("title") ?? "", xLabel: call.string("xlabel") ?? "",
            yLabel: call.string("ylabel") ?? "", series: series)
        return VerbOutcome(value: .object(PlotObject(plot)))
    }
}
