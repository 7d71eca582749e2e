import Foundation
import SynthCommands
import SynthLanguage
import SynthStore
import SynthValues

/// The result of running a notebook: the record to render and whether a cell failed.
package struct RunOutcome: Sendable {
    package var record: RunRecord
    /// True when a cell without `error: true` failed (the CLI exits with status 1).
    package var failed: Bool
    /// Labels of the cells that actually ran (not restored from the cache), in order.
    package var ranLabels: [String]
}

/// Runs a notebook's cells top to bottom in one interpreter, reusing cached cells whose inputs are unchanged.
///
/// For each cell: parse, check, compute its ``CellKey`` from its normalized source, options, the params it
/// reads and the keys of the cells that wrote the variables it reads; if the cache holds an entry for the key
/// whose recorded input files still hash the same, restore the variables it assigned and reuse its outputs;
/// otherwise run it and store the result. All cells are checked before the first runs; a check error (in a
/// cell without `error: true`) means nothing runs. A failing cell stops the run (unless `error: true`), later cells
/// are recorded as skipped, and the record is still complete enough to render. Absolute paths in the
/// record are rewritten by ``ReportPaths`` so the report reads the same on every machine.
///
/// ```swift
/// let runner = NotebookRunner(notebook: notebook, params: params, settings: settings) { event in … }
/// let outcome = await runner.run()
/// ```
package struct NotebookRunner: Sendable {
    package var notebook: Notebook
    package var params: ResolvedParams
    package var settings: RunSettings
    package var events: @Sendable (RunEvent) -> Void

    package init(
        notebook: Notebook, params: ResolvedParams, settings: RunSettings,
        events: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) {
        self.notebook = notebook
        self.params = params
        self.settings = settings
        self.events = events
    }

    /// The folder holding the notebook (relative paths in cells resolve here).
    package var projectFolder: URL {
        URL(fileURLWithPath: notebook.path).deletingLastPathComponent().standardizedFileURL
    }

    /// A fresh interpreter for this notebook, wired to the run's settings.
    package func makeInterpreter() -> Interpreter {
        let events = self.events
        let context = ExecutionContext(
            projectFolder: projectFolder, outputFolder: settings.outputFolder, params: params.languageValues,
            offline: settings.offline, allowUnsafe: settings.allowUnsafe,
            runName: URL(fileURLWithPath: notebook.path).deletingPathExtension().lastPathComponent,
            progress: { events(.progress($0)) })
        return Interpreter(context: context, importPaths: [projectFolder] + settings.importPaths)
    }

    /// Runs every cell and assembles the ``RunRecord``.
    package func run() async -> RunOutcome {
        let start = ContinuousClock.now
        let startedAt = Date()
        let interpreter = makeInterpreter()
        let cache: CellCache? = settings.useCache ? try? CellCache(stateFolder: interpreter.context.stateFolder) : nil
        let cells = notebook.cells
        var records: [Int: CellRecord] = [:]
        var writerKeys: [String: String] = [:]  // variable → full key of the cell that last assigned it
        var forcedVariables: Set<String> = []  // assigned by refreshed cells: their readers recompute too
        var failed = false
        var results: [String: [String: [String: Double]]] = [:]
        var llm = LLMUsage()
        var filesRead: [String: String] = [:]
        var ranLabels: [String] = []
        // Every cell is checked before the first one runs: a misspelt verb or argument in the last cell
        // must not cost the hours of work before it.
        let blocked = precheck()

        for cell in cells {
            var record = CellRecord(
                index: cell.index, label: cell.label, source: cell.source, location: cell.location, status: .skipped,
                echo: cell.options.echo)
            if let blocked, !failed {
                var summary = CellStatusSummary.notRun
                if cell.index == blocked.index {
                    record.status = .failed
                    record.outputs = [.error(blocked.diagnostic)]
                    summary = .failed
                    failed = true
                }
                records[cell.index] = record
                events(.cellFinished(index: cell.index, total: cells.count, label: cell.label, status: summary, seconds: 0))
                continue
            }
            if failed {
                records[cell.index] = record
                events(.cellFinished(index: cell.index, total: cells.count, label: cell.label, status: .skipped, seconds: 0))
                continue
            }
            events(.cellStarted(index: cell.index, total: cells.count, label: cell.label))
            let cellStart = ContinuousClock.now
            var summary = CellStatusSummary.ran
            do {
                let checked = try interpreter.check(try interpreter.parse(cell.source, at: cell.location))
                var paramValues: [String: String] = [:]
                for name in checked.paramsRead { paramValues[name] = params[name]?.cacheKey ?? "undeclared" }
                var upstream: [String: String?] = [:]
                for name in checked.reads { upstream[name] = writerKeys[name] }
                let key = CellKey(
                    normalizedSource: checked.normalizedSource, options: cell.options, params: paramValues,
                    upstream: upstream)
                let forced = settings.refresh.contains(cell.label) || !checked.reads.isDisjoint(with: forcedVariables)
                var entry: CellCacheEntry?
                if let cache, cell.options.cache, !forced, let hit = try? cache.lookup(key: key.hex, root: projectFolder) {
                    try restore(hit, into: interpreter, cache: cache)
                    entry = hit
                }
                if let entry {
                    record.cached = true
                    summary = .cached
                    record.outputs = entry.outputs
                    absorb(entry.results, entry.llm, entry.filesRead, results: &results, llm: &llm, files: &filesRead,
                           countLLM: false)
                    for name in checked.writes { writerKeys[name] = entry.fullKey }
                } else {
                    ranLabels.append(cell.label)
                    if let cache { try materializeVariables(read: checked.reads, in: interpreter, cache: cache) }
                    let result = try await execute(checked, in: interpreter, timeout: cell.options.timeout, cell: cell)
                    record.outputs = result.outputs
                    absorb(result.results, result.llm, result.filesRead, results: &results, llm: &llm, files: &filesRead,
                           countLLM: true)
                    var fresh = CellCacheEntry(
                        key: key.hex, label: cell.label, filesRead: result.filesRead, outputs: result.outputs,
                        results: result.results, llm: result.llm)
                    fresh.seconds = (ContinuousClock.now - cellStart).seconds
                    if let cache, cell.options.cache, let variables = try? storedVariables(checked.writes, interpreter, cache) {
                        fresh.variables = variables
                        try? cache.store(fresh)
                    }
                    for name in checked.writes { writerKeys[name] = fresh.fullKey }
                    if forced { forcedVariables.formUnion(checked.writes) }
                }
                record.status = .ok
            } catch {
                var diagnostic = error is CancellationError
                    ? Diagnostic(.error, "cell cancelled", at: cell.location) : error.asDiagnostic
                if diagnostic.location == nil { diagnostic.location = cell.location }
                record.outputs = interpreter.partialResult.outputs + [.error(diagnostic)]
                if cell.options.error {
                    record.status = .ok
                    summary = .failedAllowed
                } else {
                    record.status = .failed
                    summary = .failed
                    failed = true
                }
                if ranLabels.last != cell.label { ranLabels.append(cell.label) }  // once, even if it failed mid-run
            }
            record.seconds = (ContinuousClock.now - cellStart).seconds
            records[cell.index] = record
            events(.cellFinished(index: cell.index, total: cells.count, label: cell.label, status: summary,
                                 seconds: record.seconds))
        }

        var blocks: [RunRecord.Block] = []
        for block in notebook.blocks {
            switch block {
            case .prose(let html): blocks.append(.prose(html: html))
            case .cell(let cell): blocks.append(.cell(records[cell.index]!))
            }
        }
        var provenance = ProvenanceCollector.collect(
            notebook: notebook, params: params, command: settings.command, projectFolder: projectFolder,
            filesRead: filesRead)
        provenance.startedAt = ISO8601DateFormatter().string(from: startedAt)
        provenance.seconds = (ContinuousClock.now - start).seconds
        // Reports are shared: absolute paths (outputs, locations, provenance inputs) become project-relative.
        let record = ReportPaths(projectFolder: projectFolder).apply(to: RunRecord(
            title: notebook.title, author: notebook.author, notebook: notebook.path, params: params.records,
            blocks: blocks, results: results, llm: llm, provenance: provenance))
        return RunOutcome(record: record, failed: failed, ranLabels: ranLabels)
    }

    // MARK: - Steps

    /// Parses and checks every cell in order in a scratch interpreter (nothing runs); the first error in a
    /// cell without `error: true`, if any. The checker tracks what earlier cells assign, so this is what
    /// `synthlab check` reports.
    private func precheck() -> (index: Int, diagnostic: Diagnostic)? {
        let scratch = makeInterpreter()
        for cell in notebook.cells {
            do {
                _ = try scratch.check(try scratch.parse(cell.source, at: cell.location))
            } catch {
                if !cell.options.error {
                    var diagnostic = error.asDiagnostic
                    if diagnostic.location == nil { diagnostic.location = cell.location }
                    return (cell.index, diagnostic)
                }
            }
        }
        return nil
    }

    /// Runs a checked cell, cancelling it when `timeout` seconds pass.
    ///
    /// The timer runs on a Dispatch queue, not on Swift's cooperative pool: synchronous cells (of this or
    /// another runner in the process) can occupy every pool thread, and a `Task.sleep` timer would then not
    /// wake before the cell ends. The interpreter checks for cancellation between statements and calls.
    private func execute(_ checked: CheckedCell, in interpreter: Interpreter, timeout: Double?, cell: NotebookCell)
        async throws -> CellResult
    {
        guard let timeout else { return try await interpreter.run(checked) }
        let work = Task { try await interpreter.run(checked) }
        let expired = ExpiryFlag()
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
            expired.set()
            work.cancel()
        }
        do {
            return try await withTaskCancellationHandler { try await work.value } onCancel: { work.cancel() }
        } catch where expired.isSet {
            throw Diagnostic(.error, "cell `\(cell.label)` timed out after \(timeout) s",
                             at: cell.location, notes: ["raise `#| timeout:` or remove it for no limit"])
        }
    }

    /// Puts a cached cell's variables back; objects stay in their blobs (``LazyObject``) until needed.
    private func restore(_ entry: CellCacheEntry, into interpreter: Interpreter, cache: CellCache) throws {
        for name in entry.variables.keys.sorted() {
            interpreter.restore(name, cache.lazyValue(entry.variables[name]!, persistable: ObjectRegistry.persistable))
        }
    }

    /// Restores the lazily cached objects a cell reads before it runs, so verbs only ever see real objects.
    ///
    /// A cell that calls a user function may reach globals through it, so then every variable is restored.
    private func materializeVariables(read names: Set<String>, in interpreter: Interpreter, cache: CellCache) throws {
        let variables = interpreter.variables
        let callsFunction = names.contains { variables[$0]?.typeName == "function" }
        for (name, value) in variables.sorted(by: { $0.key < $1.key })
        where (callsFunction || names.contains(name)) && CellCache.containsLazy(value) {
            interpreter.restore(name, try cache.materialize(value))
        }
    }

    /// The assigned variables in storable form, or `nil` when one cannot be stored (the cell is then not cached).
    private func storedVariables(_ names: Set<String>, _ interpreter: Interpreter, _ cache: CellCache) throws
        -> [String: StoredValue]?
    {
        let variables = interpreter.variables
        var stored: [String: StoredValue] = [:]
        for name in names.sorted() {
            guard let value = variables[name] else { continue }
            guard let item = try cache.storedValue(value, persistable: ObjectRegistry.persistable) else { return nil }
            stored[name] = item
        }
        return stored
    }

    private func absorb(
        _ cellResults: [String: [String: [String: Double]]], _ cellLLM: LLMUsage, _ files: [String: String],
        results: inout [String: [String: [String: Double]]], llm: inout LLMUsage, files allFiles: inout [String: String],
        countLLM: Bool
    ) {
        for (label, systems) in cellResults {
            for (system, measures) in systems {
                results[label, default: [:]][system, default: [:]].merge(measures) { _, new in new }
            }
        }
        if countLLM {
            llm.requestsNew += cellLLM.requestsNew
            llm.requestsReplayed += cellLLM.requestsReplayed
            llm.promptTokens += cellLLM.promptTokens
            llm.completionTokens += cellLLM.completionTokens
        }
        for endpoint in cellLLM.endpoints where !llm.endpoints.contains(endpoint) { llm.endpoints.append(endpoint) }
        allFiles.merge(files) { _, new in new }
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    package var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Set once by a cell's timer when its time is up; read by the runner after the cell returns or throws.
private final class ExpiryFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
