import Foundation
import SynthValues

/// `critique roundtrip`: Promptagator's round-trip consistency filter in the `critique` family
/// (the same arguments and behaviour as `filter`, see ``FilterCommand``).
package enum CritiqueRoundtripCommand: VerbCommand {
    package static let spec: VerbSpec = {
        let base = FilterCommand.spec
        return VerbSpec(
            name: "critique", subcommand: "roundtrip", summary: base.summary,
            discussion: base.discussion + " (Same as `\(base.fullName)`.)", paper: base.paper,
            positional: base.positional, keywords: base.keywords, result: base.result,
            example: base.example.replacingOccurrences(of: " = \(base.fullName) ", with: " = critique roundtrip "))
    }()

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        try await FilterCommand.run(call, context: context)
    }
}
