import ArgumentParser
import Foundation
import SynthMetrics
import SynthValues

/// `synthlab trec-eval`: trec_eval's measures for a TREC run against qrels, printed as trec_eval prints them.
struct TrecEval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trec-eval",
        abstract: "Evaluate a TREC run against qrels exactly as trec_eval 9 (and pytrec_eval) does.",
        discussion: """
            QRELS is BEIR tsv (header query-id, corpus-id, score; CRLF accepted) or TREC 'qid 0 docid grade'. \
            RUN is TREC 'qid Q0 docid rank score tag'; as in trec_eval the rank column is ignored and each \
            query is ordered by score (as 32-bit float) descending, ties by docid descending.
            Measures use trec_eval's names: ndcg_cut.10, recall.100, P.10, recip_rank, map, map_cut.100, \
            ndcg, and recip_rank.10 (MRR@10); a family takes several cutoffs (-m ndcg_cut.10,100). \
            Default: map, recip_rank, P.10, recall.100, ndcg_cut.10.
            A document is relevant at grade >= 1; nDCG gains are the grades; negative grades are unjudged. \
            The mean ('all') is over queries judged in QRELS that appear in RUN (trec_eval's default); \
            -c averages over every judged query, counting missing ones as 0.
            Output lines are 'measure<TAB>qid<TAB>value' (trec_eval's %-22s\\t%s\\t%6.4f).
            """)

    @Argument(help: "The qrels file (BEIR tsv or TREC four-column).")
    var qrels: String

    @Argument(help: "The TREC run file.")
    var run: String

    @Option(name: [.customShort("m"), .customLong("measure")], help: "A measure or family, repeatable (e.g. ndcg_cut.10,100).")
    var measures: [String] = []

    @Flag(name: [.customShort("q"), .customLong("per-query")], help: "Also print each query's values.")
    var perQuery = false

    @Flag(name: [.customShort("c"), .customLong("complete")], help: "Average over all judged queries (missing ones score 0).")
    var complete = false

    @Flag(help: "Print {\"mean\": {...}, \"per_query\": {...}} as JSON instead of text.")
    var json = false

    static let defaultMeasures: [Measure] = [.map, .recipRank(cutoff: nil), .precision(10), .recall(100), .ndcgCut(10)]

    func run() async throws {
        var chosen: [Measure] = []
        for text in measures {
            for measure in try Measure.parseList(text) where !chosen.contains(measure) { chosen.append(measure) }
        }
        if chosen.isEmpty { chosen = Self.defaultMeasures }
        let judged = try TrecFiles.readQrels(at: URL(fileURLWithPath: qrels))
        let ranking = try TrecFiles.readRun(at: URL(fileURLWithPath: run))
        let result = evaluate(qrels: judged, run: ranking, measures: chosen, completeQueries: complete)
        if result.perQuery.isEmpty {
            StandardError.line("warning: no query of \(run) has judgements in \(qrels); means are 0")
        }
        let output = json ? Self.jsonText(result) : Self.text(result, perQuery: perQuery)
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// trec_eval's text layout: per-query rows (with `-q`) query by query, then the `all` rows.
    static func text(_ result: Evaluation, perQuery: Bool) -> String {
        var text = ""
        func row(_ measure: Measure, _ query: String, _ value: Double) {
            let name = measure.trecName
            let padded = name.count < 22 ? name + String(repeating: " ", count: 22 - name.count) : name
            text += "\(padded)\t\(query)\t\(String(format: "%6.4f", value))\n"
        }
        if perQuery {
            for query in result.queryIDs {
                for measure in result.measures { row(measure, query, result.perQuery[query]?[measure] ?? 0) }
            }
        }
        for measure in result.measures { row(measure, "all", result.mean[measure] ?? 0) }
        return text
    }

    /// `{"mean": {name: value}, "per_query": {qid: {name: value}}}` with pytrec_eval's names (`ndcg_cut_10`).
    static func jsonText(_ result: Evaluation) -> String {
        struct Document: Encodable {
            var mean: [String: Double]
            var per_query: [String: [String: Double]]
        }
        func named(_ values: [Measure: Double]) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: values.map { ($0.key.trecName, $0.value) })
        }
        let document = Document(mean: named(result.mean), per_query: result.perQuery.mapValues(named))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
