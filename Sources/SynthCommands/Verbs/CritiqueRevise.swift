import Foundation
import SynthValues

/// `critique revise`: distilled self-critique in the `critique` family
/// (the same arguments and behaviour as `critique`, see ``CritiqueCommand``).
package enum CritiqueReviseCommand: VerbCommand {
    package static let spec: VerbSpec = {
        let base = CritiqueCommand.spec
        return VerbSpec(
            name: "critique", subcommand: "revise", summary: base.summary,
            discussion: base.discussion + " (Same as `\(base.fullName)`.)", paper: base.paper,
            positional: base.positional, keywords: base.keywords, result: base.result,
            example: base.example.replacingOccurrences(of: " = \(base.fullName) ", with: " = critique revise "))
    }()

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        try await CritiqueCommand.run(call, context: context)
    }
}
