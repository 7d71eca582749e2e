import Foundation
import SynthCommands
import SynthValues

/// What the checker knows about a name before running: a value of some type, or a function.
package enum StaticBinding: Sendable {
    /// A variable; `typeName` is `nil` when unknown until run time.
    case value(typeName: String?)
    /// A user function with its parameter names and whether each has a default.
    case function(parameters: [(name: String, hasDefault: Bool)])
}

/// Resolves a parsed program against the verb registry and the names in scope.
///
/// Verbs, subcommands, argument names, required arguments and types (as far as they are known
/// statically), variables, params and imports are all checked here, so mistakes are reported with a
/// position before anything runs.
package struct Checker {
    /// Names in scope, updated as statements assign and define.
    package var scope: [String: StaticBinding]
    /// Values of variables already computed (from earlier cells), for checking dotted fields.
    package var knownValues: [String: Value]
    package var params: [String: Value]
    package var importPaths: [URL]

    private(set) var reads: Set<String> = []
    private(set) var writes: Set<String> = []
    private(set) var paramsRead: Set<String> = []
    private(set) var imports: [URL] = []
    private var importStack: [String] = []
    /// Local scopes of the function being checked (innermost last).
    private var locals: [[String: StaticBinding]] = []

    package init(
        scope: [String: StaticBinding], knownValues: [String: Value], params: [String: Value], importPaths: [URL]
    ) {
        self.scope = scope
        self.knownValues = knownValues
        self.params = params
        self.importPaths = importPaths
    }

    /// Checks top-level statements.
    package mutating func check(_ statements: [Statement]) throws(CheckError) -> [CheckedStatement] {
        try statements.map { statement throws(CheckError) in try check(statement, display: true) }
    }

    // MARK: - Names

    private func lookup(_ name: String) -> StaticBinding? {
        for frame in locals.reversed() { if let binding = frame[name] { return binding } }
        return scope[name]
    }

    private mutating func bind(_ name: String, _ binding: StaticBinding) {
        if locals.isEmpty {
            scope[name] = binding
            writes.insert(name)
            knownValues[name] = nil
        } else {
            locals[locals.count - 1][name] = binding
        }
    }

    private mutating func noteRead(_ name: String) {
        if locals.isEmpty || locals.allSatisfy({ $0[name] == nil }), !writes.contains(name) { reads.insert(name) }
    }

    private var visibleNames: [String] {
        var names = Array(scope.keys)
        for frame in locals { names += frame.keys }
        return names.sorted()
    }

    private func ensureAssignable(_ name: String, _ span: Span) throws(CheckError) {
        if VerbRegistry.verbNames.contains(name) { throw .reservedName(name, span) }
    }

    // MARK: - Statements

    private mutating func check(_ statement: Statement, display: Bool) throws(CheckError) -> CheckedStatement {
        switch statement {
        case .assignment(let name, let span, let value):
            try ensureAssignable(name, span)
            let checked = try expression(value, target: name, allowInvocation: true)
            bind(name, .value(typeName: staticType(of: checked)))
            if locals.isEmpty, case .constant(let constant) = checked { knownValues[name] = constant }
            return .assignment(name, checked, span)
        case .expression(let value):
            return .expression(try expression(value, target: nil, allowInvocation: true), value.span, display: display)
        case .definition(let definition):
            return .definition(try function(definition))
        case .importFile(let path, let span):
            return .importFile(try importFile(path, span: span))
        case .returnValue(let value, let span):
            let checked = try value.map { v throws(CheckError) in try expression(v, target: nil, allowInvocation: true)
            }
            return .returnValue(checked, span)
        }
    }

    private mutating func function(_ definition: FunctionDefinition) throws(CheckError) -> UserFunction {
        try ensureAssignable(definition.name, definition.span)
        var parameters: [UserFunction.Parameter] = []
        for parameter in definition.parameters {
            let defaultValue = try parameter.defaultValue.map { v throws(CheckError) in
                try expression(v, target: nil, allowInvocation: true)
            }
            parameters.append(UserFunction.Parameter(name: parameter.name, defaultValue: defaultValue))
        }
        let signature = StaticBinding.function(parameters: parameters.map { ($0.name, $0.defaultValue != nil) })
        // Bind first so the body may call the function recursively.
        bind(definition.name, signature)
        var frame: [String: StaticBinding] = [:]
        for parameter in parameters { frame[parameter.name] = .value(typeName: nil) }
        locals.append(frame)
        defer { locals.removeLast() }
        var body: [CheckedStatement] = []
        for statement in definition.body { body.append(try check(statement, display: false)) }
        return UserFunction(name: definition.name, parameters: parameters, body: body, span: definition.span)
    }

    private mutating func importFile(_ path: String, span: Span) throws(CheckError) -> ImportedFile {
        var candidates: [URL] = []
        for folder in importPaths {
            candidates.append(folder.appendingPathComponent(path))
            if !path.hasSuffix(".synth") { candidates.append(folder.appendingPathComponent(path + ".synth")) }
        }
        guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }),
            let source = try? String(contentsOf: url, encoding: .utf8)
        else {
            throw .importNotFound(path, searched: importPaths.map { $0.lastPathComponent + "/" }, span)
        }
        let key = url.standardizedFileURL.path
        if importStack.contains(key) { throw .importCycle(path, span) }
        let displayName = url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
        let program: Program
        do {
            program = try Parser.parse(source, at: SourceLocation(file: displayName, line: 1, column: 1))
        } catch {
            throw .importNotFound(path, searched: ["\(error.rendered(caret: false))"], span)
        }
        importStack.append(key)
        defer { importStack.removeLast() }
        imports.append(url)
        var statements: [CheckedStatement] = []
        for statement in program.statements { statements.append(try check(statement, display: false)) }
        return ImportedFile(url: url, statements: statements)
    }

    // MARK: - Expressions

    private mutating func expression(
        _ expression: Expression, target: String?, allowInvocation: Bool
    ) throws(CheckError) -> CheckedExpression {
        switch expression {
        case .integer(let i, _): return .constant(.int(i))
        case .decimal(let d, _): return .constant(.double(d))
        case .string(let s, _): return .constant(.string(s))
        case .bool(let b, _): return .constant(.bool(b))
        case .null: return .constant(.null)
        case .list(let items, _):
            var checked: [CheckedExpression] = []
            for item in items { checked.append(try self.expression(item, target: nil, allowInvocation: true)) }
            if let values = constants(checked) { return .constant(.list(values)) }
            return .list(checked)
        case .record(let fields, _):
            var checked: [(key: String, value: CheckedExpression)] = []
            for field in fields {
                checked.append((field.key, try self.expression(field.value, target: nil, allowInvocation: true)))
            }
            if let values = constants(checked.map(\.value)) {
                return .constant(.record(Record(zip(checked.map(\.key), values).map { ($0, $1) })))
            }
            return .record(checked)
        case .identifier(let name, let span):
            switch lookup(name) {
            case .value?:
                noteRead(name)
                return .variable(name, span)
            case .function?:
                return try invocation(Invocation(name: name, span: span, arguments: []), target: target)
            case nil:
                if !VerbRegistry.verbNames.contains(name) {
                    let suggestion =
                        nearestName(to: name, in: visibleNames)
                        ?? nearestName(to: name, in: VerbRegistry.verbNames)
                    throw .unknownVariable(name, suggestion: suggestion, span)
                }
                return try invocation(Invocation(name: name, span: span, arguments: []), target: target)
            }
        case .param(let name, let span):
            guard params[name] != nil else {
                throw .unknownParam(name, suggestion: nearestName(to: name, in: params.keys.sorted()), span)
            }
            paramsRead.insert(name)
            return .param(name, span)
        case .field(let base, let name, let span):
            let checkedBase = try self.expression(base, target: nil, allowInvocation: true)
            if let value = knownValue(checkedBase) {
                let names = fieldNames(of: value)
                if value.field(name) == nil, case .record = value {
                    throw .unknownField(
                        name, typeName: value.typeName, suggestion: nearestName(to: name, in: names), span)
                }
                if case .object(let object) = value, !object.fieldNames.isEmpty, object.field(name) == nil {
                    throw .unknownField(
                        name, typeName: value.typeName, suggestion: nearestName(to: name, in: names), span)
                }
            }
            return .field(checkedBase, name, span)
        case .invocation(let invocation):
            return try self.invocation(invocation, target: target)
        }
    }

    private func constants(_ items: [CheckedExpression]) -> [Value]? {
        var values: [Value] = []
        for item in items {
            guard case .constant(let value) = item else { return nil }
            values.append(value)
        }
        return values
    }

    /// The value an expression has before running, when it is a constant or an already computed variable.
    private func knownValue(_ expression: CheckedExpression) -> Value? {
        switch expression {
        case .constant(let value): return value
        case .variable(let name, _):
            if locals.contains(where: { $0[name] != nil }) { return nil }
            return knownValues[name]
        case .param(let name, _): return params[name]
        case .field(let base, let name, _): return knownValue(base)?.field(name)
        default: return nil
        }
    }

    private func fieldNames(of value: Value) -> [String] {
        switch value {
        case .record(let record): record.keys
        case .object(let object): object.fieldNames
        default: []
        }
    }

    /// The type name of an expression's value, when known before running.
    private func staticType(of expression: CheckedExpression) -> String? {
        if let value = knownValue(expression) { return value.typeName }
        switch expression {
        case .list: return "list"
        case .record: return "record"
        case .variable(let name, _):
            if case .value(let typeName)? = lookup(name) { return typeName }
            return nil
        case .verb(let plan): return VerbRegistry.command(plan.fullName)?.spec.result
        default: return nil
        }
    }

    // MARK: - Invocations

    private mutating func invocation(_ invocation: Invocation, target: String?) throws(CheckError) -> CheckedExpression
    {
        let name = invocation.name
        switch lookup(name) {
        case .function(let parameters)?:
            noteRead(name)
            return .call(try bindFunction(invocation, parameters: parameters))
        case .value(let typeName)?:
            throw .notCallable(name, typeName: typeName ?? "value", invocation.span)
        case nil:
            break
        }
        let forms = VerbRegistry.all.filter { $0.name == name }
        guard !forms.isEmpty else {
            let functions = visibleNames.filter { if case .function? = lookup($0) { true } else { false } }
            let suggestion = nearestName(to: name, in: VerbRegistry.verbNames + functions)
            throw .unknownVerb(name, suggestion: suggestion, invocation.span)
        }
        var arguments = invocation.arguments
        var spec = forms.first { $0.subcommand == nil }
        if let first = arguments.first, first.label == nil, case .identifier(let word, _) = first.value,
            let form = forms.first(where: { $0.subcommand == word })
        {
            spec = form
            arguments.removeFirst()
        }
        guard let spec else {
            let options = forms.compactMap(\.subcommand)
            var found = "end of line"
            var suggestion: String?
            var span = invocation.span
            if let first = arguments.first {
                span = first.span
                if first.label == nil, case .identifier(let word, _) = first.value {
                    found = "`\(word)`"
                    suggestion = nearestName(to: word, in: options)
                } else {
                    found = first.label.map { "argument `\($0)`" } ?? "a value"
                }
            }
            throw .missingSubcommand(verb: name, options: options, found: found, suggestion: suggestion, span)
        }
        return .verb(try bindVerb(spec, arguments: arguments, span: invocation.span))
    }

    private mutating func bindVerb(_ spec: VerbSpec, arguments: [Argument], span: Span) throws(CheckError)
        -> VerbInvocationPlan
    {
        var bound: [(name: String, value: CheckedExpression)] = []
        var variadic: [(label: String?, value: CheckedExpression)] = []
        var positionalIndex = 0
        for argument in arguments {
            let arg: ArgSpec
            if let label = argument.label {
                guard let found = spec.argument(label), !found.variadic else {
                    let names = spec.arguments.filter { !$0.variadic }.map(\.name)
                    throw .unknownArgument(
                        verb: spec.fullName, argument: label, suggestion: nearestName(to: label, in: names),
                        argument.span)
                }
                if bound.contains(where: { $0.name == label }) { throw .duplicateArgument(label, argument.span) }
                arg = found
            } else {
                if positionalIndex < spec.positional.count {
                    arg = spec.positional[positionalIndex]
                    if !arg.variadic { positionalIndex += 1 }
                } else {
                    throw .tooManyArguments(verb: spec.fullName, expected: spec.positional.count, argument.span)
                }
                if !arg.variadic, bound.contains(where: { $0.name == arg.name }) {
                    throw .duplicateArgument(arg.name, argument.span)
                }
            }
            let value = try slot(argument.value, type: arg.type)
            try checkType(value, arg: arg, spec: spec, span: argument.value.span)
            if arg.variadic {
                var label: String?
                if case .variable(let name, _) = value { label = name }
                variadic.append((label, value))
            } else {
                bound.append((arg.name, value))
            }
        }
        for arg in spec.arguments where arg.isRequired && !bound.contains(where: { $0.name == arg.name }) {
            throw .missingArgument(verb: spec.fullName, argument: arg.name, synopsis: spec.synopsis, span)
        }
        return VerbInvocationPlan(fullName: spec.fullName, arguments: bound, variadic: variadic, span: span)
    }

    /// Checks an argument's expression; in `word`/`choice` slots a bare identifier that is not a variable in
    /// scope is the literal string.
    private mutating func slot(_ expression: Expression, type: ArgType) throws(CheckError) -> CheckedExpression {
        if type.takesBareWords, case .identifier(let word, _) = expression {
            // A variable in scope wins (a function parameter, an earlier assignment); otherwise the word itself.
            if case .value? = lookup(word) {
                return try self.expression(expression, target: nil, allowInvocation: true)
            }
            return .constant(.string(word))
        }
        return try self.expression(expression, target: nil, allowInvocation: true)
    }

    private func checkType(_ value: CheckedExpression, arg: ArgSpec, spec: VerbSpec, span: Span) throws(CheckError) {
        if let known = knownValue(value) {
            if !arg.type.accepts(known) {
                let found: String
                var suggestion: String?
                if case .string(let s) = known, case .choice(let options) = arg.type {
                    found = "\"\(s)\""
                    suggestion = nearestName(to: s, in: options)
                } else {
                    found = describe(known)
                }
                throw .wrongType(
                    verb: spec.fullName, argument: arg.name, expected: arg.type.description, found: found,
                    suggestion: suggestion, span)
            }
            if let problem = arg.validate?(known) {
                throw .invalidArgument(
                    verb: spec.fullName, argument: arg.name, message: problem.message, notes: problem.notes, span)
            }
        } else if let typeName = staticType(of: value), !arg.type.mayAccept(typeName: typeName) {
            throw .wrongType(
                verb: spec.fullName, argument: arg.name, expected: arg.type.description, found: typeName, span)
        }
    }

    /// A value's type for messages: lists name their element type when uniform.
    private func describe(_ value: Value) -> String {
        if case .list(let items) = value, let first = items.first {
            let names = Set(items.map(\.typeName))
            return names.count == 1 ? "list of \(first.typeName)" : "list"
        }
        return value.typeName
    }

    private mutating func bindFunction(
        _ invocation: Invocation, parameters: [(name: String, hasDefault: Bool)]
    ) throws(CheckError) -> FunctionCallPlan {
        var bound: [(name: String, value: CheckedExpression)] = []
        var positionalIndex = 0
        for argument in invocation.arguments {
            let name: String
            if let label = argument.label {
                guard parameters.contains(where: { $0.name == label }) else {
                    throw .unknownArgument(
                        verb: invocation.name, argument: label,
                        suggestion: nearestName(to: label, in: parameters.map(\.name)), argument.span)
                }
                name = label
            } else {
                guard positionalIndex < parameters.count else {
                    throw .tooManyArguments(verb: invocation.name, expected: parameters.count, argument.span)
                }
                name = parameters[positionalIndex].name
                positionalIndex += 1
            }
            if bound.contains(where: { $0.name == name }) { throw .duplicateArgument(name, argument.span) }
            bound.append((name, try expression(argument.value, target: nil, allowInvocation: true)))
        }
        for parameter in parameters where !parameter.hasDefault && !bound.contains(where: { $0.name == parameter.name })
        {
            let synopsis = ([invocation.name] + parameters.map { $0.hasDefault ? "[\($0.name)=…]" : $0.name })
                .joined(separator: " ")
            throw .missingArgument(verb: invocation.name, argument: parameter.name, synopsis: synopsis, invocation.span)
        }
        return FunctionCallPlan(name: invocation.name, arguments: bound, span: invocation.span)
    }
}
