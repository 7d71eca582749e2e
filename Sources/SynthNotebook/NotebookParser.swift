import CCmark
import Foundation
import SynthValues

/// Reads a Markdown notebook: YAML front matter, prose, and ```` ```synth ```` cells.
///
/// Parsing uses libcmark (CommonMark). Fenced code blocks whose info string starts with `synth` are
/// cells; everything else is prose, rendered to HTML without `CMARK_OPT_UNSAFE`, so raw HTML written
/// in the notebook is dropped (`<!-- raw HTML omitted -->`) and can never inject markup into a report.
/// Headings get `id="sec-N"` anchors for the table of contents. An unclosed fence is an error (CommonMark
/// would silently run it to the end of the file).
///
/// ```swift
/// let notebook = try NotebookParser.parse(text, path: "notebooks/bm25.md")
/// for cell in notebook.cells { print(cell.label, cell.location) }
/// ```
package enum NotebookParser {
    /// Parses the notebook at `url`, naming it `path` in diagnostics.
    package static func load(_ url: URL, path: String? = nil) throws(Diagnostic) -> Notebook {
        let name = path ?? url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Diagnostic(.error, "cannot read notebook", at: SourceLocation(file: name))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic(.error, "expected UTF-8 text in the notebook", at: SourceLocation(file: name))
        }
        return try parse(text, path: name)
    }

    /// Parses notebook text.
    ///
    /// - Throws: a ``Diagnostic`` with file:line:column for front matter errors, unclosed fences, bad cell
    ///   options and duplicate labels.
    package static func parse(_ text: String, path: String) throws(Diagnostic) -> Notebook {
        let text = text.replacingOccurrences(of: "\r\n", with: "\n")
        let matter = try FrontMatter.parse(text, file: path)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Blank out the front matter so cmark's line numbers stay those of the file.
        for i in 0..<min(matter.lineCount, lines.count) { lines[i] = "" }
        let body = lines.joined(separator: "\n")

        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        guard let document = body.withCString({ cmark_parse_document($0, strlen($0), options) }) else {
            throw Diagnostic(.error, "cannot parse notebook", at: SourceLocation(file: path))
        }
        defer { cmark_node_free(document) }

        var blocks: [NotebookBlock] = []
        var prose = ""
        var headingCount = 0
        var cellIndex = 0
        var labels: [String: SourceLocation] = [:]
        var firstHeading: String?
        var node = cmark_node_first_child(document)
        while let current = node {
            node = cmark_node_next(current)
            if cmark_node_get_type(current) == CMARK_NODE_CODE_BLOCK, let info = fenceInfo(current, lines),
               info.split(separator: " ").first.map(String.init) == "synth"
            {
                let start = Int(cmark_node_get_start_line(current))
                let end = Int(cmark_node_get_end_line(current))
                try checkClosed(lines: lines, start: start, end: end, path: path)
                if !prose.isEmpty { blocks.append(.prose(html: prose)); prose = "" }
                let literal = cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
                let parsed = try CellOptions.parse(literal, file: path, firstLine: start + 1)
                let cell = NotebookCell(
                    index: cellIndex, source: parsed.code, options: parsed.options,
                    location: SourceLocation(file: path, line: start + 1 + parsed.optionLines, column: 1),
                    fenceLine: start)
                if let previous = labels[cell.label] {
                    throw Diagnostic(.error, "duplicate cell label `\(cell.label)`",
                                     at: SourceLocation(file: path, line: start + 1, column: 1),
                                     notes: ["first used at \(previous)"], sourceLine: lines[start])
                }
                labels[cell.label] = SourceLocation(file: path, line: start + 1)
                blocks.append(.cell(cell))
                cellIndex += 1
                continue
            }
            if cmark_node_get_type(current) == CMARK_NODE_CODE_BLOCK, fenceInfo(current, lines) != nil {
                let start = Int(cmark_node_get_start_line(current))
                let end = Int(cmark_node_get_end_line(current))
                try checkClosed(lines: lines, start: start, end: end, path: path)
            }
            var html = render(current)
            if cmark_node_get_type(current) == CMARK_NODE_HEADING {
                headingCount += 1
                let level = Int(cmark_node_get_heading_level(current))
                if level == 1, firstHeading == nil { firstHeading = plainText(current) }
                html = html.replacingOccurrences(of: "<h\(level)>", with: "<h\(level) id=\"sec-\(headingCount)\">")
            }
            prose += html
        }
        if !prose.isEmpty { blocks.append(.prose(html: prose)) }
        let fallback = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return Notebook(
            path: path, title: matter.title ?? firstHeading ?? fallback, author: matter.author, params: matter.params,
            blocks: blocks, hash: SHA256.hash(text).hex)
    }

    // MARK: - Helpers

    /// The info string of a fenced code block, or `nil` for an indented one (whose first line is not a fence).
    private static func fenceInfo(_ node: OpaquePointer, _ lines: [String]) -> String? {
        let start = Int(cmark_node_get_start_line(node))
        guard start >= 1, start <= lines.count else { return nil }
        let opening = lines[start - 1].drop { $0 == " " }
        guard opening.hasPrefix("```") || opening.hasPrefix("~~~") else { return nil }
        return cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
    }

    /// An unclosed fence runs to the end of the document; its last line is then not a closing fence.
    private static func checkClosed(lines: [String], start: Int, end: Int, path: String) throws(Diagnostic) {
        let opening = lines[start - 1].trimmingCharacters(in: .whitespaces)
        guard let fenceChar = opening.first else { return }
        let fenceLength = opening.prefix { $0 == fenceChar }.count
        let closing = end - 1 < lines.count ? lines[end - 1].trimmingCharacters(in: .whitespaces) : ""
        let closed = end > start && closing.count >= fenceLength && closing.allSatisfy { $0 == fenceChar }
        if !closed {
            throw Diagnostic(
                .error, "unclosed code fence: expected a closing \(String(repeating: fenceChar, count: fenceLength)) line",
                at: SourceLocation(file: path, line: start, column: lines[start - 1].prefix { $0 == " " }.count + 1),
                notes: ["the fence opened here runs to the end of the notebook"], sourceLine: lines[start - 1])
        }
    }

    private static func render(_ node: OpaquePointer) -> String {
        guard let buffer = cmark_render_html(node, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(buffer) }
        return String(cString: buffer)
    }

    private static func plainText(_ node: OpaquePointer) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iterator) }
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            let current = cmark_iter_get_node(iterator)
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE, let literal = cmark_node_get_literal(current) {
                text += String(cString: literal)
            }
        }
        return text
    }
}
