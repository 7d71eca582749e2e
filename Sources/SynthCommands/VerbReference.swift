import SynthValues

/// The verb reference of `docs/language.md`, generated from the specs so it cannot drift.
///
/// A test compares the section between `<!-- verbs:begin -->` and `<!-- verbs:end -->` of the document
/// with ``markdown``; `SYNTHLAB_RECORD=1` rewrites it.
package enum VerbReference {
    /// All verbs, one `###` section each (subcommand forms as `####` subsections).
    package static var markdown: String {
        var index = "| verb | what it does |\n|---|---|\n"
        for spec in VerbRegistry.all {
            index += "| [`\(spec.fullName)`](#\(spec.name)) | \(escape(spec.summary)) |\n"
        }
        var sections: [String] = [index]
        for verb in VerbRegistry.verbNames {
            let forms = VerbRegistry.all.filter { $0.name == verb }
            var text = "### `\(verb)`\n\n"
            for (index, spec) in forms.enumerated() {
                if forms.count > 1 { text += (index == 0 ? "" : "\n") + "#### `\(spec.fullName)`\n\n" }
                text += section(spec)
            }
            sections.append(text)
        }
        return sections.joined(separator: "\n")
    }

    /// The reference text of one spec: summary, synopsis, discussion, paper, arguments, example.
    package static func section(_ spec: VerbSpec) -> String {
        var text = "\(capitalized(spec.summary)).\n\n```\n\(spec.synopsis)\n```\n\n"
        if !spec.discussion.isEmpty { text += spec.discussion + "\n\n" }
        if let paper = spec.paper { text += "Follows: \(paper).\n\n" }
        if !spec.arguments.isEmpty {
            text += "| argument | type | default | meaning |\n|---|---|---|---|\n"
            for arg in spec.arguments {
                let name =
                    spec.positional.contains { $0.name == arg.name }
                    ? "`\(arg.name)`\(arg.variadic ? "…" : "") (positional)" : "`\(arg.name)`"
                let defaultText = arg.variadic ? "none" : arg.defaultText
                text += "| \(name) | \(escape(arg.type.description)) | \(escape(defaultText)) | \(escape(arg.doc)) |\n"
            }
            text += "\n"
        }
        text += "Returns: \(spec.result ?? "nothing").\n\n"
        text += "```synth\n\(spec.example)\n```\n"
        return text
    }

    private static func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    private static func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
