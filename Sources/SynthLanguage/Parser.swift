import SynthValues

/// Builds a ``Program`` from tokens (see the EBNF grammar in `docs/language.md`).
///
/// The parser knows no verbs: `name args…` becomes an ``Invocation`` and the checker decides whether
/// `name` is a verb, a subcommand form or a user function.
package struct Parser {
    private var tokens: [Token]
    private var position = 0
    private var functionDepth = 0
    /// Open lists, records and parentheses around the current expression (bounded: deep input must not overflow the stack).
    private var nesting = 0
    /// The deepest nesting accepted.
    static let maxNesting = 100

    package init(tokens: [Token]) { self.tokens = tokens }

    /// Lexes and parses `source` whose first line sits at `location`.
    package static func parse(_ source: String, at location: SourceLocation) throws(Diagnostic) -> Program {
        var lexer = Lexer(source, at: location)
        let tokens: [Token]
        do { tokens = try lexer.tokenize() } catch { throw error.diagnostic }
        var parser = Parser(tokens: tokens)
        do { return try parser.parseProgram() } catch { throw error.diagnostic }
    }

    /// Parses all statements up to the end of input.
    package mutating func parseProgram() throws(ParseError) -> Program {
        var statements: [Statement] = []
        skipNewlines()
        while !peek.isEndOfInput {
            statements.append(try statement())
            try endOfStatement()
            skipNewlines()
        }
        return Program(statements: statements, normalizedSource: normalized())
    }

    // MARK: - Token access

    private var peek: Token { tokens[position] }
    private func peek(_ offset: Int) -> Token { tokens[min(position + offset, tokens.count - 1)] }

    @discardableResult
    private mutating func take() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private mutating func skipNewlines() { while peek.kind == .newline { take() } }

    private mutating func expect(_ symbol: Character, _ what: String) throws(ParseError) -> Token {
        guard peek.isSymbol(symbol) else { throw .expected(what, found: peek.described, peek.span) }
        return take()
    }

    private mutating func endOfStatement() throws(ParseError) {
        guard peek.isEndOfStatement else { throw .expected("end of line", found: peek.described, peek.span) }
    }

    // MARK: - Statements

    private mutating func statement() throws(ParseError) -> Statement {
        let token = peek
        switch token.kind {
        case .keyword("def"): return try definition()
        case .keyword("end"): throw .endWithoutDef(token.span)
        case .keyword("import"):
            take()
            guard case .string(let path) = peek.kind else {
                throw .expected("a file name in quotes after `import`", found: peek.described, peek.span)
            }
            take()
            return .importFile(path: path, span: token.span)
        case .keyword("return"):
            guard functionDepth > 0 else { throw .returnOutsideFunction(token.span) }
            take()
            if peek.isEndOfStatement { return .returnValue(nil, token.span) }
            return .returnValue(try invocationOrExpression(), token.span)
        case .identifier(let name):
            if name == "params", peek(1).isSymbol("."), case .identifier(let field) = peek(2).kind,
                peek(3).isSymbol("=")
            {
                throw .assignmentToParam(field, peek(2).span)
            }
            if peek(1).isSymbol("=") {
                if name == "params" { throw .assignmentToParam(name, token.span) }
                take()
                take()
                if peek.isEndOfStatement {
                    throw .expected("a value or a command after `=`", found: peek.described, peek.span)
                }
                return .assignment(name: name, span: token.span, value: try invocationOrExpression())
            }
            return .expression(try invocationOrExpression())
        default:
            return .expression(try expression())
        }
    }

    private mutating func definition() throws(ParseError) -> Statement {
        let defToken = take()
        if functionDepth > 0 { throw .nestedDefinition(defToken.span) }
        guard case .identifier(let name) = peek.kind else {
            throw .expected("a function name after `def`", found: peek.described, peek.span)
        }
        let nameSpan = take().span
        _ = try expect("(", "`(` after the function name")
        var parameters: [Parameter] = []
        while !peek.isSymbol(")") {
            guard case .identifier(let parameter) = peek.kind else {
                throw .expected("a parameter name or `)`", found: peek.described, peek.span)
            }
            let span = take().span
            if parameters.contains(where: { $0.name == parameter }) { throw .duplicateParameter(parameter, span) }
            var defaultValue: Expression?
            if peek.isSymbol("=") {
                take()
                defaultValue = try expression()
            }
            parameters.append(Parameter(name: parameter, span: span, defaultValue: defaultValue))
            if peek.isSymbol(",") {
                take()
            } else if !peek.isSymbol(")") {
                throw .expected("`,` or `)` in the parameter list", found: peek.described, peek.span)
            }
        }
        take()
        guard peek.kind == .newline else {
            throw .expected("end of line after the parameter list", found: peek.described, peek.span)
        }
        functionDepth += 1
        defer { functionDepth -= 1 }
        var body: [Statement] = []
        skipNewlines()
        while !peek.isKeyword("end") {
            if peek.isEndOfInput { throw .missingEnd(function: name, defToken.span) }
            body.append(try statement())
            try endOfStatement()
            skipNewlines()
        }
        take()
        return .definition(FunctionDefinition(name: name, span: nameSpan, parameters: parameters, body: body))
    }

    // MARK: - Invocations and expressions

    /// `name args…` when an identifier is followed by arguments, otherwise an expression.
    private mutating func invocationOrExpression() throws(ParseError) -> Expression {
        guard case .identifier(let name) = peek.kind, name != "params", !peek(1).isSymbol(".") else {
            return try expression()
        }
        let head = take()
        var arguments: [Argument] = []
        while !peek.isEndOfStatement, !peek.isSymbol(")") {
            arguments.append(try argument())
        }
        if arguments.isEmpty { return .identifier(name, head.span) }
        return .invocation(Invocation(name: name, span: head.span, arguments: arguments))
    }

    private mutating func argument() throws(ParseError) -> Argument {
        if case .identifier(let label) = peek.kind, peek(1).isSymbol("=") {
            let span = take().span
            take()
            if peek.isEndOfStatement || peek.isSymbol(")") {
                throw .expected("a value after `\(label)=`", found: peek.described, peek.span)
            }
            return Argument(label: label, span: span, value: try expression())
        }
        let value = try expression()
        return Argument(label: nil, span: value.span, value: value)
    }

    private mutating func expression() throws(ParseError) -> Expression {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maxNesting else {
            throw .expected("at most \(Self.maxNesting) nested lists, records or parentheses", found: "more", peek.span)
        }
        var value = try primary()
        while peek.isSymbol(".") {
            take()
            guard case .identifier(let field) = peek.kind else {
                throw .expected("a field name after `.`", found: peek.described, peek.span)
            }
            let span = take().span
            if case .identifier("params", _) = value {
                value = .param(field, span)
            } else {
                value = .field(value, field, span)
            }
        }
        return value
    }

    private mutating func primary() throws(ParseError) -> Expression {
        let token = peek
        switch token.kind {
        case .integer(let i):
            take()
            return .integer(i, token.span)
        case .decimal(let d):
            take()
            return .decimal(d, token.span)
        case .string(let s):
            take()
            return .string(s, token.span)
        case .keyword("true"):
            take()
            return .bool(true, token.span)
        case .keyword("false"):
            take()
            return .bool(false, token.span)
        case .keyword("null"):
            take()
            return .null(token.span)
        case .identifier(let name):
            take()
            if name == "params", !peek.isSymbol(".") {
                throw .expected("`.` and a param name after `params`", found: peek.described, peek.span)
            }
            return .identifier(name, token.span)
        case .symbol("["): return try list()
        case .symbol("{"): return try record()
        case .symbol("("):
            take()
            guard case .identifier = peek.kind else {
                throw .expected("a command after `(`", found: peek.described, peek.span)
            }
            let inner = try invocationOrExpression()
            _ = try expect(")", "`)` to close the `(` at \(token.span.shortDescription)")
            if case .identifier(let name, let span) = inner {
                return .invocation(Invocation(name: name, span: span, arguments: []))
            }
            return inner
        default:
            throw .expected("a value", found: token.described, token.span)
        }
    }

    private mutating func list() throws(ParseError) -> Expression {
        let open = take()
        var items: [Expression] = []
        while !peek.isSymbol("]") {
            if peek.isEndOfInput {
                throw .expected(
                    "`]` to close the list at \(open.span.shortDescription)", found: peek.described, peek.span)
            }
            items.append(try expression())
            if peek.isEndOfInput {
                throw .expected(
                    "`]` to close the list at \(open.span.shortDescription)", found: peek.described, peek.span)
            }
            if peek.isSymbol(",") {
                take()
            } else if !peek.isSymbol("]") {
                throw .expected(
                    "`,` or `]` in the list at \(open.span.shortDescription)", found: peek.described, peek.span)
            }
        }
        take()
        return .list(items, open.span)
    }

    private mutating func record() throws(ParseError) -> Expression {
        let open = take()
        var fields: [(key: String, keySpan: Span, value: Expression)] = []
        while !peek.isSymbol("}") {
            let key: String
            switch peek.kind {
            case .identifier(let name): key = name
            case .string(let text): key = text
            case .endOfInput:
                throw .expected(
                    "`}` to close the record at \(open.span.shortDescription)", found: peek.described, peek.span)
            default:
                throw .expected(
                    "a field name in the record at \(open.span.shortDescription)", found: peek.described, peek.span)
            }
            let keySpan = take().span
            if fields.contains(where: { $0.key == key }) { throw .duplicateField(key, keySpan) }
            _ = try expect(":", "`:` after the field name `\(key)`")
            fields.append((key, keySpan, try expression()))
            if peek.isEndOfInput {
                throw .expected(
                    "`}` to close the record at \(open.span.shortDescription)", found: peek.described, peek.span)
            }
            if peek.isSymbol(",") {
                take()
            } else if !peek.isSymbol("}") {
                throw .expected(
                    "`,` or `}` in the record at \(open.span.shortDescription)", found: peek.described, peek.span)
            }
        }
        take()
        return .record(fields, open.span)
    }

    // MARK: - Normalized source

    /// The tokens joined by single spaces, one statement per line, comments dropped.
    private func normalized() -> String {
        var lines: [String] = []
        var current: [String] = []
        for token in tokens {
            switch token.kind {
            case .newline, .endOfInput:
                if !current.isEmpty { lines.append(current.joined(separator: " ")) }
                current = []
            default: current.append(token.text)
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension Token {
    fileprivate var isEndOfInput: Bool { kind == .endOfInput }
}
