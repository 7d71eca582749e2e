import Foundation
import SynthCommands
import SynthValues

/// One environment for a whole notebook or REPL session: parses, checks and runs cells.
///
/// Cells go through three stages: ``parse(_:at:)`` (syntax), ``check(_:)`` (verbs, arguments, types,
/// names — nothing runs) and ``run(_:)``. Variables live in one global scope shared by all cells;
/// user functions are values of type `function` in that scope.
///
/// ```swift
/// let interpreter = Interpreter(context: context, importPaths: [stdlib, notebookFolder])
/// let parsed = try interpreter.parse("data = load scifact split=test", at: SourceLocation(file: "nb.md", line: 12))
/// let result = try await interpreter.run(try interpreter.check(parsed))
/// ```
///
/// Thread safety: the session state is guarded by `lock`; a session runs one cell at a time.
package final class Interpreter: @unchecked Sendable {
    package let context: ExecutionContext
    package let importPaths: [URL]

    private let lock = NSLock()
    private var globals: [String: Value] = [:]
    private var declared: [String: StaticBinding] = [:]
    private var partial = CellResult()

    /// Creates a session; `importPaths` are searched in order by `import` (stdlib/ and the notebook folder).
    package init(context: ExecutionContext, importPaths: [URL]) {
        self.context = context
        self.importPaths = importPaths
    }

    // MARK: - Session state

    /// The variables assigned so far (functions included, as `function` objects).
    package var variables: [String: Value] { lock.withLock { globals } }

    /// Puts back a value, as the cache does for the variables of a cell it does not re-run.
    package func restore(_ name: String, _ value: Value) {
        lock.withLock {
            globals[name] = value
            declared[name] = Self.binding(for: value)
        }
    }

    /// What the last failed ``run(_:)`` produced before its error (outputs, files, results).
    package var partialResult: CellResult { lock.withLock { partial } }

    private static func binding(for value: Value) -> StaticBinding {
        if case .object(let function as UserFunction) = value {
            return .function(parameters: function.parameters.map { ($0.name, $0.defaultValue != nil) })
        }
        return .value(typeName: value.typeName)
    }

    private func global(_ name: String) -> Value? { lock.withLock { globals[name] } }
    private func setGlobal(_ name: String, _ value: Value) {
        lock.withLock {
            globals[name] = value
            declared[name] = Self.binding(for: value)
        }
    }

    // MARK: - Stages

    /// Parses a cell whose first line sits at `location`.
    ///
    /// - Throws: a ``Diagnostic`` for lexical and syntax errors, with file, line, column and the source line.
    package func parse(_ source: String, at location: SourceLocation) throws(Diagnostic) -> ParsedCell {
        ParsedCell(program: try Parser.parse(source, at: location), location: location, source: source)
    }

    /// Resolves verbs, arguments, types, variables, params and imports of a parsed cell.
    ///
    /// Names the cell assigns become known to later checks even before it runs, so a notebook can be
    /// checked whole before anything runs.
    ///
    /// - Throws: a ``Diagnostic`` naming what was expected, with a "did you mean" note where one is near.
    package func check(_ cell: ParsedCell) throws(Diagnostic) -> CheckedCell {
        let (scope, known) = lock.withLock { () -> ([String: StaticBinding], [String: Value]) in
            var scope = declared
            for (name, value) in globals { scope[name] = Self.binding(for: value) }
            return (scope, globals)
        }
        var checker = Checker(scope: scope, knownValues: known, params: context.params, importPaths: importPaths)
        let statements: [CheckedStatement]
        do { statements = try checker.check(cell.program.statements) } catch { throw error.diagnostic }
        let newScope = checker.scope
        lock.withLock { declared = newScope }
        return CheckedCell(
            reads: checker.reads, writes: checker.writes, paramsRead: checker.paramsRead,
            normalizedSource: cell.program.normalizedSource, imports: checker.imports, statements: statements)
    }

    /// Parses and checks in one step (for the REPL and tests).
    package func prepare(_ source: String, at location: SourceLocation) throws(Diagnostic) -> CheckedCell {
        try check(try parse(source, at: location))
    }

    /// Runs a checked cell in the session's global scope.
    ///
    /// Honours task cancellation between statements and inside long verbs (it then throws
    /// `CancellationError`). Statements that are not assignments show their value.
    ///
    /// - Throws: a ``Diagnostic`` with the failing statement's location; ``partialResult`` then holds
    ///   what the cell produced before the error.
    package func run(_ cell: CheckedCell) async throws -> CellResult {
        let execution = Execution()
        lock.withLock { partial = CellResult() }
        do {
            for url in cell.imports {
                execution.result.filesRead.merge(PathPolicy.hashes(of: [url])) { _, new in new }
            }
            for statement in cell.statements {
                try Task.checkCancellation()
                _ = try await execute(statement, frame: nil, execution: execution)
            }
            return execution.result
        } catch let error as CancellationError {
            lock.withLock { partial = execution.result }
            throw error
        } catch let error as any DiagnosticConvertible {
            lock.withLock { partial = execution.result }
            throw error.diagnostic
        } catch {
            lock.withLock { partial = execution.result }
            throw error.asDiagnostic
        }
    }

    // MARK: - Execution

    /// Mutable state of one ``run(_:)``, confined to its task.
    private final class Execution {
        var result = CellResult()
        var depth = 0
    }

    /// A function's local variables.
    private final class Frame {
        var values: [String: Value]
        init(_ values: [String: Value]) { self.values = values }
    }

    private enum Flow {
        case next(Value)
        case returned(Value)
    }

    private func execute(_ statement: CheckedStatement, frame: Frame?, execution: Execution) async throws -> Flow {
        switch statement {
        case .assignment(let name, let expression, _):
            let value = try await evaluate(expression, frame: frame, execution: execution, target: name)
            if let frame { frame.values[name] = value } else { setGlobal(name, value) }
            return .next(.null)
        case .expression(let expression, _, let display):
            let value = try await evaluate(expression, frame: frame, execution: execution, target: nil)
            if display { execution.result.outputs += displayOutputs(of: value) }
            return .next(value)
        case .definition(let function):
            if let frame {
                frame.values[function.name] = .object(function)
            } else {
                setGlobal(function.name, .object(function))
            }
            return .next(.null)
        case .importFile(let file):
            execution.result.filesRead.merge(PathPolicy.hashes(of: [file.url])) { _, new in new }
            for statement in file.statements {
                try Task.checkCancellation()
                _ = try await execute(statement, frame: nil, execution: execution)
            }
            return .next(.null)
        case .returnValue(let expression, _):
            guard let expression else { return .returned(.null) }
            return .returned(try await evaluate(expression, frame: frame, execution: execution, target: nil))
        }
    }

    private func evaluate(
        _ expression: CheckedExpression, frame: Frame?, execution: Execution, target: String?
    ) async throws -> Value {
        switch expression {
        case .constant(let value): return value
        case .list(let items):
            var values: [Value] = []
            for item in items {
                values.append(try await evaluate(item, frame: frame, execution: execution, target: nil))
            }
            return .list(values)
        case .record(let fields):
            var record = Record()
            for field in fields {
                record[field.key] = try await evaluate(field.value, frame: frame, execution: execution, target: nil)
            }
            return .record(record)
        case .variable(let name, let span):
            if let value = frame?.values[name] ?? global(name) { return value }
            throw RuntimeError.unassignedVariable(name, span)
        case .param(let name, let span):
            guard let value = context.params[name] else {
                throw RuntimeError.unassignedVariable("params.\(name)", span)
            }
            return value
        case .field(let base, let name, let span):
            let value = try await evaluate(base, frame: frame, execution: execution, target: nil)
            if let field = value.field(name) { return field }
            let names: [String]
            switch value {
            case .record(let record): names = record.keys
            case .object(let object): names = object.fieldNames
            default: names = []
            }
            throw RuntimeError.unknownField(
                name, typeName: value.typeName, suggestion: nearestName(to: name, in: names), span)
        case .verb(let plan):
            return try await invoke(plan, frame: frame, execution: execution, target: target)
        case .call(let plan):
            return try await call(plan, frame: frame, execution: execution)
        }
    }

    private func invoke(
        _ plan: VerbInvocationPlan, frame: Frame?, execution: Execution, target: String?
    ) async throws -> Value {
        guard let command = VerbRegistry.command(plan.fullName) else {
            throw plan.span.diagnostic("unknown verb `\(plan.fullName)`")
        }
        let spec = command.spec
        var arguments: [String: Value] = [:]
        for (name, expression) in plan.arguments {
            let value = try await evaluate(expression, frame: frame, execution: execution, target: nil)
            if let arg = spec.argument(name), !arg.type.accepts(value) {
                throw RuntimeError.wrongType(
                    verb: spec.fullName, argument: name, expected: arg.type.description, found: value.typeName,
                    expression.span ?? plan.span)
            }
            if let problem = spec.argument(name)?.validate?(value) {
                let span = expression.span ?? plan.span
                throw span.diagnostic(
                    "\(problem.message) in argument `\(name)` of `\(spec.fullName)`", notes: problem.notes)
            }
            arguments[name] = value
        }
        for arg in spec.arguments where arguments[arg.name] == nil {
            if let defaultValue = arg.defaultValue { arguments[arg.name] = defaultValue }
        }
        var variadic: [(label: String?, value: Value)] = []
        let variadicSpec = spec.positional.last { $0.variadic }
        for (label, expression) in plan.variadic {
            let value = try await evaluate(expression, frame: frame, execution: execution, target: nil)
            if let variadicSpec, !variadicSpec.type.accepts(value) {
                throw RuntimeError.wrongType(
                    verb: spec.fullName, argument: variadicSpec.name, expected: variadicSpec.type.description,
                    found: value.typeName, expression.span ?? plan.span)
            }
            variadic.append((label, value))
        }
        let call = VerbCall(
            arguments: arguments, variadic: variadic, target: target, location: plan.span.location,
            sourceLine: plan.span.lineText)
        try Task.checkCancellation()
        let outcome: VerbOutcome
        do {
            outcome = try await command.run(call, context: context)
        } catch let error as CancellationError {
            throw error
        } catch {
            var diagnostic = error.asDiagnostic
            if diagnostic.location == nil {
                diagnostic.location = plan.span.location
                diagnostic.sourceLine = plan.span.lineText
            } else if diagnostic.location != plan.span.location {
                diagnostic.notes.append("while running `\(spec.fullName)` at \(plan.span.location)")
            }
            throw diagnostic
        }
        execution.result.absorb(outcome)
        return outcome.value
    }

    private func call(_ plan: FunctionCallPlan, frame: Frame?, execution: Execution) async throws -> Value {
        guard case .object(let object)? = frame?.values[plan.name] ?? global(plan.name),
            let function = object as? UserFunction
        else {
            throw RuntimeError.unassignedVariable(plan.name, plan.span)
        }
        guard execution.depth < 100 else { throw RuntimeError.recursionTooDeep(plan.name, plan.span) }
        var locals: [String: Value] = [:]
        for (name, expression) in plan.arguments {
            locals[name] = try await evaluate(expression, frame: frame, execution: execution, target: nil)
        }
        for parameter in function.parameters where locals[parameter.name] == nil {
            if let defaultValue = parameter.defaultValue {
                locals[parameter.name] = try await evaluate(defaultValue, frame: nil, execution: execution, target: nil)
            }
        }
        let inner = Frame(locals)
        execution.depth += 1
        defer { execution.depth -= 1 }
        var last = Value.null
        for statement in function.body {
            try Task.checkCancellation()
            switch try await execute(statement, frame: inner, execution: execution) {
            case .next(let value): last = value
            case .returned(let value): return value
            }
        }
        return last
    }
}

extension CheckedExpression {
    /// Where the expression was written, when it has a position of its own.
    var span: Span? {
        switch self {
        case .variable(_, let s), .param(_, let s), .field(_, _, let s): s
        case .verb(let plan): plan.span
        case .call(let plan): plan.span
        default: nil
        }
    }
}
