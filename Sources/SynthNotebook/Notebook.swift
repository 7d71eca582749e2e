import Foundation
import SynthValues

/// A parsed notebook: front matter, prose and `synth` cells in document order.
///
/// Produced by ``NotebookParser``; run by ``NotebookRunner``. Prose is already rendered to HTML by
/// cmark (raw HTML dropped), so the report never sees the Markdown.
package struct Notebook: Sendable, Equatable {
    /// The notebook path as the user named it (used in every diagnostic).
    package var path: String
    package var title: String
    package var author: String?
    /// Declared parameters in front-matter order.
    package var params: [ParamSpec]
    package var blocks: [NotebookBlock]
    /// SHA-256 of the notebook's bytes (provenance).
    package var hash: String

    /// The executable cells in order.
    package var cells: [NotebookCell] {
        blocks.compactMap { if case .cell(let cell) = $0 { return cell } else { return nil } }
    }
}

/// A run of prose or one executable cell.
package enum NotebookBlock: Sendable, Equatable {
    /// Prose rendered to HTML (headings carry `id="sec-N"` anchors).
    case prose(html: String)
    case cell(NotebookCell)
}

/// One ```` ```synth ```` fenced block.
package struct NotebookCell: Sendable, Equatable {
    /// 0-based position among the cells.
    package var index: Int
    /// The code without its `#|` option lines.
    package var source: String
    package var options: CellOptions
    /// Where `source` starts in the notebook (line of the first code line, column 1).
    package var location: SourceLocation
    /// The line of the opening fence.
    package var fenceLine: Int

    /// The label from `#| label:`, or `cell-N` (1-based) when none was given.
    package var label: String { options.label ?? "cell-\(index + 1)" }
}
