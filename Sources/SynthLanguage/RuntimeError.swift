import SynthValues

/// An error found while running a checked cell.
package enum RuntimeError: Error, Sendable, Equatable, CustomStringConvertible, DiagnosticConvertible {
    /// Dotted access to a field the value does not have.
    case unknownField(String, typeName: String, suggestion: String?, Span)
    /// A variable that was declared by a checked cell but never assigned (that cell has not run).
    case unassignedVariable(String, Span)
    /// A verb argument whose value has the wrong type (known only when running).
    case wrongType(verb: String, argument: String, expected: String, found: String, Span)
    /// A function calling itself too deeply.
    case recursionTooDeep(String, Span)

    package var span: Span {
        switch self {
        case .unknownField(_, _, _, let s), .unassignedVariable(_, let s), .wrongType(_, _, _, _, let s),
            .recursionTooDeep(_, let s):
            s
        }
    }

    package var message: String {
        switch self {
        case .unknownField(let name, let typeName, _, _): "no field `\(name)` in \(typeName)"
        case .unassignedVariable(let name, _):
            "variable `\(name)` has no value yet: the cell that assigns it has not run"
        case .wrongType(let verb, let argument, let expected, let found, _):
            "expected \(expected) for argument `\(argument)` of `\(verb)`, found \(found)"
        case .recursionTooDeep(let name, _): "function `\(name)` calls itself more than 100 levels deep"
        }
    }

    package var notes: [String] {
        if case .unknownField(_, _, let suggestion?, _) = self { return ["did you mean `\(suggestion)`?"] }
        return []
    }

    package var description: String { diagnostic.rendered(caret: false) }
    package var diagnostic: Diagnostic { span.diagnostic(message, notes: notes) }
}
