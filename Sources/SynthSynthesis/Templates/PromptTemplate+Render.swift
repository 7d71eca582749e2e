import Foundation
import SynthValues

/// A template filled with values: the messages to send and the constraints on the answer.
package struct RenderedPrompt: Sendable, Equatable {
    package var system: String?
    package var user: String
    /// The JSON schema for `response_format`, with `{{name}}` strings substituted, as JSON text.
    package var schema: String?
    package var maxTokens: Int?
    package var temperature: Double?
    /// Name and hash of the template, for provenance.
    package var templateName: String
    package var templateHash: String
}

extension PromptTemplate {
    /// Fills the template with `values` (the front-matter `examples` are added as `examples`).
    ///
    /// For example, with a body `Passage: {{passage}}` and `values = ["passage": .string("Rain …")]`
    /// the user message is `Passage: Rain …`.
    ///
    /// - Throws: ``TemplateError/missingValue(_:_:)`` at the placeholder's position when a value is absent,
    ///   ``TemplateError/notAList(_:found:_:)`` when a section is given something other than a list.
    package func render(_ values: [String: Value]) throws(TemplateError) -> RenderedPrompt {
        var scope = values
        if scope["examples"] == nil { scope["examples"] = .list(examples) }
        let user = try Self.render(body.nodes, scopes: [scope])
        let systemText = try system.map { (part: TemplateBody) throws(TemplateError) -> String in
            try Self.render(part.nodes, scopes: [scope])
        }
        let schemaText = outputSchema.map { Self.substitute($0, values: scope).jsonText }
        return RenderedPrompt(
            system: systemText, user: user, schema: schemaText, maxTokens: maxTokens, temperature: temperature,
            templateName: name, templateHash: hash)
    }

    /// Renders nodes; `scopes` is innermost last (a section element over the variables).
    private static func render(_ nodes: [TemplateBody.Node], scopes: [[String: Value]]) throws(TemplateError)
        -> String
    {
        var out = ""
        for node in nodes {
            switch node {
            case .text(let text): out += text
            case .variable(let name, let location):
                guard let value = lookup(name, scopes) else { throw .missingValue(name, location) }
                out += inserted(value)
            case .section(let name, let children, let location):
                guard let value = lookup(name, scopes) else { throw .missingValue(name, location) }
                guard case .list(let items) = value else { throw .notAList(name, found: value.typeName, location) }
                for (i, item) in items.enumerated() {
                    var element: [String: Value] = [".": item, "@number": .int(i + 1), "@index": .int(i)]
                    if case .record(let record) = item {
                        for pair in record.pairs { element[pair.key] = pair.value }
                    }
                    out += try render(children, scopes: scopes + [element])
                }
            }
        }
        return out
    }

    private static func lookup(_ name: String, _ scopes: [[String: Value]]) -> Value? {
        for scope in scopes.reversed() { if let value = scope[name] { return value } }
        return nil
    }

    /// How a value reads inside a prompt: strings verbatim, numbers compactly, structures as JSON.
    private static func inserted(_ value: Value) -> String {
        switch value {
        case .string(let s): s
        case .null: ""
        case .list, .record: value.jsonText
        default: value.description
        }
    }

    /// Replaces schema strings that are exactly `{{name}}` by the variable's value (so `maxItems` can be a count).
    private static func substitute(_ schema: Value, values: [String: Value]) -> Value {
        switch schema {
        case .string(let s) where s.hasPrefix("{{") && s.hasSuffix("}}"):
            let name = String(s.dropFirst(2).dropLast(2)).trimmingCharacters(in: .whitespaces)
            return values[name] ?? schema
        case .list(let items): return .list(items.map { substitute($0, values: values) })
        case .record(let record):
            var out = Record()
            for pair in record.pairs { out[pair.key] = substitute(pair.value, values: values) }
            return .record(out)
        default: return schema
        }
    }
}
