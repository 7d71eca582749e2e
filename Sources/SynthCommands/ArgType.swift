import SynthValues

/// The type an argument of a verb accepts, checked before anything runs.
///
/// Numbers written as integers are accepted where a `number` is expected. `word` and `choice` also
/// accept a bare identifier, taken literally (`load scifact`, `plot line …`), so these slots never
/// read variables.
package indirect enum ArgType: Sendable, Equatable, CustomStringConvertible {
    case any
    case bool
    case int
    case number
    case string
    /// A string; a bare identifier is taken as the string itself.
    case word
    /// One of a fixed set of strings; a bare identifier is taken literally.
    case choice([String])
    case list(ArgType)
    case record
    /// A domain object with this ``DomainObject/typeName`` (for example `dataset`, `run`).
    case object(String)
    /// Any of the listed types.
    case oneOf([ArgType])

    /// The type as messages spell it ("list of string", "run or bm25_index").
    package var description: String {
        switch self {
        case .any: "any value"
        case .bool: "bool"
        case .int: "int"
        case .number: "number"
        case .string, .word: "string"
        case .choice(let options): "one of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
        case .list(let element): element == .any ? "list" : "list of \(element)"
        case .record: "record"
        case .object(let name): name
        case .oneOf(let types):
            types.count <= 2
                ? types.map(\.description).joined(separator: " or ")
                : types.dropLast().map(\.description).joined(separator: ", ") + " or " + types.last!.description
        }
    }

    /// Whether a bare identifier in this slot is a literal word rather than a variable.
    package var takesBareWords: Bool {
        switch self {
        case .word, .choice: true
        case .oneOf(let types): types.contains { $0.takesBareWords }
        default: false
        }
    }

    /// Whether `value` has this type (strings of a `choice` must be one of the options).
    package func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _): true
        case (.bool, .bool), (.int, .int), (.number, .int), (.number, .double), (.record, .record): true
        case (.string, .string), (.word, .string): true
        case (.choice(let options), .string(let s)): options.contains(s)
        case (.list(let element), .list(let items)): items.allSatisfy { element.accepts($0) }
        case (.object(let name), .object(let object)): object.typeName == name
        case (.oneOf(let types), _): types.contains { $0.accepts(value) }
        default: false
        }
    }

    /// Whether a value whose type name is `typeName` may have this type, for checking before running.
    ///
    /// Only the type name is known statically, so lists and choices are accepted by kind.
    package func mayAccept(typeName: String) -> Bool {
        switch self {
        case .any: true
        case .bool: typeName == "bool"
        case .int: typeName == "int"
        case .number: typeName == "int" || typeName == "number"
        case .string, .word, .choice: typeName == "string"
        case .list: typeName == "list"
        case .record: typeName == "record"
        case .object(let name): typeName == name
        case .oneOf(let types): types.contains { $0.mayAccept(typeName: typeName) }
        }
    }
}
