import SynthMetrics
import SynthModels
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// `evaluate mauve`: how close two sets of texts are (MAUVE, Pillutla et al. 2021), on encoder features.
package enum EvaluateMAUVECommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "evaluate", subcommand: "mauve",
        summary: "MAUVE between two sets of texts: the area under their divergence frontier (1 = indistinguishable)",
        discussion: """
            Each set is a list of strings, a synthetic set (its accepted records' queries, or their texts), a \
            dataset (its queries, those of `split` when given, or its documents with `texts="corpus"`; `b_split` \
            and `b_texts` choose differently for `b`), or \
            precomputed feature vectors (a list of lists of numbers; both sets then must be vectors). Texts are \
            embedded with `encoder`: MiniLM by default, `smollm2` for the final hidden state at the last token \
            of the core's SmolLM2-135M (as `mauve-text` featurises with GPT-2), or any encoder. Then \
            computed as `mauve-text`'s `compute_mauve`: L2-normalised features, PCA keeping 90% of the \
            variance, joint k-means into `clusters` bins (default: a tenth of the smaller set, at least 2; \
            best of `restarts` seeded runs), histograms, and the area under the frontier \
            (exp(−c·KL(Q‖R)), exp(−c·KL(P‖R))) of the mixtures R = λP + (1 − λ)Q with c = `scale`. Agrees \
            with `mauve-text` to rounding where the clustering is unambiguous; elsewhere within k-means' \
            run-to-run spread (docs/mauve.md). The result is a record: `mauve`, `mauve_star` (smoothed \
            histograms), `frontier_integral` (lower is closer), `clusters`, `dimensions` (after PCA), \
            `feature_dimension`, `a_count`, \
            `b_count`, `frontier_x`/`frontier_y` (for `plot line`), `a_histogram`, `b_histogram`, and \
            `scores` (`{mauve, mauve_star, frontier_integral}`, for `table`). The three scores are recorded \
            under `label` (system `mauve`).
            """,
        paper: "Pillutla et al. 2021, MAUVE: Measuring the Gap Between Neural Text and Human Text (NeurIPS)",
        keywords: [
            ArgSpec("a", setType, doc: "the texts judged (P), for example generated ones"),
            ArgSpec("b", setType, doc: "the reference texts (Q), for example held-out human ones"),
            ArgSpec(
                "encoder", .oneOf([.choice(["minilm", "smollm2"]), .object("encoder")]), default: .string("minilm"),
                doc: "the features: `minilm` embeddings, `smollm2` last-token hidden states, or an encoder's"),
            ArgSpec(
                "clusters", .int, optional: true, doc: "k-means clusters (default: round(min(|a|, |b|) / 10), ≥ 2)",
                validate: positive("clusters")),
            ArgSpec("scale", .number, default: .double(5), doc: "the scaling constant c", validate: positive("scale")),
            ArgSpec("seed", .int, default: .int(25), doc: "the k-means seed (`mauve-text`'s default 25)"),
            ArgSpec(
                "explained_variance", .number, default: .double(0.9), doc: "share of variance PCA keeps",
                validate: fraction),
            ArgSpec(
                "restarts", .int, default: .int(5), doc: "k-means runs; the lowest objective wins",
                validate: positive("restarts")),
            ArgSpec(
                "texts", .choice(["queries", "corpus"]), default: .string("queries"),
                doc: "which texts of a dataset (`a` or `b`)"),
            ArgSpec(
                "split", .string, optional: true,
                doc: "use a dataset's judged queries of this split (default: all queries)"),
            ArgSpec(
                "b_texts", .choice(["queries", "corpus"]), optional: true, doc: "`texts` for `b` only"),
            ArgSpec("b_split", .string, optional: true, doc: "`split` for `b` only"),
            ArgSpec(
                "limit", .int, optional: true, doc: "use at most this many texts of each set (the first ones)",
                validate: positive("limit")),
            ArgSpec("batch", .int, default: .int(32), doc: "texts per forward pass"),
            ArgSpec(
                "label", .string, optional: true, doc: "the name results are recorded under (default: the variable)"),
        ],
        result: "record",
        example: "m = evaluate mauve a=[\"a\", \"b\", \"c\"] b=[\"d\", \"e\", \"f\"] clusters=2")

    /// What `a` and `b` accept.
    static let setType = ArgType.oneOf([
        .list(.string), .list(.list(.number)), .object("synthetic_set"), .object("dataset"),
    ])

    @Sendable static func fraction(_ value: Value) -> Diagnostic? {
        guard let x = value.doubleValue, x <= 0 || x >= 1 else { return nil }
        return Diagnostic(.error, "expected a number between 0 and 1, found \(formatNumber(x))")
    }

    static func positive(_ name: String) -> @Sendable (Value) -> Diagnostic? {
        { value in
            guard let x = value.doubleValue, x <= 0 else { return nil }
            return Diagnostic(.error, "expected a positive number, found \(formatNumber(x))")
        }
    }

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let limit = call.int("limit")
        let a = try MAUVEInput.read(
            call["a"], name: "a", call: call, split: call.string("split"), corpus: call.string("texts") == "corpus",
            limit: limit)
        let b = try MAUVEInput.read(
            call["b"], name: "b", call: call, split: call.string("b_split") ?? call.string("split"),
            corpus: (call.string("b_texts") ?? call.string("texts")) == "corpus", limit: limit)
        var filesRead: [String: String] = [:]
        let p: [[Double]]
        let q: [[Double]]
        switch (a, b) {
        case (.vectors(let x), .vectors(let y)):
            if let first = x.first?.count, let second = y.first?.count, first != second {
                throw call.error(
                    "expected feature vectors of one length in `a` and `b`, found \(first) and \(second) numbers")
            }
            p = x
            q = y
        case (.texts(let x), .texts(let y)):
            let (featurizer, files) = try MAUVEFeatures.featurizer(call, context: context)
            filesRead = files
            let batch = call.int("batch") ?? 32
            p = try MAUVEFeatures.embed(x, with: featurizer, set: "a", batch: batch, context: context)
            q = try MAUVEFeatures.embed(y, with: featurizer, set: "b", batch: batch, context: context)
        default:
            throw call.error(
                "expected `a` and `b` both as texts or both as feature vectors, found \(a.kind) and \(b.kind)")
        }
        try Task.checkCancellation()
        let options = MAUVE.Options(
            clusters: call.int("clusters"), scale: call.double("scale") ?? 5,
            explainedVariance: call.double("explained_variance") ?? 0.9, restarts: call.int("restarts") ?? 5,
            seed: call.int("seed") ?? 25)
        context.progress(ProgressEvent(label: "mauve: \(p.count) vs \(q.count)", count: 0, total: nil))
        let result: MAUVE.Result
        do { result = try MAUVE.compute(p: p, q: q, options: options) } catch { throw call.error(error.description) }
        let label = call.string("label") ?? call.target ?? "mauve"
        let scores: [String: Double] = [
            "mauve": result.mauve, "mauve_star": result.mauveStar, "frontier_integral": result.frontierIntegral,
        ]
        var outputs: [CellOutput] = []
        if call.target != nil {
            outputs.append(
                .text(
                    "MAUVE \(formatFixed(result.mauve, digits: 4)) "
                        + "(MAUVE* \(formatFixed(result.mauveStar, digits: 4)), "
                        + "frontier integral \(formatFixed(result.frontierIntegral, digits: 4))): \(p.count) vs "
                        + "\(q.count) texts, \(result.clusters) clusters, \(result.dimensions) PCA dimensions"))
        }
        let value = record(result, pCount: p.count, qCount: q.count, featureDimension: q.first?.count ?? 0)
        return VerbOutcome(
            value: .record(value), outputs: outputs, filesRead: filesRead, results: [label: ["mauve": scores]])
    }

    /// The result as the language sees it.
    static func record(_ result: MAUVE.Result, pCount: Int, qCount: Int, featureDimension: Int) -> Record {
        func numbers(_ values: [Double]) -> Value { .list(values.map(Value.double)) }
        return Record([
            ("mauve", .double(result.mauve)),
            ("mauve_star", .double(result.mauveStar)),
            ("frontier_integral", .double(result.frontierIntegral)),
            ("frontier_integral_star", .double(result.frontierIntegralStar)),
            ("clusters", .int(result.clusters)),
            ("dimensions", .int(result.dimensions)),
            ("feature_dimension", .int(featureDimension)),
            ("a_count", .int(pCount)),
            ("b_count", .int(qCount)),
            ("frontier_x", numbers(result.frontierX)),
            ("frontier_y", numbers(result.frontierY)),
            ("a_histogram", numbers(result.pHistogram)),
            ("b_histogram", numbers(result.qHistogram)),
            (
                "scores",
                .record(
                    Record([
                        ("mauve", .double(result.mauve)), ("mauve_star", .double(result.mauveStar)),
                        ("frontier_integral", .double(result.frontierIntegral)),
                    ]))
            ),
        ])
    }
}
