import Foundation
import SynthValues

/// Why a tokenizer could not be loaded.
package enum TokenizerError: Error, Sendable, Equatable, CustomStringConvertible, DiagnosticConvertible {
    /// The vocabulary file is absent or unreadable.
    case unreadableVocabulary(path: String, reason: String)
    /// The vocabulary lacks a token the tokenizer needs (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`).
    case missingSpecialToken(path: String, token: String)

    package var diagnostic: Diagnostic {
        switch self {
        case .unreadableVocabulary(let path, let reason):
            return Diagnostic(.error, "cannot read vocabulary: \(reason)", at: SourceLocation(file: path))
        case .missingSpecialToken(let path, let token):
            return Diagnostic(.error, "expected the special token \(token) in the vocabulary, found none",
                              at: SourceLocation(file: path))
        }
    }

    package var description: String { diagnostic.description }
}
