import CReadline
import Foundation
import SynthCommands
import SynthValues

/// What tab completion offers at a point in the input: pure logic, fed by the session's current names.
struct Completer: Sendable {
    var verbs: [VerbSpec]
    var variables: [String: Value]
    static let metaCommands = [":help", ":vars", ":show", ":save", ":report", ":quit"]
    static let keywords = ["def", "end", "import", "return", "params."]

    /// The words (or paths, signalled by `nil`) that complete `word`, which ends at `start + word.count`
    /// in `line`.
    func candidates(line: String, start: Int, word: String) -> [String]? {
        let before = String(line.prefix(start))
        let words = before.split(whereSeparator: { " \t".contains($0) }).map(String.init)
        let quotes = before.filter { $0 == "\"" }.count
        if quotes % 2 == 1 { return nil }  // inside a string: complete paths
        if before.trimmingCharacters(in: .whitespaces).isEmpty && word.hasPrefix(":") {
            return Self.metaCommands.filter { $0.hasPrefix(word) }
        }
        if let first = words.first, first.hasPrefix(":") {
            switch first {
            case ":save", ":report": return nil
            case ":help": return Set(verbs.map(\.name)).sorted().filter { $0.hasPrefix(word) }
            case ":show": return variables.keys.sorted().filter { $0.hasPrefix(word) }
            default: return []
            }
        }
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot])
            let prefix = String(word[word.index(after: dot)...])
            let fields: [String]
            if base == "params" {
                fields = []
            } else {
                switch variables[base] {
                case .record(let record)?: fields = record.keys
                case .object(let object)?: fields = object.fieldNames
                default: fields = []
                }
            }
            return fields.filter { $0.hasPrefix(prefix) }.map { base + "." + $0 }
        }
        // The statement's verb: the first word, or the first word after `name =`.
        var statement = words
        if statement.count >= 2, statement[1] == "=" || statement[0].hasSuffix("=") {
            statement = Array(statement.dropFirst(statement[1] == "=" ? 2 : 1))
        }
        let atStatementStart = statement.isEmpty
        var names: [String] = []
        if atStatementStart {
            names = Set(verbs.map(\.name)).sorted() + Self.keywords + variables.keys.sorted()
        } else if let verb = statement.first {
            let sub = statement.count >= 2 ? statement[1] : nil
            let forms = verbs.filter { $0.name == verb }
            let spec = forms.first { $0.subcommand != nil && $0.subcommand == sub } ?? forms.first { $0.subcommand == nil }
            if statement.count == 1 { names += forms.compactMap(\.subcommand) }
            if let spec { names += spec.keywords.map { $0.name + "=" } }
            names += variables.keys.sorted() + ["params."]
        }
        var seen = Set<String>()
        return names.filter { $0.hasPrefix(word) && seen.insert($0).inserted }
    }
}

/// The completer readline consults; set by the REPL before each prompt. Readline calls back on the main
/// thread while the REPL waits in `readline()`, so no other code touches these at the same time.
nonisolated(unsafe) var activeCompleter: Completer?
nonisolated(unsafe) private var pendingMatches: [String] = []
nonisolated(unsafe) private var matchCursor = 0

/// readline's attempted-completion hook.
let replCompletionHook: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, _ in
        let word = text.map { String(cString: $0) } ?? ""
        let line = synth_rl_line_buffer().map { String(cString: $0) } ?? ""
        guard let completer = activeCompleter else { return nil }
        let utf8 = Array(line.utf8)
        let prefix = String(decoding: utf8.prefix(Int(start)), as: UTF8.self)
        let found = completer.candidates(line: line, start: prefix.count, word: word)
        if ProcessInfo.processInfo.environment["SYNTHLAB_DEBUG_COMPLETION"] != nil {
            FileHandle.standardError.write(Data("[completion \(line.debugDescription) \(start) \(word.debugDescription) -> \(String(describing: found))]\n".utf8))
        }
        guard let candidates = found else {
            synth_rl_set_completion_over(0)  // fall back to readline's file name completion
            return nil
        }
        synth_rl_set_completion_over(1)
        pendingMatches = candidates
        matchCursor = 0
        if candidates.count == 1, candidates[0].hasSuffix("=") || candidates[0].hasSuffix(".") {
            synth_rl_set_append_character(0)
        } else {
            synth_rl_set_append_character(32)
        }
        guard let text else { return nil }
        return rl_completion_matches(text, replMatchGenerator)
    }

private let replMatchGenerator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = {
    _, state in
    if state == 0 { matchCursor = 0 }
    guard matchCursor < pendingMatches.count else { return nil }
    defer { matchCursor += 1 }
    return strdup(pendingMatches[matchCursor])
}
