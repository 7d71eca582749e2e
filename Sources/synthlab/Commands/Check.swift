import ArgumentParser
import Foundation
import SynthNotebook
import SynthValues

/// `synthlab check NOTEBOOK`: parses and checks a notebook without running anything.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse and check a notebook without running it.",
        discussion: """
            Checks the front matter, params (and --param overrides), cell options, syntax, verbs, argument \
            names and types, and variables, in document order. Nothing runs and nothing is written. \
            Exit status 0 when the notebook is fine, 1 with a file:line:col diagnostic otherwise.

            Example:
              synthlab check notebooks/bm25-scifact.md
            """)

    @Argument(help: "The notebook (.md) to check.")
    var notebook: String

    @Option(name: .customLong("param"), help: ArgumentHelp("Check with this param override (repeatable).", valueName: "name=value"))
    var params: [String] = []

    func run() async throws {
        do {
            let notebook = try NotebookParser.load(URL(fileURLWithPath: self.notebook), path: self.notebook)
            let resolved = try ResolvedParams(notebook: notebook, overrides: params)
            var settings = RunSettings(outputFolder: URL(fileURLWithPath: "reports").standardizedFileURL)
            settings.importPaths = StdlibLocator.find().map { [$0] } ?? []
            let interpreter = NotebookRunner(notebook: notebook, params: resolved, settings: settings).makeInterpreter()
            for cell in notebook.cells {
                _ = try interpreter.check(try interpreter.parse(cell.source, at: cell.location))
            }
            let count = notebook.cells.count
            StandardError.line("\(self.notebook): ok (\(count) cell\(count == 1 ? "" : "s"), \(notebook.params.count) param\(notebook.params.count == 1 ? "" : "s"))")
        } catch {
            throw ReportedFailure(status: error.reportAsDiagnostic())
        }
    }
}
