import SynthValues

/// `table`: a results table from evaluations (or a record of records), with significance markers.
package enum TableCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "table",
        summary: "build a results table from evaluations, one row per system and one column per measure",
        discussion: """
            Rows are the systems of each evaluation (prefixed by the label when several evaluations are given); \
            columns are their measures. The report sets the best value per column in bold and the second best \
            underlined. With `baseline`, systems significantly different from it (two-sided, p < `alpha`) get a \
            `†` and the legend names the test. A record of records (`{bm25: {ndcg: 0.66}}`) also makes a table.
            """,
        positional: [
            ArgSpec(
                "results", .oneOf([.object("evaluation"), .record]), variadic: true,
                doc: "evaluations, or one record of records")
        ],
        keywords: [
            ArgSpec("baseline", .string, optional: true, doc: "the system others are tested against")
        ] + CompareCommand.significanceArgs + [
            ArgSpec("caption", .string, optional: true, doc: "the caption (default: labels and splits)")
        ],
        result: "table",
        example: "table {bm25: {ndcg_cut_10: 0.665}, minilm: {ndcg_cut_10: 0.645}} caption=\"SciFact test\"")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let evaluations = call.variadic.compactMap { item -> EvaluationObject? in
            if case .object(let object as EvaluationObject) = item.value { return object }
            return nil
        }
        if evaluations.isEmpty {
            guard call.variadic.count == 1, case .record(let record) = call.variadic[0].value else {
                throw call.error("expected evaluations or one record of records")
            }
            return VerbOutcome(
                value: .object(TableObject(ResultTable.make(from: record, caption: call.string("caption") ?? ""))))
        }
        guard evaluations.count == call.variadic.count else {
            throw call.error("expected only evaluations, found a record among them")
        }
        let significance = try CompareCommand.options(call, systems: evaluations.flatMap { $0.systems.map(\.name) })
        let table = try ResultTable.make(from: evaluations, caption: call.string("caption"), significance: significance)
        return VerbOutcome(value: .object(TableObject(table)))
    }
}
