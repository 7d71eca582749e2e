import Foundation
import SynthValues

/// Finds prompt templates by name, letting a notebook override the standard library.
///
/// Search order for `name`: `<notebook folder>/<name>.md`, `<notebook folder>/prompts/<name>.md`, then
/// each library folder (normally `stdlib/prompts/`). The first file found wins, so a researcher tweaks
/// a prompt by copying it next to the notebook and editing it; the new file's hash then appears in the
/// provenance of every record made with it.
///
/// ```swift
/// let library = TemplateLibrary(overrideFolders: [notebookFolder], libraryFolders: [stdlibPrompts])
/// let template = try library.template(named: "syntriever-positive")
/// ```
package struct TemplateLibrary: Sendable {
    /// Folders searched first (the notebook's folder); both `<folder>/<name>.md` and `<folder>/prompts/<name>.md`.
    package var overrideFolders: [URL]
    /// Folders holding the shipped templates (`stdlib/prompts`).
    package var libraryFolders: [URL]

    package init(overrideFolders: [URL] = [], libraryFolders: [URL]) {
        self.overrideFolders = overrideFolders
        self.libraryFolders = libraryFolders
    }

    /// The standard library's prompt folder: `$SYNTHLAB_STDLIB/prompts`, else `stdlib/prompts` found by
    /// walking up from `start` (the notebook folder or the working directory), else beside the executable.
    package static func standardFolder(near start: URL) -> URL? {
        let fm = FileManager.default
        if let root = ProcessInfo.processInfo.environment["SYNTHLAB_STDLIB"] {
            let url = URL(fileURLWithPath: root).appendingPathComponent("prompts")
            if fm.fileExists(atPath: url.path) { return url }
        }
        var candidates: [URL] = []
        var url = start.standardizedFileURL
        for _ in 0..<8 {
            candidates.append(url.appendingPathComponent("stdlib/prompts"))
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        var exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        for _ in 0..<5 {
            exe.deleteLastPathComponent()
            candidates.append(exe.appendingPathComponent("stdlib/prompts"))
        }
        return candidates.first { fm.fileExists(atPath: $0.path) }
    }

    /// Candidate files for `name`, in search order.
    package func candidates(for name: String) -> [URL] {
        var urls: [URL] = []
        for folder in overrideFolders {
            urls.append(folder.appendingPathComponent("\(name).md"))
            urls.append(folder.appendingPathComponent("prompts/\(name).md"))
        }
        for folder in libraryFolders { urls.append(folder.appendingPathComponent("\(name).md")) }
        return urls
    }

    /// The file that `template(named:)` would load, or `nil`.
    package func url(for name: String) -> URL? {
        candidates(for: name).first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Loads the template `name` from the first folder that has it.
    ///
    /// - Throws: ``TemplateError/notFound(_:searched:suggestion:)`` with a "did you mean" hint over the
    ///   names available, or the template's own parse errors.
    package func template(named name: String) throws -> PromptTemplate {
        guard let url = url(for: name) else {
            throw TemplateError.notFound(
                name, searched: (overrideFolders + libraryFolders).map(\.path),
                suggestion: nearestName(to: name, in: availableNames()))
        }
        return try PromptTemplate.load(from: url)
    }

    /// Names of the templates in the library folders and the `prompts/` folders of the override folders.
    ///
    /// Markdown files directly in an override folder (notebooks) are not listed, but still load by name.
    package func availableNames() -> [String] {
        var names: Set<String> = []
        let folders = libraryFolders + overrideFolders.map { $0.appendingPathComponent("prompts") }
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for file in files where file.hasSuffix(".md") { names.insert(String(file.dropLast(3))) }
        }
        return names.sorted()
    }
}
