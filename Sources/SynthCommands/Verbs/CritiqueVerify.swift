import Foundation
import SynthValues

/// `critique verify`: Syntriever's self-verification in the `critique` family
/// (the same arguments and behaviour as `verify`, see ``VerifyCommand``).
package enum CritiqueVerifyCommand: VerbCommand {
    package static let spec: VerbSpec = {
        let base = VerifyCommand.spec
        return VerbSpec(
            name: "critique", subcommand: "verify", summary: base.summary,
            discussion: base.discussion + " (Same as `\(base.fullName)`.)", paper: base.paper,
            positional: base.positional, keywords: base.keywords, result: base.result,
            example: base.example.replacingOccurrences(of: " = \(base.fullName) ", with: " = critique verify "))
    }()

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        try await VerifyCommand.run(call, context: context)
    }
}
