import Foundation
import SynthTestSupport
import Testing

/// `synthlab run` on a terminal (a pseudo-terminal): a status line redrawn in place with the running
/// command's count and total, then one permanent line per cell.
@Suite(.serialized) struct ProgressTerminalTests {
    static let driver = #"""
        import json, os, pty, sys
        binary, folder, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(folder)
            os.environ.update({"NO_COLOR": "1", "HOME": folder, "COLUMNS": "200", "TERM": "dumb"})
            os.execv(binary, [binary] + args)
        out = b""
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            out += data
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(json.dumps({"screen": out.decode("utf-8", "replace"), "status": os.waitstatus_to_exitcode(status)}))
        """#

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func statusLineShowsCountAndTotalThenOneLinePerCell() throws {
        let project = try CLIProject()
        defer { project.remove() }
        let n = 200
        try project.write("mini/corpus.jsonl", (0..<n).map { "{\"_id\": \"d\($0)\", \"title\": \"\", \"text\": \"word\($0) common\"}\n" }.joined())
        try project.write("mini/queries.jsonl", (0..<n).map { "{\"_id\": \"q\($0)\", \"text\": \"word\($0)\"}\n" }.joined())
        try project.write("mini/qrels/test.tsv", "query-id\tcorpus-id\tscore\n" + (0..<n).map { "q\($0)\td\($0)\t1\n" }.joined())
        try project.write("nb.md", """
            ```synth
            #| label: load
            d = load "./mini" split="test"
            ```

            ```synth
            #| label: index
            index = bm25 d
            ```

            ```synth
            #| label: search
            r = search index on=d top_k=10
            ```
            """)
        let script = project.folder.appendingPathComponent("drive-terminal.py")
        try Data(Self.driver.utf8).write(to: script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script.path, CLIProject.binary.path, project.folder.path, #"["run", "nb.md"]"#]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let screen = (object["screen"] as? String ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        #expect(object["status"] as? Int == 0, "\(screen)")
        // The status line: erased and redrawn in place (`\r` + erase line), naming the cell and the count.
        #expect(screen.contains("\r\u{1B}[2K[3/3] search … search r \(n)/\(n)"), "\(screen.debugDescription)")
        #expect(screen.contains("\r\u{1B}[2K[1/3] load …"))
        // Each finished cell leaves one permanent line after the status line is cleared.
        let permanent = screen.components(separatedBy: "\r\u{1B}[2K").last ?? ""
        let lines = permanent.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines[0].hasPrefix("[3/3] search … done in ") && lines[1] == "report: reports/nb.html (+ .json)",
                "\(permanent.debugDescription)")
        #expect(screen.contains("\r\u{1B}[2K[1/3] load … done in "))
        #expect(screen.contains("\r\u{1B}[2K[2/3] index … done in "))
    }
}
