import Foundation

/// A value of the notebook language: what a variable holds and what a command returns.
///
/// Plain data (numbers, strings, booleans, lists, records) is represented directly; the results
/// of commands that are too large or too specialised for plain data (a dataset, a BM25 index, a
/// model, a run) are ``DomainObject``s that describe themselves and expose named fields for dotted
/// access such as `results.ndcg_cut_10`.
public enum Value: Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    /// A record keeps its fields in the order they were written.
    case record(Record)
    case object(any DomainObject)

    /// The type name the language shows in messages ("expected number, found string").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "number"
        case .string: "string"
        case .list: "list"
        case .record: "record"
        case .object(let object): object.typeName
        }
    }

    /// A short, human-readable rendering for REPL output and reports.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): formatNumber(d)
        case .string(let s): s
        case .list(let items): "[" + items.map { $0.literal }.joined(separator: ", ") + "]"
        case .record(let record): record.description
        case .object(let object): object.summary
        }
    }

    /// The value written as the language would write it (strings quoted).
    public var literal: String {
        if case .string(let s) = self { return "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        return description
    }

    /// Numbers as `Double`, whether written as ints or decimals.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// The field named `name` of a record or a domain object, for dotted access.
    public func field(_ name: String) -> Value? {
        switch self {
        case .record(let record): record[name]
        case .object(let object): object.field(name)
        default: nil
        }
    }
}

/// Formats a number compactly and stably: integers without a decimal point, others with up to 4 decimals.
public func formatNumber(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d > 0 ? "inf" : "-inf" }
    if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
    let text = String(format: "%.4f", d)
    return text
}

/// An ordered record of named values.
public struct Record: Sendable, CustomStringConvertible {
    public private(set) var keys: [String] = []
    private var values: [String: Value] = [:]

    public init() {}
    public init(_ pairs: [(String, Value)]) { for (k, v) in pairs { self[k] = v } }

    public subscript(key: String) -> Value? {
        get { values[key] }
        set {
            if let newValue {
                if values[key] == nil { keys.append(key) }
                values[key] = newValue
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var pairs: [(key: String, value: Value)] { keys.map { ($0, values[$0]!) } }

    public var description: String {
        "{" + pairs.map { "\($0.key): \($0.value.literal)" }.joined(separator: ", ") + "}"
    }
}

/// A result too large or specialised for plain data: a corpus, an index, a model, a run.
///
/// Conforming types live in the core modules; the language only needs a name, a summary and fields.
public protocol DomainObject: Sendable {
    /// The type name shown in messages and `:vars` (for example `dataset`, `bm25_index`).
    var typeName: String { get }
    /// One line describing the object (for example `dataset scifact: 5183 docs, 300 queries`).
    var summary: String { get }
    /// Names accepted by ``field(_:)``, for completion and "did you mean" hints.
    var fieldNames: [String] { get }
    /// The field `name`, or `nil` when there is none.
    func field(_ name: String) -> Value?
}

extension DomainObject {
    public var fieldNames: [String] { [] }
    public func field(_ name: String) -> Value? { nil }
}
