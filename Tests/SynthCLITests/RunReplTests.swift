import Foundation
import SynthTestSupport
import Testing

/// Drives `synthlab repl` through a pseudo-terminal (python3's `pty` module), the way a person types.
@Suite(.serialized) struct RunReplTests {
    /// Types `keys` (a list of strings, `\t` for Tab, `\u{3}` for Ctrl-C, a leading `!` for input that starts a
    /// long command) into the REPL on a pty; returns the screen text.
    static let driver = #"""
        import json, os, pty, select, sys, time
        binary, folder, keys = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(folder)
            os.environ["TERM"] = "dumb"
            os.environ["NO_COLOR"] = "1"
            os.execv(binary, [binary, "repl", "--history", os.path.join(folder, "history")])
        out = b""
        def pump(seconds):
            global out
            end = time.time() + seconds
            while time.time() < end:
                ready, _, _ = select.select([fd], [], [], 0.05)
                if ready:
                    try:
                        data = os.read(fd, 65536)
                    except OSError:
                        return
                    if not data:
                        return
                    out += data
        def wait_for_prompt(start, seconds):
            end = time.time() + seconds
            while time.time() < end:
                tail = out[start:]
                if tail.rstrip(b" ").endswith(b"synth>") or tail.rstrip(b" ").endswith(b"...>"):
                    return
                pump(0.05)
        wait_for_prompt(0, 20)
        for key in keys:
            start = len(out)
            if key.startswith("!"):          # start a long command: do not wait for the next prompt
                os.write(fd, key[1:].encode())
                pump(1.5)
                continue
            os.write(fd, key.encode())
            if key.endswith("\r") and key != ":quit\r":
                wait_for_prompt(start, 30)   # the input ran (or failed) and a new prompt is up
            else:
                pump(0.6)                    # completion or Ctrl-C: let readline redraw
        _, status = os.waitpid(pid, 0)
        pump(0.2)
        sys.stdout.write(json.dumps({"screen": out.decode("utf-8", "replace"), "status": os.waitstatus_to_exitcode(status)}))
        """#

    func type(_ keys: [String], in project: CLIProject) throws -> (screen: String, status: Int) {
        let script = project.folder.appendingPathComponent("drive.py")
        try Data(Self.driver.utf8).write(to: script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        let keysJSON = String(decoding: try JSONSerialization.data(withJSONObject: keys), as: UTF8.self)
        process.arguments = [script.path, CLIProject.binary.path, project.folder.path, keysJSON]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let screen = (object["screen"] as? String ?? "").replacingOccurrences(of: "\r", with: "")
        return (screen, object["status"] as? Int ?? -1)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func typeCompleteSaveThenRunReproduces() throws {
        let project = try CLIProject()
        defer { project.remove() }
        let session = try type([
            "numbers = [3, 1, 2]\r",
            "pri\t",                      // completes the verb `print`
            "numb\t\r",                   // completes the variable `numbers`
            "def twice(v)\r", "  return [v, v]\r", "end\r",   // continuation while `def` is open
            "pairs = twice numbers\r",
            "print pairs\r",
            "\u{3}",                      // Ctrl-C at the prompt does not end the session
            "print \"still here\"\r",
            ":vars\r",
            ":sav\t session.md\r",        // completes the command `:save`
            ":quit\r",
        ], in: project)
        #expect(session.status == 0)
        #expect(session.screen.contains("synth> print numbers"))
        #expect(session.screen.contains("\n[3, 1, 2]\n"))
        #expect(session.screen.contains("  ...>   return [v, v]"))
        #expect(session.screen.contains("[[3, 1, 2], [3, 1, 2]]"))
        #expect(session.screen.contains("still here"))
        #expect(session.screen.contains("numbers  list"))
        #expect(session.screen.contains("saved 6 cells to session.md"))
        let history = try project.read("history")
        #expect(history.contains("print numbers"))

        let saved = try project.read("session.md")
        #expect(saved.contains("```synth\ndef twice(v)\n  return [v, v]\nend\n```"))
        let run = try project.synthlab(["run", "session.md"])
        #expect(run.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(project.read("reports/session.json").utf8)) as? [String: Any])
        let cells = try #require(json["cells"] as? [[String: Any]])
        let texts = cells.flatMap { ($0["outputs"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String } }
        #expect(texts == ["[3, 1, 2]", "[[3, 1, 2], [3, 1, 2]]", "still here"])
    }

    /// Tab completes argument names (`tit` → `title=`) and file paths inside quotes; Ctrl-C while a command
    /// runs cancels that command (ten million function calls) and the session goes on.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func completesArgumentsAndPathsAndCancelsARunningCommand() throws {
        let project = try CLIProject()
        defer { project.remove() }
        var fanOut = "def f0(x)\n  return x\nend\n"
        for level in 1...7 {
            fanOut += "def f\(level)(x)\n" + (1...10).map { "  y\($0) = f\(level - 1) x\n" }.joined() + "  return x\nend\n"
        }
        try project.write("fan.synth", fanOut)
        try project.write("data-file.tsv", "a\tb\n")
        let session = try type([
            "import \"fan\"\r",
            "numbers = [3, 1, 2]\r",
            "plot line y=numbers tit\t",    // completes the argument name `title=`
            "\"t\"\r",
            "x = \"data-f\t",              // completes the file name inside the quotes
            "\r",
            "print x\r",
            "!z = f7 1\r",                   // runs for minutes unless cancelled
            "\u{3}",
            "print \"alive\"\r",
            ":vars\r",
            ":quit\r",
        ], in: project)
        #expect(session.status == 0)
        #expect(session.screen.contains("synth> plot line y=numbers title=\"t\""))
        #expect(session.screen.contains("synth> x = \"data-file.tsv\""))
        #expect(session.screen.contains("\ndata-file.tsv\n"))
        #expect(session.screen.contains("cancelled"))
        #expect(session.screen.contains("\nalive\n"))
        #expect(session.screen.contains("numbers  list"))
        #expect(!session.screen.contains("\nz "), "the cancelled assignment must not have happened")
    }

    @Test func scriptedThroughAPipe() throws {
        let project = try CLIProject()
        defer { project.remove() }
        let result = try project.synthlab(["repl"], stdin: """
            x = [1,
              2]
            print x
            :show x
            :help print
            :report out.html
            """ + "\n")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("[1, 2]\nlist of 2 items"))
        #expect(result.stdout.contains("print [values…]\n  show values as one line of text"))
        #expect(result.stderr == "wrote out.html (+ .json)\n")
        #expect(try project.read("out.html").contains("<pre class=\"output\">[1, 2]</pre>"))
        let failing = try project.synthlab(["repl"], stdin: "print nope\n:bogus\n")
        #expect(failing.status == 1)
        #expect(failing.stderr.hasPrefix("<repl>:1:7: error: unknown variable `nope`"))
        #expect(failing.stderr.contains("error: unknown REPL command `:bogus`"))
    }
}
