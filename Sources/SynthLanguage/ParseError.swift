import SynthValues

/// An error in the structure of a statement.
package enum ParseError: Error, Sendable, Equatable, CustomStringConvertible, DiagnosticConvertible {
    /// Something else was expected here: `expected` names it, `found` describes the token.
    case expected(String, found: String, Span)
    /// `def name(…)` reached the end of the input without its `end`.
    case missingEnd(function: String, Span)
    /// `end` with no open `def`.
    case endWithoutDef(Span)
    /// `def` inside another `def`.
    case nestedDefinition(Span)
    /// `return` outside a function.
    case returnOutsideFunction(Span)
    /// `params.name = …` or `params = …`.
    case assignmentToParam(String, Span)
    /// The same key twice in one record literal.
    case duplicateField(String, Span)
    /// The same parameter name twice in one `def`.
    case duplicateParameter(String, Span)

    package var span: Span {
        switch self {
        case .expected(_, _, let s), .missingEnd(_, let s), .endWithoutDef(let s), .nestedDefinition(let s),
            .returnOutsideFunction(let s), .assignmentToParam(_, let s), .duplicateField(_, let s),
            .duplicateParameter(_, let s):
            s
        }
    }

    package var message: String {
        switch self {
        case .expected(let what, let found, _): "expected \(what), found \(found)"
        case .missingEnd(let name, _): "expected `end` to close `def \(name)`, found end of input"
        case .endWithoutDef: "found `end` without a matching `def`"
        case .nestedDefinition: "expected `end` before another `def`: functions cannot be nested"
        case .returnOutsideFunction: "found `return` outside a function"
        case .assignmentToParam(let name, _):
            "cannot assign to param `\(name)`: params are set in the front matter or with --param"
        case .duplicateField(let name, _): "duplicate field `\(name)` in record"
        case .duplicateParameter(let name, _): "duplicate parameter `\(name)`"
        }
    }

    package var notes: [String] {
        switch self {
        case .assignmentToParam(let name, _): ["assign to a variable instead, e.g. `\(name) = params.\(name)`"]
        default: []
        }
    }

    package var description: String { diagnostic.rendered(caret: false) }
    package var diagnostic: Diagnostic { span.diagnostic(message, notes: notes) }
}
