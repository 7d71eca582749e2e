import Foundation
import SynthMetrics
import SynthModels
import SynthRetrieval
import SynthValues

/// The dev-split arguments of `train` (`dev=`, `dev_split=`, `dev_docs=`, `eval_every=`, `patience=`,
/// `min_delta=`): builds a ``DevEvaluation`` scoring nDCG@10 on the dev queries, and renders its curve.
enum TrainDevSplit {
    /// The keyword arguments `train` adds for dev evaluation.
    static let arguments: [ArgSpec] = [
        ArgSpec(
            "dev", .object("dataset"), optional: true,
            doc: "a judged dataset to score nDCG@10 on during training (metric curve, early stopping, best model kept)"),
        ArgSpec("dev_split", .string, default: .string("dev"), doc: "`dev`: the judged split whose queries are scored"),
        ArgSpec(
            "dev_docs", .int, default: .int(500),
            doc: "`dev`: corpus passages searched besides every passage judged for a dev query (re-embedded at each evaluation)"),
        ArgSpec("eval_every", .int, default: .int(50), doc: "`dev`: optimizer steps between evaluations"),
        ArgSpec(
            "patience", .int, optional: true,
            doc: "`dev`: evaluations without improvement before training stops (default: never stops early)"),
        ArgSpec("min_delta", .number, default: .double(0), doc: "`dev`: the gain a score needs to count as an improvement"),
    ]

    /// The dev evaluation requested by `call` and a description of everything in it that changes the trained
    /// model (the tokenized dev queries and passages, the qrels, `eval_every`, `patience`, `min_delta`), for the
    /// run's ``TrainingFingerprint``; nil without `dev=`.
    static func evaluation(
        _ call: VerbCall, encoder: SentenceEncoder, maxLength: Int
    ) throws -> (evaluation: DevEvaluation, fingerprint: String)? {
        guard let dataset = call.object("dev", as: BEIRDataset.self) else { return nil }
        let split = try DatasetSplit.choose(call.string("dev_split") ?? "dev", in: dataset, call: call)
        let qrels = dataset.qrels[split] ?? Qrels()
        let queries = try dataset.queries(split: split).filter { query in
            (qrels[query.id] ?? [:]).values.contains { $0 > 0 }
        }
        guard !queries.isEmpty else {
            throw call.error("expected judged queries in split \"\(split)\" of \(dataset.name), found none")
        }
        let judged = Set(queries.flatMap { (qrels[$0.id] ?? [:]).keys })
        let budget = max(0, call.int("dev_docs") ?? 500)
        var others = 0
        let documents = dataset.corpus.filter { document in
            if judged.contains(document.id) { return true }
            others += 1
            return others <= budget
        }
        guard let every = call.int("eval_every"), every >= 1 else {
            throw call.error("expected eval_every of at least 1, found \(call.int("eval_every") ?? 0)")
        }
        if let patience = call.int("patience"), patience < 1 {
            throw call.error("expected patience of at least 1, found \(patience)")
        }
        let devSet = RetrievalDevSet(
            queries: queries, documents: documents, qrels: qrels, tokenizer: encoder.tokenizer,
            maxLength: min(maxLength * 2, encoder.maxSeqLength))
        let evaluation = devSet.evaluation(
            every: every, patience: call.int("patience"), minDelta: call.double("min_delta") ?? 0)
        var judgements: [String] = []
        for query in qrels.judgements.keys.sorted() {
            for (document, grade) in (qrels.judgements[query] ?? [:]).sorted(by: { $0.key < $1.key }) {
                judgements.append("\(query)\t\(document)\t\(grade)")
            }
        }
        func lines(_ tokens: [[Int32]]) -> String {
            tokens.map { row in row.map(String.init).joined(separator: " ") }.joined(separator: "\n")
        }
        let patience = evaluation.patience.map(String.init) ?? "none"
        let settings: String =
            "metric \(evaluation.metric) every \(evaluation.every) patience \(patience) min_delta \(evaluation.minDelta) "
            + "restore_best \(evaluation.restoreBest) at_start \(evaluation.evaluateAtStart)"
        let parts: [String] = [
            settings, devSet.queryIDs.joined(separator: " "), lines(devSet.queryTokens),
            devSet.documentIDs.joined(separator: " "), lines(devSet.documentTokens), judgements.joined(separator: "\n"),
        ]
        let fingerprint = parts.joined(separator: "\n--\n")
        return (evaluation, fingerprint)
    }

    /// The line and plot describing the dev curve of `result`, or nothing without a dev evaluation.
    static func outputs(_ result: TrainingResult, name: String) -> [CellOutput] {
        guard let metric = result.devMetric, let first = result.devCurve.first else { return [] }
        let best = result.devCurve.first { $0.step == result.bestStep } ?? first
        let curve = result.devCurve.map { "\($0.step): \(formatFixed($0.value, digits: 4))" }.joined(separator: ", ")
        let line =
            "dev \(metric) (\(name)): \(curve); best at step \(best.step) (\(formatFixed(best.value, digits: 4)), "
            + "kept)\(result.stoppedEarly ? "; stopped early" : "")"
        let plot = Plot(
            kind: .line, title: "dev \(metric) (\(name))", xLabel: "step", yLabel: metric,
            series: [
                Series(name: name, x: result.devCurve.map { Double($0.step) }, y: result.devCurve.map(\.value))
            ])
        return [.text(line), .plot(plot)]
    }
}
