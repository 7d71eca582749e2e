import Foundation
import SynthCommands
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// One malformed input and the diagnostic it must produce.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    var name: String
    var source: String
    /// `line:column: message`.
    var expected: String
    var note: String?
    var testDescription: String { name }
}

/// Parses and checks `source` (after running `setup`) and returns the diagnostic it raises.
func diagnostic(for source: String, setup: String? = nil, params: [String: Value] = ["k": .int(10)]) async throws
    -> Diagnostic?
{
    let interpreter = try makeInterpreter(params: params)
    if let setup { try await runCell(interpreter, setup) }
    do {
        _ = try interpreter.prepare(source, at: SourceLocation(file: "cell.synth", line: 1, column: 1))
        return nil
    } catch {
        return error
    }
}

@Suite struct DiagnosticsTests {
    static let cases: [MalformedCase] = [
        MalformedCase(
            name: "unterminated string", source: "x = \"abc",
            expected: "1:5: unterminated string: expected a closing `\"` before the end of the line"),
        MalformedCase(
            name: "unknown verb with suggestion", source: "shwo [1, 2]",
            expected: "1:1: unknown verb `shwo`", note: "did you mean `show`?"),
        MalformedCase(
            name: "unknown argument with suggestion", source: "show [1] m=3",
            expected: "1:10: unknown argument `m` for `show`", note: "did you mean `n`?"),
        MalformedCase(
            name: "wrong argument type", source: "show [1] n=\"five\"",
            expected: "1:12: expected int for argument `n` of `show`, found string"),
        MalformedCase(
            name: "wrong element type in a list", source: "plot line y=[1, \"two\"]",
            expected: "1:13: expected list of number, record or evaluation for argument `y` of `plot`, found list"),
        MalformedCase(
            name: "value outside a choice", source: "plot lines y=[1]",
            expected:
                "1:6: expected one of \"line\", \"bar\", \"histogram\", \"scatter\" for argument `kind` of `plot`, found \"lines\"",
            note: "did you mean `line`?"),
        MalformedCase(
            name: "missing required argument", source: "p = plot line title=\"loss\"",
            expected: "1:5: missing required argument `y` for `plot`",
            note:
                "usage: plot [kind] y=list of number, record or evaluation [x=none] [labels=none] [title=\"\"] [xlabel=\"\"] [ylabel=\"\"] [bins=20] [range=none] [log=none]"
        ),
        MalformedCase(
            name: "unknown variable with suggestion", source: "data = [1]\nshow dta",
            expected: "2:6: unknown variable `dta`", note: "did you mean `data`?"),
        MalformedCase(
            name: "bad number", source: "x = 1.2.3",
            expected: "1:5: malformed number `1.2.3`: expected digits with at most one `.` and exponent"),
        MalformedCase(
            name: "number glued to letters", source: "show [1] n=12abc",
            expected: "1:12: malformed number `12abc`: expected digits with at most one `.` and exponent"),
        MalformedCase(
            name: "unclosed list", source: "x = [1, 2",
            expected: "1:10: expected `]` to close the list at 1:5, found end of input"),
        MalformedCase(
            name: "unclosed record", source: "r = {a: 1,\n  b: 2",
            expected: "2:7: expected `}` to close the record at 1:5, found end of input"),
        MalformedCase(
            name: "def without end", source: "def twice(x)\n  print x x\n",
            expected: "1:1: expected `end` to close `def twice`, found end of input"),
        MalformedCase(
            name: "end without def", source: "x = 1\nend",
            expected: "2:1: found `end` without a matching `def`"),
        MalformedCase(
            name: "duplicate argument", source: "show [1] n=1 n=2",
            expected: "1:14: duplicate argument `n`"),
        MalformedCase(
            name: "dotted access to a missing field", source: "r = {score: 1, name: \"bm25\"}\nprint r.scor",
            expected: "2:9: no field `scor` in record", note: "did you mean `score`?"),
        MalformedCase(
            name: "import of a missing file", source: "import \"nothere\"",
            expected: "1:1: cannot find file \"nothere\" to import"),
        MalformedCase(
            name: "bad line continuation", source: "x = 1 \\ y",
            expected: "1:9: expected end of line after line continuation `\\`, found `y`"),
        MalformedCase(
            name: "line continuation at the end of input", source: "x = 1 \\",
            expected: "1:7: expected end of line after line continuation `\\`, found end of input"),
        MalformedCase(
            name: "assignment to a param", source: "params.k = 3",
            expected: "1:8: cannot assign to param `k`: params are set in the front matter or with --param",
            note: "assign to a variable instead, e.g. `k = params.k`"),
        MalformedCase(
            name: "unknown param with suggestion", source: "print params.kk",
            expected: "1:14: unknown param `kk`", note: "did you mean `k`?"),
        MalformedCase(
            name: "too many positional arguments", source: "show 1 2",
            expected: "1:8: too many positional arguments for `show`: expected at most 1"),
        MalformedCase(
            name: "return outside a function", source: "return 1",
            expected: "1:1: found `return` outside a function"),
        MalformedCase(
            name: "unexpected character", source: "x = 3 @",
            expected: "1:7: unexpected character `@`"),
        MalformedCase(
            name: "assignment without a value", source: "x =   # nothing",
            expected: "1:16: expected a value or a command after `=`, found end of input"),
        MalformedCase(
            name: "assignment to a verb name", source: "show = 3",
            expected: "1:1: cannot assign to `show`: it is a verb"),
        MalformedCase(
            name: "a variable used as a verb", source: "x = 1\nx 2",
            expected: "2:1: expected a verb or function, found variable `x` (int) followed by arguments"),
        MalformedCase(
            name: "two statements on one line", source: "x = 1 y = 2",
            expected: "1:7: expected end of line, found identifier `y`"),
        MalformedCase(
            name: "duplicate record field", source: "r = {a: 1, a: 2}",
            expected: "1:12: duplicate field `a` in record"),
        MalformedCase(
            name: "nested def", source: "def f(x)\n  def g(y)\n  end\nend",
            expected: "2:3: expected `end` before another `def`: functions cannot be nested"),
        MalformedCase(
            name: "function called with an unknown argument",
            source: "def f(data, k=1)\n  return data\nend\nf [1] kk=2",
            expected: "4:7: unknown argument `kk` for `f`", note: "did you mean `k`?"),
        MalformedCase(
            name: "function called without a required argument", source: "def f(data, k=1)\n  return data\nend\nf k=2",
            expected: "4:1: missing required argument `data` for `f`", note: "usage: f data [k=…]"),
    ]

    @Test(arguments: cases)
    func reportsPositionAndMessage(_ input: MalformedCase) async throws {
        let found = try #require(try await diagnostic(for: input.source))
        let location = try #require(found.location)
        #expect(location.file == "cell.synth")
        #expect("\(location.line ?? 0):\(location.column ?? 0): \(found.message)" == input.expected)
        if let note = input.note { #expect(found.notes.first == note) }
        #expect(found.sourceLine != nil)
    }

    @Test func caretIsDrawnUnderTheColumn() async throws {
        let found = try #require(try await diagnostic(for: "data = [1]\nshow dta n=2"))
        #expect(
            found.rendered() == """
                cell.synth:2:6: error: unknown variable `dta`
                    show dta n=2
                         ^
                  note: did you mean `data`?
                """)
    }

    @Test func locationsAreOffsetByTheCellPosition() async throws {
        let interpreter = try makeInterpreter()
        do {
            _ = try interpreter.prepare("x = 1\nshow y", at: SourceLocation(file: "notebook.md", line: 20, column: 1))
            Issue.record("expected an error")
        } catch {
            #expect(error.location == SourceLocation(file: "notebook.md", line: 21, column: 6))
        }
    }

    @Test func missingFieldFoundWhenRunning() async throws {
        let interpreter = try makeInterpreter()
        let cell = try interpreter.prepare(
            "def pick(r)\n  return r.scor\nend\nx = pick {score: 1}", at: SourceLocation(file: "cell.synth", line: 1))
        do {
            _ = try await interpreter.run(cell)
            Issue.record("expected an error")
        } catch let error as Diagnostic {
            #expect(error.location == SourceLocation(file: "cell.synth", line: 2, column: 12))
            #expect(error.message == "no field `scor` in record")
            #expect(error.notes == ["did you mean `score`?"])
        }
    }
}
