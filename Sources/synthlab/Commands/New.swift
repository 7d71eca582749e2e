import ArgumentParser
import Foundation
import SynthNotebook
import SynthValues

/// `synthlab new NAME`: writes a starter notebook.
struct New: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a starter notebook NAME.md.",
        discussion: """
            The starter has front matter with params, prose, and cells that run as written. It never \
            overwrites an existing file unless --force is given.

            Example:
              synthlab new notebooks/my-experiment && synthlab run notebooks/my-experiment.md
            """)

    @Argument(help: "The notebook to create (.md is added when missing).")
    var name: String

    @Option(help: "The notebook title (default: from the file name).")
    var title: String?

    @Flag(help: "Overwrite an existing file.")
    var force = false

    func run() async throws {
        let path = name.hasSuffix(".md") ? name : name + ".md"
        let url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: url.path), !force {
            throw ReportedFailure(status: Diagnostic(
                .error, "\(path) already exists", at: SourceLocation(file: path),
                notes: ["pass --force to overwrite it"]).reportAsDiagnostic())
        }
        let stem = url.deletingPathExtension().lastPathComponent
        let heading = title ?? stem.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        do {
            try AtomicFile.write(StarterNotebook.text(title: heading), to: url)
        } catch {
            throw ReportedFailure(status: error.reportAsDiagnostic())
        }
        StandardError.line("wrote \(path); run it with: synthlab run \(shellQuote(path))")
    }
}
