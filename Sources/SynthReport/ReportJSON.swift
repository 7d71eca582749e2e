import SynthValues

/// The sidecar JSON of a report: every result of a run in a stable, documented shape (`docs/report-json.md`).
///
/// Top-level keys: `format`, `title`, `author`, `notebook`, `params`, `params_overridden`, `cells`,
/// `results`, `llm`, `provenance`. Keys are sorted and numbers written in shortest round-trip form, so two
/// runs of the same notebook differ only in `provenance` and the `seconds` fields.
package enum ReportJSON {
    /// The format identifier written as `format`; bumped when the shape changes incompatibly.
    package static let format = "synthlab-report/1"

    /// The JSON text for `record`.
    package static func render(_ record: RunRecord) -> String { document(record).serialized() }

    /// The JSON tree for `record`.
    package static func document(_ record: RunRecord) -> JSONValue {
        var params: [String: JSONValue] = [:]
        for param in record.params { params[param.name] = typed(param) }
        var cells: [JSONValue] = []
        for case .cell(let cell) in record.blocks { cells.append(self.cell(cell)) }
        var results: [String: JSONValue] = [:]
        for (label, systems) in record.results {
            var bySystem: [String: JSONValue] = [:]
            for (system, measures) in systems { bySystem[system] = .object(measures.mapValues { .double($0) }) }
            results[label] = .object(bySystem)
        }
        let llm: JSONValue = .object([
            "requests_new": .int(record.llm.requestsNew), "requests_replayed": .int(record.llm.requestsReplayed),
            "prompt_tokens": .int(record.llm.promptTokens), "completion_tokens": .int(record.llm.completionTokens),
            "endpoints": .array(record.llm.endpoints.map(JSONValue.string)),
        ])
        let p = record.provenance
        let provenance: JSONValue = .object([
            "tool_version": .string(p.toolVersion), "git_commit": p.gitCommit.map(JSONValue.string) ?? .null,
            "git_dirty": p.gitDirty.map(JSONValue.bool) ?? .null, "notebook_hash": .string(p.notebookHash),
            "command": .string(p.command), "machine": .string(p.machine), "started_at": .string(p.startedAt),
            "seconds": .double(p.seconds), "inputs": .object(p.inputs.mapValues(JSONValue.string)),
            "seeds": .object(p.seeds.mapValues(JSONValue.int)),
        ])
        return .object([
            "format": .string(format), "title": .string(record.title),
            "author": record.author.map(JSONValue.string) ?? .null, "notebook": .string(record.notebook),
            "params": .object(params),
            "params_overridden": .array(record.params.filter(\.overridden).map { .string($0.name) }),
            "cells": .array(cells), "results": .object(results), "llm": llm, "provenance": provenance,
            "failed_cell": record.firstFailure.map { .string($0.label) } ?? .null,
        ])
    }

    private static func typed(_ param: RunRecord.Param) -> JSONValue {
        switch param.type {
        case "int": Int(param.value).map(JSONValue.int) ?? .string(param.value)
        case "number": Double(param.value).map(JSONValue.double) ?? .string(param.value)
        case "bool": .bool(param.value == "true")
        default: .string(param.value)
        }
    }

    private static func cell(_ cell: CellRecord) -> JSONValue {
        .object([
            "index": .int(cell.index), "label": .string(cell.label), "status": .string(cell.status.rawValue),
            "cached": .bool(cell.cached), "seconds": .double(cell.seconds),
            "line": cell.location.line.map(JSONValue.int) ?? .null,
            "outputs": .array(cell.outputs.map(output)),
        ])
    }

    private static func output(_ output: CellOutput) -> JSONValue {
        switch output {
        case .text(let text): return .object(["type": .string("text"), "text": .string(text)])
        case .table(let table):
            return .object([
                "type": .string("table"), "caption": .string(table.caption),
                "columns": .array(table.columns.map(JSONValue.string)),
                "higher_is_better": .array(table.higherIsBetter.map { $0.map(JSONValue.bool) ?? .null }),
                "legend": .array(table.legend.map(JSONValue.string)),
                "rows": .array(table.rows.map { row in
                    .object([
                        "label": .string(row.label),
                        "cells": .array(row.cells.map { cell in
                            .object([
                                "text": .string(cell.text), "number": cell.number.map(JSONValue.double) ?? .null,
                                "marker": .string(cell.marker),
                            ])
                        }),
                    ])
                }),
            ])
        case .plot(let plot):
            return .object([
                "type": .string("plot"), "kind": .string(plot.kind.rawValue), "title": .string(plot.title),
                "x_label": .string(plot.xLabel), "y_label": .string(plot.yLabel),
                "series": .array(plot.series.map { series in
                    .object([
                        "name": .string(series.name), "x": .array(series.x.map(JSONValue.double)),
                        "y": .array(series.y.map(JSONValue.double)),
                        "labels": series.labels.map { .array($0.map(JSONValue.string)) } ?? .null,
                    ])
                }),
            ])
        case .error(let diagnostic):
            return .object([
                "type": .string("error"), "message": .string(diagnostic.message),
                "location": diagnostic.location.map { .string($0.description) } ?? .null,
                "rendered": .string(diagnostic.rendered()),
            ])
        }
    }
}
