import Foundation
import SynthValues

/// The parsed body of a prompt template: text with `{{variable}}` placeholders and `{{#list}}…{{/list}}`
/// sections, a small subset of Mustache.
///
/// - `{{name}}` inserts a value (strings as is, numbers compactly, lists and records as JSON).
/// - `{{#name}} … {{/name}}` repeats its content once per element of the list `name`; inside, `{{field}}`
///   reads the element's field (records), `{{.}}` the element itself and `{{@number}}` its 1-based position.
///   Names not found in the element fall back to the enclosing variables.
/// - Whitespace is kept exactly, except that a line holding only a section tag is dropped entirely,
///   so templates can put tags on their own lines.
package struct TemplateBody: Sendable, Equatable {
    package indirect enum Node: Sendable, Equatable {
        case text(String)
        case variable(String, SourceLocation)
        case section(String, [Node], SourceLocation)
    }

    package var nodes: [Node]

    /// Parses `text`, whose first line is line `firstLine` of `file`.
    package init(parsing text: String, file: String, firstLine: Int) throws(TemplateError) {
        var parser = Parser(text: Array(text), file: file, line: firstLine)
        nodes = try parser.parse()
    }

    /// Top-level variable names the body reads (section names included, fields inside sections excluded).
    package var topLevelNames: [(name: String, location: SourceLocation)] {
        nodes.compactMap {
            switch $0 {
            case .variable(let name, let location), .section(let name, _, let location): (name, location)
            case .text: nil
            }
        }
    }

    private struct Parser {
        let text: [Character]
        let file: String
        var index = 0
        var line: Int
        var column = 1

        init(text: [Character], file: String, line: Int) {
            self.text = text
            self.file = file
            self.line = line
        }

        mutating func parse() throws(TemplateError) -> [Node] {
            let (nodes, closing) = try parseUntilClose(open: nil)
            if let closing { throw .unexpectedClose(expected: nil, found: closing.name, closing.location) }
            return nodes
        }

        /// Parses nodes until `{{/…}}` or the end; returns the closing tag found, if any.
        private mutating func parseUntilClose(open: String?) throws(TemplateError)
            -> ([Node], (name: String, location: SourceLocation)?)
        {
            var nodes: [Node] = []
            var buffer = ""
            while index < text.count {
                if text[index] == "{", index + 1 < text.count, text[index + 1] == "{" {
                    let start = SourceLocation(file: file, line: line, column: column)
                    let standalone = isStandaloneTagLine(bufferTail: buffer)
                    advance(2)
                    var inner = ""
                    while index < text.count, !(text[index] == "}" && index + 1 < text.count && text[index + 1] == "}")
                    {
                        inner.append(text[index])
                        advance(1)
                    }
                    guard index < text.count else { throw .unclosedPlaceholder(start) }
                    advance(2)
                    let tag = inner.trimmingCharacters(in: .whitespaces)
                    if tag.hasPrefix("#") || tag.hasPrefix("/") {
                        if standalone { dropStandaloneLine(&buffer) }
                    }
                    if !buffer.isEmpty { nodes.append(.text(buffer)) }
                    buffer = ""
                    if tag.hasPrefix("#") {
                        let name = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
                        let (children, closing) = try parseUntilClose(open: name)
                        guard let closing else { throw .unclosedSection(name, start) }
                        guard closing.name == name else {
                            throw .unexpectedClose(expected: name, found: closing.name, closing.location)
                        }
                        nodes.append(.section(name, children, start))
                    } else if tag.hasPrefix("/") {
                        let name = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
                        return (nodes, (name, start))
                    } else {
                        nodes.append(.variable(tag, start))
                    }
                } else {
                    buffer.append(text[index])
                    advance(1)
                }
            }
            if !buffer.isEmpty { nodes.append(.text(buffer)) }
            _ = open
            return (nodes, nil)
        }

        /// Whether the tag starting at `index` is alone on its line (only spaces before it in the buffer's
        /// last line, and only spaces then a newline or the end after its `}}`).
        private func isStandaloneTagLine(bufferTail: String) -> Bool {
            let lastLine = bufferTail.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
            guard lastLine.allSatisfy({ $0 == " " || $0 == "\t" }) else { return false }
            var probe = index + 2
            while probe + 1 < text.count, !(text[probe] == "}" && text[probe + 1] == "}") { probe += 1 }
            probe += 2
            while probe < text.count, text[probe] == " " || text[probe] == "\t" { probe += 1 }
            return probe >= text.count || text[probe] == "\n"
        }

        /// Drops the spaces before a standalone tag and the newline after it.
        private mutating func dropStandaloneLine(_ buffer: inout String) {
            while let last = buffer.last, last == " " || last == "\t" { buffer.removeLast() }
            while index < text.count, text[index] == " " || text[index] == "\t" { advance(1) }
            if index < text.count, text[index] == "\n" { advance(1) }
        }

        private mutating func advance(_ count: Int) {
            for _ in 0..<count where index < text.count {
                if text[index] == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                index += 1
            }
        }
    }
}
