import Foundation
import SynthValues

/// A notebook parameter declared in the front matter, with its type and default.
///
/// ```yaml
/// params:
///   k1: 0.9            # type from the default: number
///   top_k: 100         # int
///   dataset: scifact   # string
///   seed: {type: int, default: 13}
/// ```
package struct ParamSpec: Sendable, Equatable {
    package enum Kind: String, Sendable, Equatable, CaseIterable {
        case int, number, string, bool
    }

    package var name: String
    package var kind: Kind
    package var defaultValue: ParamValue
    /// Where the parameter is declared (for type errors on `--param`).
    package var location: SourceLocation
}

/// A parameter value: the plain data a parameter can hold.
package enum ParamValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case number(Double)
    case string(String)
    case bool(Bool)

    /// The language value handed to the interpreter.
    package var value: Value {
        switch self {
        case .int(let i): .int(i)
        case .number(let d): .double(d)
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        }
    }

    package var description: String {
        switch self {
        case .int(let i): String(i)
        case .number(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        }
    }

    /// A stable encoding for cache keys (type-tagged, so `1` and `"1"` differ).
    package var cacheKey: String {
        switch self {
        case .int(let i): "int:\(i)"
        case .number(let d): "number:\(d)"
        case .string(let s): "string:\(s)"
        case .bool(let b): "bool:\(b)"
        }
    }

    /// Parses command-line text as a value of `kind`, or returns `nil` when it does not fit.
    package static func parse(_ text: String, as kind: ParamSpec.Kind) -> ParamValue? {
        switch kind {
        case .int: Int(text).map(ParamValue.int)
        case .number: Double(text).flatMap { $0.isFinite ? ParamValue.number($0) : nil }
        case .string: .string(text)
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on", "1": .bool(true)
            case "false", "no", "off", "0": .bool(false)
            default: nil
            }
        }
    }
}

/// The parameters of one run: declared defaults with `--param` overrides applied and type-checked.
package struct ResolvedParams: Sendable, Equatable {
    package var values: [(spec: ParamSpec, value: ParamValue, overridden: Bool)]

    package static func == (lhs: ResolvedParams, rhs: ResolvedParams) -> Bool {
        lhs.values.map { "\($0.spec.name)=\($0.value.cacheKey)" } == rhs.values.map { "\($0.spec.name)=\($0.value.cacheKey)" }
    }

    /// Applies `name=value` overrides to the notebook's defaults.
    ///
    /// - Throws: a ``Diagnostic`` for a malformed override, an unknown name (with a "did you mean" note)
    ///   or a value that does not fit the declared type ("expected int, found \"abc\"").
    package init(notebook: Notebook, overrides: [String]) throws(Diagnostic) {
        var values = notebook.params.map { (spec: $0, value: $0.defaultValue, overridden: false) }
        for override in overrides {
            guard let equals = override.firstIndex(of: "="), equals != override.startIndex else {
                throw Diagnostic(.error, "expected --param NAME=VALUE, found \"\(override)\"")
            }
            let name = String(override[..<equals]).trimmingCharacters(in: .whitespaces)
            let text = String(override[override.index(after: equals)...])
            guard let index = values.firstIndex(where: { $0.spec.name == name }) else {
                var notes: [String] = []
                if let near = nearestName(to: name, in: notebook.params.map(\.name)) {
                    notes.append("did you mean `\(near)`?")
                }
                if notebook.params.isEmpty {
                    notes.append("the notebook declares no params")
                } else {
                    notes.append("declared params: " + notebook.params.map(\.name).joined(separator: ", "))
                }
                throw Diagnostic(.error, "unknown param `\(name)` in --param", notes: notes)
            }
            let spec = values[index].spec
            guard let value = ParamValue.parse(text, as: spec.kind) else {
                throw Diagnostic(
                    .error, "--param \(name): expected \(spec.kind.rawValue), found \"\(text)\"",
                    notes: ["`\(name)` is declared at \(spec.location) with default \(spec.defaultValue)"])
            }
            values[index] = (spec, value, true)
        }
        self.values = values
    }

    /// Parameters as language values, for the ``ExecutionContext``.
    package var languageValues: [String: Value] {
        Dictionary(values.map { ($0.spec.name, $0.value.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The value of `name`, if declared.
    package subscript(name: String) -> ParamValue? { values.first { $0.spec.name == name }?.value }

    /// The report's view of the params.
    package var records: [RunRecord.Param] {
        values.map { RunRecord.Param(name: $0.spec.name, value: $0.value.description, type: $0.spec.kind.rawValue,
                                     overridden: $0.overridden) }
    }
}
