import Foundation
import SynthValues

/// One verb of the language: a documented spec and what it does.
///
/// Each verb lives in `Verbs/<Verb>.swift` and is listed once in ``VerbRegistry``. The interpreter
/// binds arguments (defaults filled in, types checked) and calls ``run(_:context:)``.
package protocol VerbCommand: Sendable {
    /// The verb's documented signature.
    static var spec: VerbSpec { get }
    /// Runs the verb with bound arguments.
    ///
    /// - Throws: a ``Diagnostic`` (use ``VerbCall/error(_:notes:)`` so it carries the statement's location).
    static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome
}

/// The arguments of one verb invocation, bound by name with defaults filled in.
package struct VerbCall: Sendable {
    /// Keyword and positional arguments by name (variadic ones excluded).
    package var arguments: [String: Value]
    /// Values of the variadic positional argument, each with a label: the variable name when the value
    /// was written as a plain variable, otherwise `nil`.
    package var variadic: [(label: String?, value: Value)]
    /// The variable the result is assigned to, if any (used as a default label).
    package var target: String?
    /// Where the statement starts, for error messages.
    package var location: SourceLocation
    /// The statement's source line, so errors draw a caret.
    package var sourceLine: String?

    package init(
        arguments: [String: Value], variadic: [(label: String?, value: Value)] = [], target: String? = nil,
        location: SourceLocation, sourceLine: String? = nil
    ) {
        self.arguments = arguments
        self.variadic = variadic
        self.target = target
        self.location = location
        self.sourceLine = sourceLine
    }

    /// An error diagnostic at this statement.
    package func error(_ message: String, notes: [String] = []) -> Diagnostic {
        Diagnostic(.error, message, at: location, notes: notes, sourceLine: sourceLine)
    }

    /// The argument `name`, if given or defaulted.
    package subscript(_ name: String) -> Value? { arguments[name] }

    package func string(_ name: String) -> String? {
        if case .string(let s)? = arguments[name] { return s }
        return nil
    }

    package func int(_ name: String) -> Int? {
        if case .int(let i)? = arguments[name] { return i }
        return nil
    }

    package func double(_ name: String) -> Double? { arguments[name]?.doubleValue }

    package func bool(_ name: String) -> Bool? {
        if case .bool(let b)? = arguments[name] { return b }
        return nil
    }

    package func strings(_ name: String) -> [String]? {
        guard case .list(let items)? = arguments[name] else { return nil }
        return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }

    /// The domain object argument `name` cast to `T`.
    package func object<T>(_ name: String, as type: T.Type) -> T? {
        if case .object(let object)? = arguments[name] { return object as? T }
        return nil
    }
}

/// What a verb produced: its value and its effects on the cell result.
package struct VerbOutcome: Sendable {
    package var value: Value
    /// Text, tables and plots to show under the cell.
    package var outputs: [CellOutput]
    /// Files read: path → SHA-256 of the content.
    package var filesRead: [String: String]
    /// Evaluation results: label → system → measure → mean.
    package var results: [String: [String: [String: Double]]]
    package var llm: LLMUsage

    package init(
        value: Value = .null, outputs: [CellOutput] = [], filesRead: [String: String] = [:],
        results: [String: [String: [String: Double]]] = [:], llm: LLMUsage = LLMUsage()
    ) {
        self.value = value
        self.outputs = outputs
        self.filesRead = filesRead
        self.results = results
        self.llm = llm
    }
}
