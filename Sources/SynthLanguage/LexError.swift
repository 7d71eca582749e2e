import SynthValues

/// An error found while splitting source into tokens.
package enum LexError: Error, Sendable, Equatable, CustomStringConvertible, DiagnosticConvertible {
    /// A string without its closing quote on the same line (or before the end, for `"""`).
    case unterminatedString(Span)
    /// Digits followed by something that does not make a number (`1.2.3`, `12abc`, `1e`).
    case badNumber(String, Span)
    case unexpectedCharacter(Character, Span)
    /// A `\` that is not the last thing on its line, or that ends the input.
    case badContinuation(found: String, Span)

    package var span: Span {
        switch self {
        case .unterminatedString(let span), .badNumber(_, let span), .unexpectedCharacter(_, let span),
            .badContinuation(_, let span):
            span
        }
    }

    package var message: String {
        switch self {
        case .unterminatedString: "unterminated string: expected a closing `\"` before the end of the line"
        case .badNumber(let text, _): "malformed number `\(text)`: expected digits with at most one `.` and exponent"
        case .unexpectedCharacter(let character, _): "unexpected character `\(character)`"
        case .badContinuation(let found, _): "expected end of line after line continuation `\\`, found \(found)"
        }
    }

    package var description: String { diagnostic.rendered(caret: false) }
    package var diagnostic: Diagnostic { span.diagnostic(message) }
}
