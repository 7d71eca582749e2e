import SynthMetrics
import SynthSynthesis
import SynthValues

/// `bootstrap`: paired bootstrap confidence intervals for the STS Spearman correlation of encoders.
package enum BootstrapCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "bootstrap",
        summary:
            "paired bootstrap confidence intervals for encoders' STS Spearman correlation and its difference from the first",
        discussion: """
            Embeds both sentences of every pair with each encoder (as `similarity`), then resamples the pairs \
            with replacement `trials` times; each resample gives every encoder's Spearman correlation (×100) of \
            cosine with the gold scores and, for the second and later encoders, the difference from the first \
            on the same resample. The table shows the full-sample Spearman, its percentile interval at `level`, \
            the difference Δ from the first encoder with its interval, and a two-sided bootstrap p-value for \
            Δ = 0 (twice the smaller share of resampled Δ at or beyond 0). Resampling is seeded. The value is a \
            record `{system: {spearman, low, high, delta, delta_low, delta_high, p}}`.
            """,
        paper: "Efron & Tibshirani 1993, An Introduction to the Bootstrap (percentile intervals, paired resampling)",
        positional: [
            ArgSpec(
                "encoders", .object("encoder"), variadic: true,
                doc: "the encoders; the first is the baseline of the differences")
        ],
        keywords: [
            ArgSpec("on", .object("sentence_pairs"), doc: "the scored pairs (from `load sts`)"),
            ArgSpec("trials", .int, default: .int(1000), doc: "bootstrap resamples"),
            ArgSpec("level", .number, default: .double(0.95), doc: "confidence level of the intervals"),
            ArgSpec("seed", .int, default: .int(0), doc: "resampling seed"),
            ArgSpec("batch", .int, default: .int(32), doc: "texts per forward pass"),
        ],
        result: "record",
        example: "ci = bootstrap (encoder minilm) on=(load sts split=\"test\") trials=1000")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let data = call.object("on", as: SentencePairs.self) else { throw call.error("expected sentence pairs") }
        guard !call.variadic.isEmpty else { throw call.error("expected at least one encoder") }
        let trials = call.int("trials") ?? 1000
        guard trials >= 10 else { throw call.error("expected at least 10 trials, found \(trials)") }
        let level = call.double("level") ?? 0.95
        guard level > 0, level < 1 else {
            throw call.error("expected a level between 0 and 1, found \(level)")
        }
        guard data.pairs.count >= 3 else { throw call.error("expected at least 3 pairs, found \(data.pairs.count)") }
        var names: [String] = []
        var cosines: [[Double]] = []
        for (index, item) in call.variadic.enumerated() {
            guard case .object(let object as EncoderObject) = item.value else { continue }
            try Task.checkCancellation()
            let name = item.label ?? (call.variadic.count == 1 ? object.name : "\(object.name)\(index + 1)")
            let texts = data.pairs.flatMap { [$0.first, $0.second] }
            let sink = context.progress
            let vectors = object.encoder.embed(texts, batchSize: max(1, call.int("batch") ?? 32)) { done, total in
                sink(ProgressEvent(label: "bootstrap \(name)", count: done, total: total))
            }
            names.append(name)
            cosines.append(
                stride(from: 0, to: vectors.count, by: 2).map { SimilarityCommand.cosine(vectors[$0], vectors[$0 + 1]) })
        }
        let result = intervals(
            cosines: cosines, gold: data.pairs.map(\.score), trials: trials, level: level,
            seed: UInt64(max(0, call.int("seed") ?? 0)))
        var record = Record()
        var rows: [Table.Row] = []
        for (index, name) in names.enumerated() {
            let s = result[index]
            var fields: [(String, Value)] = [
                ("spearman", .double(s.spearman)), ("low", .double(s.low)), ("high", .double(s.high)),
            ]
            var cells: [Table.Cell] = [
                .number(s.spearman, digits: 2), Table.Cell(text: "[\(formatFixed(s.low, digits: 2)), \(formatFixed(s.high, digits: 2))]"),
            ]
            if let delta = s.delta {
                fields += [
                    ("delta", .double(delta.value)), ("delta_low", .double(delta.low)),
                    ("delta_high", .double(delta.high)), ("p", .double(delta.p)),
                ]
                cells += [
                    .number(delta.value, digits: 2, marker: delta.p < 1 - level ? "†" : ""),
                    Table.Cell(text: "[\(formatFixed(delta.low, digits: 2)), \(formatFixed(delta.high, digits: 2))]"),
                    Table.Cell(text: formatFixed(delta.p, digits: 3), number: delta.p),
                ]
            } else {
                cells += [Table.Cell(text: "–"), Table.Cell(text: "–"), Table.Cell(text: "–")]
            }
            record[name] = .record(Record(fields))
            rows.append(Table.Row(label: name, cells: cells))
        }
        let percent = formatNumber(level * 100)
        let table = Table(
            caption: "\(data.name) (\(data.split)): Spearman ×100 with \(percent)% paired bootstrap intervals (\(trials) resamples)",
            columns: ["spearman", "\(percent)% CI", "Δ vs \(names.first ?? "")", "Δ \(percent)% CI", "p"], rows: rows,
            higherIsBetter: [true, nil, true, nil, nil],
            legend: ["† the Δ interval excludes 0 (two-sided bootstrap p < \(formatNumber(1 - level)))"])
        return VerbOutcome(value: .record(record), outputs: [.table(table)])
    }

    /// One encoder's full-sample Spearman (×100), its percentile interval and, after the first encoder, the
    /// paired difference from the first.
    struct Interval: Equatable {
        var spearman: Double
        var low: Double
        var high: Double
        var delta: (value: Double, low: Double, high: Double, p: Double)?

        static func == (a: Interval, b: Interval) -> Bool {
            a.spearman == b.spearman && a.low == b.low && a.high == b.high && a.delta?.value == b.delta?.value
                && a.delta?.low == b.delta?.low && a.delta?.high == b.delta?.high && a.delta?.p == b.delta?.p
        }
    }

    /// Paired percentile bootstrap over pairs: the same resampled indices score every system.
    static func intervals(cosines: [[Double]], gold: [Double], trials: Int, level: Double, seed: UInt64)
        -> [Interval]
    {
        let count = gold.count
        var generator = SplitMix64(seed: seed)
        var samples = Array(repeating: [Double](), count: cosines.count)
        for _ in 0..<trials {
            let indices = (0..<count).map { _ in Int(generator.next() % UInt64(count)) }
            let g = indices.map { gold[$0] }
            for (system, values) in cosines.enumerated() {
                samples[system].append(spearman(indices.map { values[$0] }, g) * 100)
            }
        }
        let tail = (1 - level) / 2
        func quantile(_ sorted: [Double], _ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let lower = Int(position.rounded(.down))
            let upper = min(sorted.count - 1, lower + 1)
            return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
        }
        let full = cosines.map { spearman($0, gold) * 100 }
        return cosines.indices.map { system in
            let sorted = samples[system].filter(\.isFinite).sorted()
            var interval = Interval(
                spearman: full[system], low: sorted.isEmpty ? .nan : quantile(sorted, tail),
                high: sorted.isEmpty ? .nan : quantile(sorted, 1 - tail))
            if system > 0 {
                let deltas = zip(samples[system], samples[0]).map { $0 - $1 }.filter(\.isFinite).sorted()
                let atOrBelow = Double(deltas.filter { $0 <= 0 }.count) / Double(max(1, deltas.count))
                let atOrAbove = Double(deltas.filter { $0 >= 0 }.count) / Double(max(1, deltas.count))
                interval.delta = (
                    full[system] - full[0], quantile(deltas, tail), quantile(deltas, 1 - tail),
                    min(1, 2 * min(atOrBelow, atOrAbove))
                )
            }
            return interval
        }
    }
}
