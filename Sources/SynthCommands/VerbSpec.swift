import SynthValues

/// The documented signature of one verb (or one subcommand form of a verb, such as `load sts`).
///
/// The checker binds and type-checks arguments against it before anything runs; `docs/language.md`,
/// `help` in the REPL and completion are built from or tested against it, so they cannot drift.
package struct VerbSpec: Sendable {
    /// The verb as written first in a statement (`load`, `evaluate`).
    package var name: String
    /// A subcommand word that follows the verb (`sts` in `load sts`), or `nil` for the plain form.
    package var subcommand: String?
    /// One line: what the verb does.
    package var summary: String
    /// Longer explanation: behaviour, outputs, what the result exposes.
    package var discussion: String
    /// The paper the verb follows, if any ("Robertson & Zaragoza 2009").
    package var paper: String?
    /// Positional arguments in order; the last one may be variadic.
    package var positional: [ArgSpec]
    /// Keyword arguments (`name=value`).
    package var keywords: [ArgSpec]
    /// The type name of the value the verb returns (`dataset`, `run`), or `nil` when it returns nothing.
    package var result: String?
    /// A complete statement using the verb; tests parse and check it.
    package var example: String

    package init(
        name: String, subcommand: String? = nil, summary: String, discussion: String = "", paper: String? = nil,
        positional: [ArgSpec] = [], keywords: [ArgSpec] = [], result: String? = nil, example: String
    ) {
        self.name = name
        self.subcommand = subcommand
        self.summary = summary
        self.discussion = discussion
        self.paper = paper
        self.positional = positional
        self.keywords = keywords
        self.result = result
        self.example = example
    }

    /// `load` or `load sts`: the words that select this spec.
    package var fullName: String { subcommand.map { "\(name) \($0)" } ?? name }

    /// Every argument, positional first.
    package var arguments: [ArgSpec] { positional + keywords }

    /// The argument called `name`, positional or keyword.
    package func argument(_ name: String) -> ArgSpec? { arguments.first { $0.name == name } }

    /// A one-line synopsis such as `bm25 data [k1=0.9] [b=0.4]`.
    package var synopsis: String {
        var parts = [fullName]
        for arg in positional {
            let word = arg.variadic ? "\(arg.name)…" : arg.name
            parts.append(arg.isRequired ? word : "[\(word)]")
        }
        for arg in keywords {
            parts.append(arg.isRequired ? "\(arg.name)=\(arg.type)" : "[\(arg.name)=\(arg.defaultText)]")
        }
        return parts.joined(separator: " ")
    }
}

/// One argument of a verb: name, type, default and documentation.
package struct ArgSpec: Sendable {
    package var name: String
    package var type: ArgType
    /// The default used when the argument is omitted; `nil` with `optional == false` means required.
    package var defaultValue: Value?
    /// An omitted optional argument without a default is simply absent (the verb decides).
    package var optional: Bool
    /// A positional argument that takes all remaining positional values.
    package var variadic: Bool
    package var doc: String
    /// Further validation of a value of the right type (measure names, ranges): a diagnostic whose
    /// message and notes describe the problem, or `nil` when the value is fine. Runs when checking for
    /// values known then, and again when running.
    package var validate: (@Sendable (Value) -> Diagnostic?)?

    package init(
        _ name: String, _ type: ArgType, default defaultValue: Value? = nil, optional: Bool = false,
        variadic: Bool = false, doc: String, validate: (@Sendable (Value) -> Diagnostic?)? = nil
    ) {
        self.validate = validate
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.optional = optional
        self.variadic = variadic
        self.doc = doc
    }

    /// Whether the statement must give this argument.
    package var isRequired: Bool { defaultValue == nil && !optional && !variadic }

    /// The default as the language writes it, `—` for required ones and `none` for optional ones.
    package var defaultText: String {
        if let defaultValue { return Self.shortLiteral(defaultValue) }
        return isRequired ? "—" : "none"
    }

    /// The value as the language writes it, decimals in their shortest form (`0.9`, not `0.9000`).
    static func shortLiteral(_ value: Value) -> String {
        switch value {
        case .double(let d): "\(d)"
        case .list(let items): "[" + items.map(shortLiteral).joined(separator: ", ") + "]"
        default: value.literal
        }
    }
}
