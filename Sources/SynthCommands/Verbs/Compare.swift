import SynthMetrics
import SynthValues

/// `compare`: paired significance tests of every system against a baseline.
package enum CompareCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "compare",
        summary: "test every system of an evaluation against a baseline (paired t-test or randomization)",
        discussion: """
            For each measure and each system other than the baseline, over the queries both evaluated: the mean \
            difference and the two-sided p-value of a paired t-test (as `scipy.stats.ttest_rel`) or a paired \
            randomization test (sign flips, seeded). Shows a table with `†` where p < `alpha`; the result's fields \
            are the systems, each a record of p-values by measure (`cmp.minilm.ndcg_cut_10`).
            """,
        paper: "Smucker, Allan & Carterette 2007, A Comparison of Statistical Significance Tests for IR Evaluation",
        positional: [ArgSpec("results", .object("evaluation"), doc: "an evaluation with two or more systems")],
        keywords: [ArgSpec("baseline", .string, doc: "the system the others are compared with")] + significanceArgs,
        result: "comparison",
        example: "cmp = compare results baseline=\"bm25\" test=\"randomization\" trials=1000")

    /// The significance-test arguments `compare` and `table` share; ``options(_:systems:)`` reads them.
    static let significanceArgs = [
        ArgSpec(
            "test", .choice(["t", "randomization"]), default: .string("t"),
            doc: "paired t-test or paired randomization test"),
        ArgSpec("alpha", .number, default: .double(0.05), doc: "significance level for the `†` marker"),
        ArgSpec("trials", .int, default: .int(10_000), doc: "randomization test trials"),
        ArgSpec("seed", .int, default: .int(0), doc: "randomization test seed"),
    ]

    /// Significance options from `baseline`/`test`/`alpha`/`trials`/`seed`, or `nil` without a baseline.
    static func options(_ call: VerbCall, systems: [String]) throws -> SignificanceOptions? {
        guard let baseline = call.string("baseline") else { return nil }
        guard systems.contains(baseline) else {
            throw call.error(
                "expected a system name for baseline (\(systems.joined(separator: ", "))), found \"\(baseline)\"",
                notes: nearestName(to: baseline, in: systems).map { ["did you mean `\($0)`?"] } ?? [])
        }
        let trials = call.int("trials") ?? 10_000
        guard trials > 0 else { throw call.error("expected trials ≥ 1, found \(trials)") }
        return SignificanceOptions(
            baseline: baseline, test: call.string("test") ?? "t", alpha: call.double("alpha") ?? 0.05, trials: trials,
            seed: UInt64(max(0, call.int("seed") ?? 0)))
    }

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let results = call.object("results", as: EvaluationObject.self) else {
            throw call.error("expected an evaluation")
        }
        guard let options = try options(call, systems: results.systems.map(\.name)),
            let baseline = results.system(options.baseline)
        else { throw call.error("expected a baseline") }
        var columns: [String] = []
        for measure in results.measures { columns += ["Δ \(measure)", "p \(measure)"] }
        var rows: [Table.Row] = []
        var pValues = Record()
        for system in results.systems where system.name != baseline.name {
            try Task.checkCancellation()
            var cells: [Table.Cell] = []
            var record = Record()
            for measure in results.measures {
                let (_, a, b) = system.evaluation.paired(with: baseline.evaluation, on: measure)
                let p = try options.pValue(system.evaluation, against: baseline.evaluation, on: measure)
                let delta = zip(a, b).reduce(0.0) { $0 + $1.0 - $1.1 } / Double(max(1, a.count))
                cells.append(.number(delta, digits: 4, marker: p < options.alpha ? "†" : ""))
                cells.append(Table.Cell(text: p.isNaN ? "–" : formatFixed(p, digits: 4), number: p.isNaN ? nil : p))
                record[measure.trecName] = .double(p)
            }
            rows.append(Table.Row(label: system.name, cells: cells))
            pValues[system.name] = .record(record)
        }
        let table = Table(
            caption: "\(results.label): against \(baseline.name)", columns: columns, rows: rows,
            higherIsBetter: columns.map { _ in nil },
            legend: ["† p < \(options.alpha), \(options.testName) against \(baseline.name)"])
        let object = ComparisonObject(table: table, baseline: baseline.name, test: options.test, pValues: pValues)
        return VerbOutcome(value: .object(object))
    }
}

/// The result of `compare` (type `comparison`): a table and the p-values by system and measure.
package struct ComparisonObject: Displayable {
    package var table: Table
    package var baseline: String
    package var test: String
    package var pValues: Record

    package var typeName: String { "comparison" }
    package var summary: String { "comparison against \(baseline) (\(test)): \(pValues.keys.count) systems" }
    package var fieldNames: [String] { ["baseline", "test"] + pValues.keys }
    package func field(_ name: String) -> Value? {
        switch name {
        case "baseline": .string(baseline)
        case "test": .string(test)
        default: pValues[name]
        }
    }
    package var display: [CellOutput] { [.table(table)] }
}
