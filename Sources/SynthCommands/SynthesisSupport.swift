import Foundation
import SynthRetrieval
import SynthSynthesis
import SynthValues

/// Shared glue of the synthesis verbs: templates, usage accounting and cell outputs.
enum SynthesisSupport {
    /// The template library: the notebook folder first, then `stdlib/prompts`.
    static func library(_ context: ExecutionContext) -> TemplateLibrary {
        let standard =
            TemplateLibrary.standardFolder(near: context.projectFolder)
            ?? TemplateLibrary.standardFolder(near: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return TemplateLibrary(overrideFolders: [context.projectFolder], libraryFolders: standard.map { [$0] } ?? [])
    }

    /// Loads template `name` and records its file hash.
    static func template(
        _ name: String, _ context: ExecutionContext, files: inout [URL], call: VerbCall
    ) throws -> PromptTemplate {
        let library = library(context)
        if let url = library.url(for: name) { files.append(url) }
        do { return try library.template(named: name) } catch {
            var diagnostic = error.asDiagnostic
            if diagnostic.location == nil {
                diagnostic.location = call.location
                diagnostic.sourceLine = call.sourceLine
            }
            throw diagnostic
        }
    }

    /// The LLM usage between two count snapshots.
    static func usage(_ after: SynthesisCounts, minus before: SynthesisCounts, model: String) -> LLMUsage {
        var usage = LLMUsage()
        usage.requestsNew = after.requestsNew - before.requestsNew
        usage.requestsReplayed = after.requestsReplayed - before.requestsReplayed
        usage.promptTokens = after.promptTokens - before.promptTokens
        usage.completionTokens = after.completionTokens - before.completionTokens
        usage.endpoints = [model]
        return usage
    }

    /// The outcome of a synthesis step: the set, a one-line summary, its usage and the files read.
    static func outcome(
        _ set: SyntheticSet, before: SynthesisCounts = SynthesisCounts(), teacher: TeacherObject, files: [URL],
        extra: [CellOutput] = []
    ) -> VerbOutcome {
        VerbOutcome(
            value: .object(set), outputs: [.text(set.summary)] + extra, filesRead: PathPolicy.hashes(of: files),
            llm: usage(set.counts, minus: before, model: teacher.teacher.model))
    }

    /// A progress callback for `label`.
    static func progress(_ label: String, _ context: ExecutionContext) -> @Sendable (Int, Int) -> Void {
        let sink = context.progress
        return { done, total in sink(ProgressEvent(label: label, count: done, total: total)) }
    }

    /// The text of documents by id, for looking up passages.
    static func passageLookup(_ dataset: BEIRDataset) -> @Sendable (String) -> String? {
        var texts: [String: String] = [:]
        for document in dataset.corpus { texts[document.id] = document.indexedText }
        let frozen = texts
        return { frozen[$0] }
    }
}
