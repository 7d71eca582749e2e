import SynthMetrics
import SynthValues

/// How to mark significant differences in a results table.
package struct SignificanceOptions: Sendable {
    /// The system every other system is compared with.
    package var baseline: String
    /// `t` (paired t-test) or `randomization`.
    package var test: String
    package var alpha: Double
    package var trials: Int
    package var seed: UInt64

    package init(baseline: String, test: String = "t", alpha: Double = 0.05, trials: Int = 10_000, seed: UInt64 = 0) {
        self.baseline = baseline
        self.test = test
        self.alpha = alpha
        self.trials = trials
        self.seed = seed
    }

    /// The test's name as legends spell it.
    package var testName: String { test == "t" ? "paired t-test" : "paired randomization test (\(trials) trials)" }

    /// The two-sided p-value of `system` against `baseline` on `measure`, over their shared queries.
    package func pValue(_ system: Evaluation, against baseline: Evaluation, on measure: Measure) throws -> Double {
        let (_, a, b) = system.paired(with: baseline, on: measure)
        if test == "t" { return try Significance.pairedTTest(a, b).pValue }
        return try Significance.randomization(a, b, trials: trials, seed: seed).pValue
    }
}

/// Builds report tables from evaluations: one row per system, one column per measure.
package enum ResultTable {
    /// The table of `evaluations` (rows prefixed by the label when there are several), marking with `†`
    /// the systems significantly different from the baseline when `significance` is given.
    package static func make(
        from evaluations: [EvaluationObject], caption: String?, significance: SignificanceOptions?
    ) throws -> Table {
        var measures: [Measure] = []
        for evaluation in evaluations {
            for m in evaluation.measures where !measures.contains(m) { measures.append(m) }
        }
        var rows: [Table.Row] = []
        var anyMarker = false
        for evaluation in evaluations {
            let baseline = significance.flatMap { evaluation.system($0.baseline) }
            for system in evaluation.systems {
                var cells: [Table.Cell] = []
                for measure in measures {
                    guard let mean = system.evaluation.mean[measure] else {
                        cells.append(Table.Cell(text: "–"))
                        continue
                    }
                    var marker = ""
                    if let significance, let baseline, baseline.name != system.name,
                        let p = try? significance.pValue(system.evaluation, against: baseline.evaluation, on: measure),
                        p < significance.alpha
                    {
                        marker = "†"
                        anyMarker = true
                    }
                    cells.append(.number(mean, digits: 4, marker: marker))
                }
                let label = evaluations.count > 1 ? "\(evaluation.label): \(system.name)" : system.name
                rows.append(Table.Row(label: label, cells: cells))
            }
        }
        var legend: [String] = []
        if let significance {
            legend.append(
                "† p < \(significance.alpha), \(significance.testName) against \(significance.baseline)"
                    + (anyMarker ? "" : " (no significant differences)"))
        }
        let defaultCaption = evaluations.map { "\($0.label) (\($0.split))" }.joined(separator: ", ")
        return Table(
            caption: caption ?? defaultCaption, columns: measures.map(\.description), rows: rows,
            higherIsBetter: measures.map { _ in true }, legend: legend)
    }

    /// The table of a record of records: `{row: {column: number}}`. Integers print as integers, other
    /// numbers with four decimals; both take part in the best/second-best marking.
    package static func make(from record: Record, caption: String) -> Table {
        var columns: [String] = []
        for (_, value) in record.pairs {
            if case .record(let inner) = value {
                for key in inner.keys where !columns.contains(key) { columns.append(key) }
            }
        }
        let rows = record.pairs.map { pair -> Table.Row in
            let inner: Record
            if case .record(let r) = pair.value { inner = r } else { inner = Record([("value", pair.value)]) }
            let cells = columns.map { column -> Table.Cell in
                guard let value = inner[column] else { return Table.Cell(text: "–") }
                // Counts stay whole numbers ("34", not "34.0000"); measures get four decimals.
                if case .int(let count) = value { return Table.Cell(text: String(count), number: Double(count)) }
                if let number = value.doubleValue { return .number(number) }
                return Table.Cell(text: value.description)
            }
            return Table.Row(label: pair.key, cells: cells)
        }
        return Table(caption: caption, columns: columns, rows: rows)
    }
}
