import SynthValues

/// A problem with a prompt template file, or with the values given to render it.
///
/// Every case carries the position in the template file (1-based line and column) so the message
/// points at the offending line, as compiler errors do.
package enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible, DiagnosticConvertible {
    /// The file does not start with a `---` front-matter block.
    case missingFrontMatter(SourceLocation)
    /// The front matter is not valid YAML.
    case invalidYAML(String, SourceLocation)
    /// A required front-matter field is absent.
    case missingField(String, SourceLocation)
    /// A front-matter field has the wrong type.
    case wrongType(field: String, expected: String, found: String, SourceLocation)
    /// The front-matter `name` differs from the file name.
    case nameMismatch(fileName: String, name: String, SourceLocation)
    /// A `{{placeholder}}` names a variable the front matter does not declare.
    case undeclaredVariable(String, suggestion: String?, SourceLocation)
    /// A `{{#section}}` without its `{{/section}}`.
    case unclosedSection(String, SourceLocation)
    /// A `{{/section}}` that closes nothing, or closes the wrong section.
    case unexpectedClose(expected: String?, found: String, SourceLocation)
    /// A `{{` without `}}`.
    case unclosedPlaceholder(SourceLocation)
    /// Rendering needed a variable the caller did not supply.
    case missingValue(String, SourceLocation)
    /// A section (`{{#name}}`) was given something that is not a list.
    case notAList(String, found: String, SourceLocation)
    /// No template of this name in any search folder.
    case notFound(String, searched: [String], suggestion: String?)

    package var location: SourceLocation? {
        switch self {
        case .missingFrontMatter(let l), .invalidYAML(_, let l), .missingField(_, let l), .unclosedPlaceholder(let l),
            .nameMismatch(_, _, let l), .undeclaredVariable(_, _, let l), .unclosedSection(_, let l),
            .unexpectedClose(_, _, let l), .missingValue(_, let l), .notAList(_, _, let l):
            l
        case .wrongType(_, _, _, let l): l
        case .notFound: nil
        }
    }

    /// The message without the location, lowercase, no full stop.
    package var message: String {
        switch self {
        case .missingFrontMatter: "expected a `---` front-matter block at the start of the template"
        case .invalidYAML(let detail, _): "invalid front matter: \(detail)"
        case .missingField(let name, _): "expected front-matter field `\(name)`"
        case .wrongType(let field, let expected, let found, _):
            "expected \(expected) for `\(field)`, found \(found)"
        case .nameMismatch(let fileName, let name, _):
            "expected template name `\(fileName)` (the file name), found `\(name)`"
        case .undeclaredVariable(let name, _, _): "undeclared template variable `\(name)`"
        case .unclosedSection(let name, _): "expected `{{/\(name)}}` to close the section"
        case .unexpectedClose(let expected, let found, _):
            if let expected {
                "expected `{{/\(expected)}}`, found `{{/\(found)}}`"
            } else {
                "unexpected `{{/\(found)}}`"
            }
        case .unclosedPlaceholder: "expected `}}` to close the placeholder"
        case .missingValue(let name, _): "missing value for template variable `\(name)`"
        case .notAList(let name, let found, _): "expected list for section `\(name)`, found \(found)"
        case .notFound(let name, _, _): "no prompt template named `\(name)`"
        }
    }

    package var description: String { diagnostic.rendered(caret: false) }

    package var diagnostic: Diagnostic {
        var notes: [String] = []
        switch self {
        case .undeclaredVariable(_, let suggestion?, _): notes.append("did you mean `\(suggestion)`?")
        case .undeclaredVariable: notes.append("declare it in the front matter's `variables` list")
        case .notFound(_, let searched, let suggestion):
            if let suggestion { notes.append("did you mean `\(suggestion)`?") }
            notes.append("searched: " + searched.joined(separator: ", "))
        default: break
        }
        return Diagnostic(.error, message, at: location, notes: notes)
    }
}
