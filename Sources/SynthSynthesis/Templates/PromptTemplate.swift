import Foundation
import SynthValues
import Yams

/// A prompt template: a Markdown file with YAML front matter and a body with `{{variable}}` placeholders.
///
/// Templates live in `stdlib/prompts/<name>.md`; a notebook overrides one by putting a file of the
/// same name beside it (see ``TemplateLibrary``). The front matter declares:
///
/// ```yaml
/// ---
/// name: inpars-query            # must equal the file name
/// summary: few-shot query generation
/// paper: Bonifacio et al. 2022 (InPars); Dai et al. 2023 (Promptagator)
/// variables: [passage, count]   # every top-level placeholder must be declared here
/// system: You write search queries.       # optional system message
/// max_tokens: 96                # generation defaults (optional)
/// temperature: 0.7
/// output_schema: {type: object, properties: {queries: {type: array, items: {type: string}}}}
/// examples:                     # few-shot examples, rendered by a {{#examples}} section
///   - passage: …
///     output: '{"queries": ["…"]}'
/// ---
/// {{#examples}}
/// Passage: {{passage}}
/// Output: {{output}}
/// {{/examples}}
/// Passage: {{passage}}
/// ```
///
/// The body becomes the user message. Keep fixed text and examples first and per-item text last so
/// llama.cpp's prefix cache reuses the shared part across requests. The file's SHA-256 (``hash``) goes
/// into the provenance of every record made with the template.
package struct PromptTemplate: Sendable {
    /// The template's name (its file name without `.md`).
    package var name: String
    package var summary: String
    /// The paper whose prompt this follows, if any.
    package var paper: String?
    /// Variables the caller must supply (besides `examples`, which the front matter supplies).
    package var variables: [String]
    /// An optional system message (may contain placeholders too).
    package var system: TemplateBody?
    package var body: TemplateBody
    /// The JSON schema the answer must follow; strings equal to `{{name}}` are replaced by that variable.
    package var outputSchema: Value?
    /// Few-shot examples, available to the body as the list `examples`.
    package var examples: [Value]
    package var maxTokens: Int?
    package var temperature: Double?
    /// SHA-256 of the file's bytes, hex.
    package var hash: String
    /// The file it was read from.
    package var file: String

    /// The name and hash, as stored in record provenance (`inpars-query@1a2b3c4d`).
    package var reference: String { "\(name)@\(hash.prefix(12))" }

    /// Reads and validates a template file.
    ///
    /// - Throws: ``TemplateError`` naming the file and line of the problem.
    package static func load(from url: URL) throws -> PromptTemplate {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw Diagnostic(.error, "cannot read prompt template", at: SourceLocation(file: url.path))
        }
        let text = String(decoding: data, as: UTF8.self)
        let hash = SHA256.hash(data).hex
        return try PromptTemplate(
            parsing: text, file: url.path, hash: hash, expectedName: url.deletingPathExtension().lastPathComponent)
    }

    /// Parses template text; `expectedName`, when given, must equal the front-matter name.
    package init(parsing text: String, file: String, hash: String? = nil, expectedName: String? = nil)
        throws(TemplateError)
    {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            throw .missingFrontMatter(SourceLocation(file: file, line: 1, column: 1))
        }
        guard let close = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else {
            throw .missingFrontMatter(SourceLocation(file: file, line: 1, column: 1))
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        lines = Array(lines[(close + 1)...])
        var bodyText = lines.joined(separator: "\n")
        if bodyText.hasSuffix("\n") { bodyText.removeLast() }  // the file's final newline is not prompt text
        let bodyFirstLine = close + 2
        let front = try Self.frontMatter(yaml, file: file)
        func location(_ key: String) -> SourceLocation {
            let line = front.lines[key].map { $0 + 1 } ?? 2
            return SourceLocation(file: file, line: line, column: 1)
        }
        func string(_ key: String, required: Bool = false) throws(TemplateError) -> String? {
            guard let value = front.record[key] else {
                if required { throw .missingField(key, SourceLocation(file: file, line: 1, column: 1)) }
                return nil
            }
            guard case .string(let s) = value else {
                throw .wrongType(field: key, expected: "string", found: value.typeName, location(key))
            }
            return s
        }
        guard let name = try string("name", required: true) else { throw .missingField("name", location("name")) }
        if let expectedName, expectedName != name {
            throw .nameMismatch(fileName: expectedName, name: name, location("name"))
        }
        self.name = name
        self.summary = try string("summary") ?? ""
        self.paper = try string("paper")
        self.file = file
        self.hash = hash ?? SHA256.hash(text).hex
        switch front.record["variables"] {
        case nil: variables = []
        case .list(let items)?:
            variables = try items.map { (item: Value) throws(TemplateError) -> String in
                guard case .string(let s) = item else {
                    throw .wrongType(
                        field: "variables", expected: "list of string", found: "list of \(item.typeName)",
                        location("variables"))
                }
                return s
            }
        case let other?:
            throw .wrongType(
                field: "variables", expected: "list of string", found: other.typeName, location("variables"))
        }
        switch front.record["examples"] {
        case nil: examples = []
        case .list(let items)?: examples = items
        case let other?:
            throw .wrongType(field: "examples", expected: "list", found: other.typeName, location("examples"))
        }
        switch front.record["max_tokens"] {
        case nil: maxTokens = nil
        case .int(let i)?: maxTokens = i
        case let other?:
            throw .wrongType(field: "max_tokens", expected: "int", found: other.typeName, location("max_tokens"))
        }
        switch front.record["temperature"] {
        case nil: temperature = nil
        case let value? where value.doubleValue != nil: temperature = value.doubleValue
        case let other?:
            throw .wrongType(field: "temperature", expected: "number", found: other.typeName, location("temperature"))
        }
        switch front.record["output_schema"] {
        case nil: outputSchema = nil
        case .record(let r)?: outputSchema = .record(r)
        case let other?:
            throw .wrongType(
                field: "output_schema", expected: "record", found: other.typeName, location("output_schema"))
        }
        body = try TemplateBody(parsing: bodyText, file: file, firstLine: bodyFirstLine)
        if let systemText = try string("system") {
            system = try TemplateBody(parsing: systemText, file: file, firstLine: location("system").line ?? 1)
        } else {
            system = nil
        }
        let declared = Set(variables + ["examples"])
        for part in [system, body].compactMap({ $0 }) {
            for (used, at) in part.topLevelNames where !declared.contains(used) && !used.hasPrefix("@") {
                throw .undeclaredVariable(used, suggestion: nearestName(to: used, in: declared), at)
            }
        }
    }

    /// The front matter as a record, with the line of each top-level key (1-based within the YAML).
    private static func frontMatter(_ yaml: String, file: String) throws(TemplateError)
        -> (record: Record, lines: [String: Int])
    {
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch let error as YamlError {
            throw .invalidYAML(yamlMessage(error), yamlLocation(error, file: file))
        } catch {
            throw .invalidYAML(String(describing: error), SourceLocation(file: file, line: 2))
        }
        guard let node, case .mapping(let mapping) = node else {
            throw .invalidYAML("expected a mapping of fields", SourceLocation(file: file, line: 2, column: 1))
        }
        var record = Record()
        var lines: [String: Int] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            record[name] = yamlValue(value)
            if let mark = key.mark { lines[name] = mark.line }
        }
        return (record, lines)
    }

    private static func yamlMessage(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            let text = String(describing: error)
            return (text.split(separator: "\n").first.map(String.init) ?? text).lowercased()
        }
    }

    /// The file position of a YAML error (front matter starts on line 2 of the file).
    private static func yamlLocation(_ error: YamlError, file: String) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(file: file, line: mark.line + 1, column: mark.column)
        default:
            return SourceLocation(file: file, line: 2, column: 1)
        }
    }
}

/// Converts a YAML node to a language value, keeping mapping order and resolving scalar types.
func yamlValue(_ node: Node) -> Value {
    switch node {
    case .scalar(let scalar):
        if scalar.style == .plain {
            if scalar.string == "~" || scalar.string == "null" || scalar.string.isEmpty { return .null }
            if let b = node.bool, ["true", "false", "True", "False"].contains(scalar.string) { return .bool(b) }
            if let i = Int(scalar.string) { return .int(i) }
            if let d = node.float, Double(scalar.string) != nil { return .double(d) }
        }
        return .string(scalar.string)
    case .mapping(let mapping):
        var record = Record()
        for (key, value) in mapping { record[key.string ?? String(describing: key)] = yamlValue(value) }
        return .record(record)
    case .sequence(let sequence):
        return .list(sequence.map(yamlValue))
    case .alias:
        return .null
    }
}
