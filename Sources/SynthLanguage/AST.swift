import SynthValues

/// A parsed expression: a literal, a list, a record, a variable, a param, a field access, or a
/// parenthesised invocation.
package indirect enum Expression: Sendable {
    case integer(Int, Span)
    case decimal(Double, Span)
    case string(String, Span)
    case bool(Bool, Span)
    case null(Span)
    case list([Expression], Span)
    case record([(key: String, keySpan: Span, value: Expression)], Span)
    /// A bare identifier: a variable, or a literal word in `word`/`choice` argument slots.
    case identifier(String, Span)
    /// `params.name`.
    case param(String, Span)
    /// `base.name`.
    case field(Expression, String, Span)
    /// `(verb args…)` used as a value.
    case invocation(Invocation)

    /// Where the expression starts.
    package var span: Span {
        switch self {
        case .integer(_, let s), .decimal(_, let s), .string(_, let s), .bool(_, let s), .null(let s),
            .list(_, let s), .record(_, let s), .identifier(_, let s), .param(_, let s), .field(_, _, let s):
            s
        case .invocation(let invocation): invocation.span
        }
    }
}

/// `name arg… key=value…`: a verb, a subcommand form or a user function applied to arguments.
package struct Invocation: Sendable {
    package var name: String
    package var span: Span
    package var arguments: [Argument]
}

/// One argument: positional (`label == nil`) or keyword (`label=value`).
package struct Argument: Sendable {
    package var label: String?
    /// The label's position for keyword arguments, else the value's.
    package var span: Span
    package var value: Expression
}

/// A parameter of a user-defined function, with an optional default.
package struct Parameter: Sendable {
    package var name: String
    package var span: Span
    package var defaultValue: Expression?
}

/// `def name(params) … end`.
package struct FunctionDefinition: Sendable {
    package var name: String
    package var span: Span
    package var parameters: [Parameter]
    package var body: [Statement]
}

/// One statement of a cell or file.
package enum Statement: Sendable {
    /// `name = invocation` or `name = expression`.
    case assignment(name: String, span: Span, value: Expression)
    /// An invocation or expression on its own; its value is shown.
    case expression(Expression)
    case definition(FunctionDefinition)
    /// `import "path"`.
    case importFile(path: String, span: Span)
    /// `return [expression]` inside a function.
    case returnValue(Expression?, Span)
}

/// A parsed cell or file.
package struct Program: Sendable {
    package var statements: [Statement]
    /// Tokens re-joined without comments and with single spaces: the cache key's view of the source.
    package var normalizedSource: String
}
