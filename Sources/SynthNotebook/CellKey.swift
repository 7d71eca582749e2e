import SynthValues

/// The content key of a cell for the cache: what must be equal for a stored result to be reused.
///
/// SHA-256 over the tool version, the cell's normalized source (so comment and whitespace edits do not
/// count), the options that affect execution, the values of the params the cell reads, and for every
/// variable it reads the key of the cell that last assigned it. Files the cell reads are checked
/// separately against their content hashes (``SynthStore/CellCacheEntry/fullKey``), never their times.
/// Prose is not part of any key, so editing prose recomputes nothing.
package struct CellKey: Sendable, Equatable {
    package var hex: String

    /// - Parameters:
    ///   - upstream: for each variable read, the full key of the cell that wrote it (`nil` when no cell did).
    package init(
        normalizedSource: String, options: CellOptions, params: [String: String], upstream: [String: String?],
        toolVersion: String = ToolVersion.current
    ) {
        var hasher = SHA256()
        hasher.update("synthlab-cell-v1\ntool:\(toolVersion)\n")
        hasher.update("options:\(options.cacheKey)\n")
        for name in params.keys.sorted() { hasher.update("param:\(name)=\(params[name]!)\n") }
        for name in upstream.keys.sorted() { hasher.update("read:\(name)=\(upstream[name]! ?? "none")\n") }
        hasher.update("source:\(normalizedSource.utf8.count)\n")
        hasher.update(normalizedSource)
        hex = hasher.finalize().hex
    }
}
