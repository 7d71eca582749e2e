import SynthValues

/// An error found by the checker: names, verbs, arguments and types, before anything runs.
package enum CheckError: Error, Sendable, Equatable, CustomStringConvertible, DiagnosticConvertible {
    case unknownVerb(String, suggestion: String?, Span)
    case missingSubcommand(verb: String, options: [String], found: String, suggestion: String?, Span)
    case unknownArgument(verb: String, argument: String, suggestion: String?, Span)
    case duplicateArgument(String, Span)
    case missingArgument(verb: String, argument: String, synopsis: String, Span)
    case tooManyArguments(verb: String, expected: Int, Span)
    case wrongType(verb: String, argument: String, expected: String, found: String, suggestion: String? = nil, Span)
    case unknownVariable(String, suggestion: String?, Span)
    case unknownParam(String, suggestion: String?, Span)
    case unknownField(String, typeName: String, suggestion: String?, Span)
    case notCallable(String, typeName: String, Span)
    case reservedName(String, Span)
    case importNotFound(String, searched: [String], Span)
    case importCycle(String, Span)
    /// A value of the right type that the argument's own validation refuses (an unknown measure name).
    case invalidArgument(verb: String, argument: String, message: String, notes: [String], Span)

    package var span: Span {
        switch self {
        case .unknownVerb(_, _, let s), .missingSubcommand(_, _, _, _, let s), .unknownArgument(_, _, _, let s),
            .duplicateArgument(_, let s), .missingArgument(_, _, _, let s), .tooManyArguments(_, _, let s),
            .wrongType(_, _, _, _, _, let s), .unknownVariable(_, _, let s), .unknownParam(_, _, let s),
            .unknownField(_, _, _, let s), .notCallable(_, _, let s), .reservedName(_, let s),
            .importNotFound(_, _, let s), .importCycle(_, let s), .invalidArgument(_, _, _, _, let s):
            s
        }
    }

    package var message: String {
        switch self {
        case .unknownVerb(let name, _, _): "unknown verb `\(name)`"
        case .missingSubcommand(let verb, let options, let found, _, _):
            "expected a subcommand of `\(verb)` (\(options.joined(separator: ", "))), found \(found)"
        case .unknownArgument(let verb, let argument, _, _): "unknown argument `\(argument)` for `\(verb)`"
        case .duplicateArgument(let name, _): "duplicate argument `\(name)`"
        case .missingArgument(let verb, let argument, _, _): "missing required argument `\(argument)` for `\(verb)`"
        case .tooManyArguments(let verb, let expected, _):
            "too many positional arguments for `\(verb)`: expected at most \(expected)"
        case .wrongType(let verb, let argument, let expected, let found, _, _):
            "expected \(expected) for argument `\(argument)` of `\(verb)`, found \(found)"
        case .unknownVariable(let name, _, _): "unknown variable `\(name)`"
        case .unknownParam(let name, _, _): "unknown param `\(name)`"
        case .unknownField(let name, let typeName, _, _): "no field `\(name)` in \(typeName)"
        case .notCallable(let name, let typeName, _):
            "expected a verb or function, found variable `\(name)` (\(typeName)) followed by arguments"
        case .reservedName(let name, _): "cannot assign to `\(name)`: it is a verb"
        case .importNotFound(let path, _, _): "cannot find file \"\(path)\" to import"
        case .importCycle(let path, _): "import cycle: \"\(path)\" imports itself"
        case .invalidArgument(let verb, let argument, let message, _, _):
            "\(message) in argument `\(argument)` of `\(verb)`"
        }
    }

    package var notes: [String] {
        switch self {
        case .unknownVerb(_, let s?, _), .missingSubcommand(_, _, _, let s?, _), .unknownArgument(_, _, let s?, _),
            .unknownVariable(_, let s?, _), .unknownParam(_, let s?, _), .unknownField(_, _, let s?, _),
            .wrongType(_, _, _, _, let s?, _):
            ["did you mean `\(s)`?"]
        case .missingArgument(_, _, let synopsis, _): ["usage: \(synopsis)"]
        case .importNotFound(_, let searched, _): ["searched: " + searched.joined(separator: ", ")]
        case .invalidArgument(_, _, _, let notes, _): notes
        default: []
        }
    }

    package var description: String { diagnostic.rendered(caret: false) }
    package var diagnostic: Diagnostic { span.diagnostic(message, notes: notes) }
}
