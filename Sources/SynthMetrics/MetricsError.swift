import SynthValues

/// Problems with qrels files, run files, measure names and paired samples.
///
/// Every case names where the problem is (file and 1-based line for file contents) and what was
/// expected; ``diagnostic`` turns it into the ``Diagnostic`` the CLI prints as
/// `file:line: error: expected …`.
package enum MetricsError: Error, Sendable, Equatable, CustomStringConvertible, DiagnosticConvertible {
    /// A file could not be read.
    case unreadableFile(path: String, reason: String)
    /// A qrels line that is neither `qid 0 docid grade` nor `query-id<TAB>corpus-id<TAB>score`.
    case badQrelsLine(SourceLocation, expected: String, found: String, sourceLine: String)
    /// A run line that is not `qid Q0 docid rank score tag`.
    case badRunLine(SourceLocation, expected: String, found: String, sourceLine: String)
    /// A run lists the same document twice for one query (trec_eval refuses such runs).
    case duplicateRunDocument(SourceLocation, query: String, document: String, firstLine: Int, sourceLine: String)
    /// A measure family trec_eval does not have (or this module does not implement).
    case unknownMeasure(String, suggestion: String?)
    /// A measure whose cutoffs are missing, not positive integers, or not allowed.
    case badMeasureCutoff(String)
    /// One measure was expected but the text names a family of several (`P.5,10`).
    case multipleMeasures(String, count: Int)
    /// Paired tests need samples of equal length.
    case unpairedSamples(first: Int, second: Int)

    package var description: String { diagnostic.rendered(caret: false) }

    package var diagnostic: Diagnostic {
        switch self {
        case .unreadableFile(let path, let reason):
            return Diagnostic(.error, "cannot read file: \(reason)", at: SourceLocation(file: path))
        case .badQrelsLine(let location, let expected, let found, let line),
            .badRunLine(let location, let expected, let found, let line):
            return Diagnostic(.error, "expected \(expected), found \(found)", at: location, sourceLine: line)
        case .duplicateRunDocument(let location, let query, let document, let firstLine, let line):
            return Diagnostic(
                .error,
                "expected each document once per query, found '\(document)' again for query '\(query)'",
                at: location, notes: ["first listed on line \(firstLine)"], sourceLine: line)
        case .unknownMeasure(let name, let suggestion):
            let known = "ndcg, ndcg_cut.k, recall.k, P.k, recip_rank, recip_rank.k, map, map_cut.k"
            return Diagnostic(
                .error, "expected a measure (\(known)), found '\(name)'",
                notes: suggestion.map { ["did you mean '\($0)'?"] } ?? [])
        case .badMeasureCutoff(let name):
            var notes: [String] = []
            for family in ["map", "ndcg"] where name.hasPrefix(family + ".") {
                notes.append("'\(family)' takes no cutoff; did you mean '\(family)_cut\(name.dropFirst(family.count))'?")
            }
            return Diagnostic(
                .error, "expected positive integer cutoffs such as 'ndcg_cut.10' or 'P.5,10', found '\(name)'",
                notes: notes)
        case .multipleMeasures(let name, let count):
            return Diagnostic(.error, "expected one measure, found '\(name)' (\(count) measures)")
        case .unpairedSamples(let first, let second):
            return Diagnostic(.error, "expected paired samples of equal length, found \(first) and \(second)")
        }
    }
}
