import Foundation
import SynthValues

/// An expression whose names, verbs and arguments have been resolved; only these run.
package indirect enum CheckedExpression: Sendable {
    case constant(Value)
    case list([CheckedExpression])
    case record([(key: String, value: CheckedExpression)])
    case variable(String, Span)
    case param(String, Span)
    case field(CheckedExpression, String, Span)
    case verb(VerbInvocationPlan)
    case call(FunctionCallPlan)
}

/// A verb invocation with arguments bound to the spec's names.
package struct VerbInvocationPlan: Sendable {
    /// The spec's ``SynthCommands/VerbSpec/fullName`` (`load` or `load sts`).
    package var fullName: String
    package var arguments: [(name: String, value: CheckedExpression)]
    package var variadic: [(label: String?, value: CheckedExpression)]
    package var span: Span
}

/// A call of a user function with arguments bound to its parameter names.
package struct FunctionCallPlan: Sendable {
    package var name: String
    package var arguments: [(name: String, value: CheckedExpression)]
    package var span: Span
}

/// A resolved statement.
package enum CheckedStatement: Sendable {
    case assignment(String, CheckedExpression, Span)
    /// A statement whose value is shown when it is not null (`display` is false inside functions).
    case expression(CheckedExpression, Span, display: Bool)
    case definition(UserFunction)
    case importFile(ImportedFile)
    case returnValue(CheckedExpression?, Span)
}

/// A checked file pulled in by `import`.
package struct ImportedFile: Sendable {
    package var url: URL
    package var statements: [CheckedStatement]
}

/// A user-defined function: a language value (type `function`) holding its checked body.
package struct UserFunction: DomainObject {
    package struct Parameter: Sendable {
        package var name: String
        package var defaultValue: CheckedExpression?
    }

    package var name: String
    package var parameters: [Parameter]
    package var body: [CheckedStatement]
    package var span: Span

    package var typeName: String { "function" }
    package var summary: String {
        "def \(name)(" + parameters.map { $0.defaultValue == nil ? $0.name : "\($0.name)=…" }.joined(separator: ", ")
            + ")"
    }
}

/// A checked cell, ready to run, with the names it reads and writes for the cache.
package struct CheckedCell: Sendable {
    /// Free variables the cell reads (for cache dependency keys).
    package var reads: Set<String>
    /// Variables (and functions) it assigns.
    package var writes: Set<String>
    /// Params it reads (`params.name`).
    package var paramsRead: Set<String>
    /// The source with comments and whitespace normalized (a hash input).
    package var normalizedSource: String
    /// Files the cell imports (their content hashes go to ``CellResult/filesRead`` when it runs).
    package var imports: [URL]
    package var statements: [CheckedStatement]
}

/// A parsed cell (the result of ``Interpreter/parse(_:at:)``).
package struct ParsedCell: Sendable {
    package var program: Program
    package var location: SourceLocation
    package var source: String
}
