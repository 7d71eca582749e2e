import SynthValues

/// `show`: a text preview of any value, or sample records of a dataset, a run or a list.
package enum ShowCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "show",
        summary: "preview a value: sample records of a dataset or run, items of a list, fields of a record",
        discussion: """
            Tables and plots are shown as such. Datasets, runs and other large objects show their summary \
            and the first `n` records; lists show their first `n` items, one per line; records one field per line.
            """,
        positional: [ArgSpec("value", .any, doc: "the value to preview")],
        keywords: [ArgSpec("n", .int, default: .int(5), doc: "how many records or items to show")],
        example: "show [1, 2, 3] n=2")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let limit = max(0, call.int("n") ?? 5)
        let value = call["value"] ?? .null
        return VerbOutcome(outputs: outputs(for: value, limit: limit))
    }

    /// The preview of `value` with at most `limit` records.
    package static func outputs(for value: Value, limit: Int) -> [CellOutput] {
        switch value {
        case .object(let object as any Previewable):
            return [.text(object.preview(limit: limit))]
        case .object(let object as any Displayable):
            return object.display
        case .list(let items):
            var lines = ["list of \(items.count) items"]
            lines += items.prefix(limit).enumerated().map { "  [\($0.offset)] \($0.element.literal)" }
            if items.count > limit { lines.append("  … \(items.count - limit) more") }
            return [.text(lines.joined(separator: "\n"))]
        case .record(let record):
            let lines = record.pairs.map { "\($0.key): \($0.value.literal)" }
            return [.text(lines.joined(separator: "\n"))]
        default:
            return [.text(value.description)]
        }
    }
}
