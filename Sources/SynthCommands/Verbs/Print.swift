import SynthValues

/// `print`: writes values as one line of text under the cell.
package enum PrintCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "print",
        summary: "show values as one line of text",
        discussion: "Values are separated by a space; strings are shown without quotes, numbers compactly.",
        positional: [ArgSpec("values", .any, variadic: true, doc: "the values to print")],
        example: "print \"ndcg@10 =\" 0.6912")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        let line = call.variadic.map { $0.value.description }.joined(separator: " ")
        return VerbOutcome(outputs: [.text(line)])
    }
}
