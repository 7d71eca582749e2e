import Foundation
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// `synthesize queries`: the teacher writes queries for corpus passages (InPars / Promptagator).
package enum SynthesizeQueriesCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "synthesize", subcommand: "queries",
        summary: "generate queries that corpus passages answer, each paired with its passage as the positive",
        discussion: """
            Takes `docs` documents of the corpus from `offset` (or `max_passages`, up to the whole corpus) and \
            asks the teacher for `per_doc` queries each in one request (JSON-constrained output, the passage cut \
            to `passage_chars` characters, about the 256 word-pieces the student reads; instructions and \
            examples come first so llama.cpp's prompt cache reuses them). Six queries per call with the \
            `claim-queries` template write over twice the accepted queries per minute of one per call at about \
            the same round-trip rate (BENCHMARKS.md, query cost); fewer per call cover a corpus sooner. \
            With `max_minutes`, no passage starts after the budget: the result holds \
            the passages done so far (usable for training), and a re-run replays them from the response store \
            and continues (give such cells `#| cache: false`). Progress shows passages done, new passages per \
            minute and the ETA. Queries that are empty, shorter than three words, duplicated, copied from the \
            passage or copied from the template's examples (five words in a row) are kept but rejected with the \
            reason. The result is a `synthetic_set` (fields `count`, \
            `accepted`, `rejected`, `acceptance_rate`, `queries`, `samples`, `counts`). The template is looked up \
            beside the notebook (`<name>.md`, `prompts/<name>.md`) before `stdlib/prompts/`.
            """,
        paper: "Bonifacio et al. 2022, InPars; Dai et al. 2023, Promptagator",
        keywords: [
            ArgSpec("from", .object("dataset"), doc: "the dataset whose corpus passages are used"),
            ArgSpec("teacher", .object("teacher"), doc: "the LLM (from `llm`)"),
            ArgSpec(
                "per_doc", .int, default: .int(QueryGeneration.defaultPerPassage),
                doc: "queries asked per passage (one call)"),
            ArgSpec("docs", .int, default: .int(20), doc: "how many passages to use"),
            ArgSpec("offset", .int, default: .int(0), doc: "index of the first passage in the corpus"),
            ArgSpec(
                "max_passages", .int, optional: true,
                doc: "use up to this many passages from `offset` instead of `docs` (a large value: the whole corpus)"),
            ArgSpec(
                "max_minutes", .number, optional: true,
                doc: "time budget: no passage starts after it; the set holds what is done"),
            ArgSpec(
                "passage_chars", .int, default: .int(1000),
                doc: "passages are cut to this many characters at a word boundary"),
            ArgSpec(
                "max_tokens", .int, optional: true,
                doc: "completion budget per call (default: the template's, at least 40 per query)"),
            ArgSpec("template", .string, default: .string("inpars-query"), doc: "the prompt template name"),
            ArgSpec("seed", .int, default: .int(0), doc: "sampling seed (recorded in each record's provenance)"),
            ArgSpec(
                "tune_concurrency", .bool, default: .bool(false),
                doc: "start with one call in flight and add one while completion tokens/s rise by ≥ 5 %, up to "
                    + "the teacher's `concurrency` (the set's steps record each level's rate and the choice)"),
        ],
        result: "synthetic_set",
        example: "queries = synthesize queries from=data per_doc=2 docs=10 teacher=t")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let dataset = call.object("from", as: BEIRDataset.self),
            let teacher = call.object("teacher", as: TeacherObject.self)
        else { throw call.error("expected a dataset and a teacher") }
        let offset = call.int("offset") ?? 0
        let count =
            call.int("max_passages").map { min($0, max(0, dataset.corpus.count - offset)) } ?? call.int("docs") ?? 20
        guard count > 0, offset >= 0, offset < dataset.corpus.count else {
            throw call.error(
                "expected docs ≥ 1 and 0 ≤ offset < \(dataset.corpus.count), found docs=\(count) offset=\(offset)")
        }
        let minutes = call.double("max_minutes")
        if let minutes, !(minutes > 0) { throw call.error("expected max_minutes > 0, found \(minutes)") }
        let characters = call.int("passage_chars") ?? 1000
        guard characters >= 100 else { throw call.error("expected passage_chars ≥ 100, found \(characters)") }
        var files: [URL] = []
        let template = try SynthesisSupport.template(
            call.string("template") ?? "inpars-query", context, files: &files, call: call)
        let passages = dataset.corpus[offset..<min(dataset.corpus.count, offset + count)].map {
            SyntheticPassage(id: $0.id, text: $0.indexedText, origin: "corpus")
        }
        var generation = QueryGeneration(
            template: template, perPassage: call.int("per_doc") ?? QueryGeneration.defaultPerPassage,
            passageCharacters: characters, seed: call.int("seed") ?? 0, concurrency: teacher.concurrency,
            maxTokens: call.int("max_tokens"))
        generation.adaptiveConcurrency = call.bool("tune_concurrency") ?? false
        let deadline = minutes.map { ContinuousClock.now + .milliseconds(Int($0 * 60_000)) }
        let sink = context.progress
        let set = try await generation.run(passages: passages, session: teacher.session, deadline: deadline) {
            sink(ProgressEvent(label: Self.progressLabel($0), count: $0.done, total: $0.total))
        }
        var extra: [CellOutput] = []
        let done = Set(set.records.compactMap { $0.positive?.id }).count
        if set.steps.contains(where: { $0.contains("time budget reached") }) {
            extra.append(
                .text(
                    "time budget of \(minutes.map { String(format: "%g", $0) } ?? "?") min reached: "
                        + "\(done) of \(passages.count) passages have queries; re-run to continue"))
        }
        return SynthesisSupport.outcome(set, teacher: teacher, files: files, extra: extra)
    }

    /// `synthesize queries (12 new, 8.4 passages/min, ETA 1h02m)`: the rate of new calls, not replays.
    static func progressLabel(_ progress: QueryGeneration.Progress) -> String {
        var label = "synthesize queries"
        guard progress.fresh > 0 else { return label }
        label += " (\(progress.fresh) new"
        if let rate = progress.passagesPerMinute { label += String(format: ", %.1f passages/min", rate) }
        if let eta = progress.eta, progress.done < progress.total { label += ", ETA " + Self.duration(eta) }
        return label + ")"
    }

    /// `1h02m`, `3m05s`, `12s`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, s % 3600 / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}

/// `synthesize syntriever`: chain-of-thought expansion, positives and plausibly-irrelevant negatives per query.
package enum SynthesizeSyntrieverCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "synthesize", subcommand: "syntriever",
        summary:
            "for each query, generate a reasoning expansion, synthetic positives and plausibly-irrelevant negatives",
        discussion: """
            Syntriever stage 1: the queries are the first `queries` judged queries of `split` (their first \
            relevant document is the gold passage) or the accepted queries of a `synthetic_set` (their positive \
            is the gold passage). The result's records hold the query, the gold and synthetic positives and the \
            synthetic negatives, ready for `train`.
            """,
        paper: "Kim & Baek 2025, Syntriever (NAACL Findings)",
        keywords: [
            ArgSpec(
                "from", .oneOf([.object("dataset"), .object("synthetic_set")]),
                doc: "a dataset or a set of synthetic queries"),
            ArgSpec("teacher", .object("teacher"), doc: "the LLM (from `llm`)"),
            ArgSpec(
                "split", .string, default: .string("train"), doc: "the split whose judged queries are used (datasets)"),
            ArgSpec("queries", .int, default: .int(20), doc: "how many queries to expand"),
            ArgSpec("seed", .int, default: .int(0), doc: "sampling seed"),
        ],
        result: "synthetic_set",
        example: "expanded = synthesize syntriever from=data split=\"train\" queries=5 teacher=t")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let teacher = call.object("teacher", as: TeacherObject.self) else {
            throw call.error("expected a teacher")
        }
        let limit = max(1, call.int("queries") ?? 20)
        var inputs: [SyntrieverGeneration.Input] = []
        if let dataset = call.object("from", as: BEIRDataset.self) {
            let split = try DatasetSplit.choose(call.string("split") ?? "train", in: dataset, call: call)
            let lookup = SynthesisSupport.passageLookup(dataset)
            for query in try dataset.queries(split: split).prefix(limit) {
                let judged = dataset.qrels[split]?[query.id] ?? [:]
                let gold = judged.filter { $0.value > 0 }.keys.sorted().first
                inputs.append(
                    SyntrieverGeneration.Input(
                        id: query.id, query: query.text,
                        gold: gold.flatMap { id in
                            lookup(id).map { SyntheticPassage(id: id, text: $0, origin: "corpus") }
                        }))
            }
        } else if let set = call.object("from", as: SyntheticSet.self) {
            for record in set.accepted.prefix(limit) {
                inputs.append(
                    SyntrieverGeneration.Input(
                        id: record.id, query: record.query, gold: record.positive, provenance: record.provenance))
            }
        }
        var files: [URL] = []
        let generation = SyntrieverGeneration(
            cotTemplate: try SynthesisSupport.template("syntriever-cot", context, files: &files, call: call),
            positiveTemplate: try SynthesisSupport.template("syntriever-positive", context, files: &files, call: call),
            negativeTemplate: try SynthesisSupport.template("syntriever-negative", context, files: &files, call: call),
            seed: call.int("seed") ?? 0, concurrency: teacher.concurrency)
        let set = try await generation.run(
            inputs: inputs, session: teacher.session,
            progress: SynthesisSupport.progress("synthesize syntriever", context))
        return SynthesisSupport.outcome(set, teacher: teacher, files: files)
    }
}

/// `synthesize ranked`: chains of rewrites drifting step by step from anchor sentences.
package enum SynthesizeRankedCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "synthesize", subcommand: "ranked",
        summary: "for each anchor sentence, generate a chain of rewrites that drift further in meaning at each step",
        discussion: """
            Each record's `texts` are [anchor, s₁, …, s_steps]: each sentence rewrites the previous one while \
            moving away from the one before it, so the position in the chain is the rank (further = less \
            similar to the anchor), the input of a ListMLE ranking loss. Anchors are the strings of a list or \
            the first `anchors` passages of a dataset's corpus, cut to their first sentence. Chains with a \
            line break in a rewrite, a sentence repeated three times, or fewer than three sentences are \
            rejected (the authors' filters).
            """,
        paper: "He et al. 2025, ranking sentence generation (ACL Findings), arXiv 2502.13656",
        keywords: [
            ArgSpec("from", .oneOf([.list(.string), .object("dataset")]), doc: "anchor sentences, or a dataset"),
            ArgSpec("teacher", .object("teacher"), doc: "the LLM (from `llm`)"),
            ArgSpec("steps", .int, default: .int(8), doc: "rewrites per chain (the paper uses 32)"),
            ArgSpec("anchors", .int, default: .int(10), doc: "how many anchors to use from a dataset or list"),
            ArgSpec("template", .string, default: .string("ranked-rewrite"), doc: "the prompt template name"),
            ArgSpec("seed", .int, default: .int(0), doc: "sampling seed"),
        ],
        result: "synthetic_set",
        example: "chains = synthesize ranked from=[\"A man is playing a guitar.\"] steps=4 teacher=t")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let teacher = call.object("teacher", as: TeacherObject.self) else {
            throw call.error("expected a teacher")
        }
        let limit = max(1, call.int("anchors") ?? 10)
        let steps = call.int("steps") ?? 8
        guard steps >= 1, steps <= 64 else { throw call.error("expected steps between 1 and 64, found \(steps)") }
        var anchors: [String] = []
        if let list = call.strings("from") {
            anchors = Array(list.prefix(limit))
        } else if let dataset = call.object("from", as: BEIRDataset.self) {
            anchors = dataset.corpus.prefix(limit).map { firstSentence($0.text) }
        }
        guard !anchors.isEmpty else { throw call.error("expected at least one anchor sentence") }
        var files: [URL] = []
        let template = try SynthesisSupport.template(
            call.string("template") ?? "ranked-rewrite", context, files: &files, call: call)
        let generation = RankedChainGeneration(
            template: template, steps: steps, seed: call.int("seed") ?? 0, concurrency: teacher.concurrency)
        let set = try await generation.run(
            anchors: anchors, session: teacher.session,
            progress: SynthesisSupport.progress("synthesize ranked", context))
        return SynthesisSupport.outcome(set, teacher: teacher, files: files)
    }

    /// The text up to its first sentence end (". ", "! ", "? "), or the whole text.
    static func firstSentence(_ text: String) -> String {
        let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        for end in [". ", "! ", "? "] {
            if let range = flat.range(of: end) { return String(flat[..<range.lowerBound]) + String(end.first!) }
        }
        return flat
    }
}
