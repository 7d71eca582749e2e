import Foundation
import SynthValues
import Yams

/// The YAML block between `---` lines at the top of a notebook: `title`, `author`, `params`.
package struct FrontMatter: Sendable, Equatable {
    package var title: String?
    package var author: String?
    package var params: [ParamSpec] = []
    /// How many lines the block takes, fences included (0 when there is none).
    package var lineCount = 0

    /// The keys accepted at the top level.
    package static let keys = ["title", "author", "params"]

    /// Splits off and parses the front matter of `text`.
    ///
    /// - Throws: a ``Diagnostic`` at the offending line for YAML errors, unknown keys, unclosed blocks and
    ///   params whose default has no supported type.
    package static func parse(_ text: String, file: String) throws(Diagnostic) -> FrontMatter {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" else { return FrontMatter() }
        guard let end = lines.dropFirst().firstIndex(where: {
            let t = $0.trimmingCharacters(in: .whitespacesAndNewlines)
            return t == "---" || t == "..."
        }) else {
            throw Diagnostic(.error, "front matter opened here is never closed with `---`",
                             at: SourceLocation(file: file, line: 1, column: 1), sourceLine: String(first))
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        var matter = FrontMatter()
        matter.lineCount = end + 1
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw yamlDiagnostic(error, file: file, lines: lines)
        } catch {
            throw Diagnostic(.error, "invalid front matter: \(error)", at: SourceLocation(file: file, line: 2))
        }
        guard let node else { return matter }
        guard let mapping = node.mapping else {
            throw Diagnostic(.error, "expected a mapping of `key: value` in the front matter",
                             at: location(node, file: file))
        }
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "title": matter.title = valueNode.string
            case "author": matter.author = valueNode.string
            case "params":
                guard let params = valueNode.mapping else {
                    if valueNode.null != nil { continue }
                    throw Diagnostic(.error, "expected `params` to be a mapping of name: default",
                                     at: location(valueNode, file: file), sourceLine: sourceLine(valueNode, lines))
                }
                for (nameNode, spec) in params {
                    matter.params.append(try param(name: nameNode, spec: spec, file: file, lines: lines))
                }
            default:
                var notes: [String] = []
                if let near = nearestName(to: key, in: keys) { notes.append("did you mean `\(near)`?") }
                notes.append("front matter keys: " + keys.joined(separator: ", "))
                throw Diagnostic(.error, "unknown front matter key `\(key)`", at: location(keyNode, file: file),
                                 notes: notes, sourceLine: sourceLine(keyNode, lines))
            }
        }
        return matter
    }

    private static func param(name nameNode: Node, spec: Node, file: String, lines: [Substring]) throws(Diagnostic)
        -> ParamSpec
    {
        let name = nameNode.string ?? ""
        let where_ = location(nameNode, file: file)
        guard !name.isEmpty, name.first!.isLetter || name.first == "_",
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        else {
            throw Diagnostic(.error, "expected a param name of letters, digits and `_`, found \"\(name)\"",
                             at: where_, sourceLine: sourceLine(nameNode, lines))
        }
        if let mapping = spec.mapping {
            guard let typeText = mapping["type"]?.string, let kind = ParamSpec.Kind(rawValue: typeText) else {
                throw Diagnostic(.error, "expected `type: int|number|string|bool` for param `\(name)`",
                                 at: location(spec, file: file), sourceLine: sourceLine(spec, lines))
            }
            guard let defaultNode = mapping["default"], let text = defaultNode.scalar?.string,
                  let value = ParamValue.parse(text, as: kind)
            else {
                throw Diagnostic(.error, "expected a `default` of type \(kind.rawValue) for param `\(name)`",
                                 at: location(spec, file: file), sourceLine: sourceLine(spec, lines))
            }
            return ParamSpec(name: name, kind: kind, defaultValue: value, location: where_)
        }
        guard let scalar = spec.scalar else {
            throw Diagnostic(.error, "expected a scalar default for param `\(name)`, found a list",
                             at: location(spec, file: file), sourceLine: sourceLine(spec, lines))
        }
        let value: ParamValue
        switch spec.tag.rawValue {
        case Tag.Name.int.rawValue: value = Int(scalar.string).map(ParamValue.int) ?? .string(scalar.string)
        case Tag.Name.float.rawValue: value = Double(scalar.string).map(ParamValue.number) ?? .string(scalar.string)
        case Tag.Name.bool.rawValue: value = .bool(spec.bool ?? false)
        case Tag.Name.null.rawValue:
            throw Diagnostic(.error, "expected a default value for param `\(name)`, found nothing",
                             at: where_, notes: ["write `\(name): {type: string, default: \"\"}` for an empty string"],
                             sourceLine: sourceLine(nameNode, lines))
        default: value = .string(scalar.string)
        }
        let kind: ParamSpec.Kind = switch value {
        case .int: .int
        case .number: .number
        case .string: .string
        case .bool: .bool
        }
        return ParamSpec(name: name, kind: kind, defaultValue: value, location: where_)
    }

    /// Yams marks are 1-based within the YAML; the YAML starts on notebook line 2.
    private static func location(_ node: Node, file: String) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: file, line: 2) }
        return SourceLocation(file: file, line: mark.line + 1, column: mark.column)
    }

    private static func sourceLine(_ node: Node, _ lines: [Substring]) -> String? {
        guard let line = node.mark?.line, line < lines.count else { return nil }
        return String(lines[line])
    }

    private static func yamlDiagnostic(_ error: YamlError, file: String, lines: [Substring]) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            let line = mark.line + 1
            return Diagnostic(.error, "invalid front matter: \(problem)",
                              at: SourceLocation(file: file, line: line, column: mark.column),
                              sourceLine: line - 1 < lines.count ? String(lines[line - 1]) : nil)
        default:
            return Diagnostic(.error, "invalid front matter: \(error)", at: SourceLocation(file: file, line: 2))
        }
    }
}
