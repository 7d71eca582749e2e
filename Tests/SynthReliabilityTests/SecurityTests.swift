import Foundation
import SynthTestSupport
import Testing

/// Hostile strings in data and notebooks, path traversal and API-key handling.
@Suite(.serialized) struct SecurityTests {
    static let hostile = [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(2)>", "</textarea><b>x</b>", "{{ 7*7 }}",
    ]

    @Test func hostileStringsAreEscapedInReports() throws {
        let project = try ReliabilityProject()
        // The strings reach the report as document text, query text, printed values, table cells,
        // plot titles and series names (gnuplot markup included).
        var corpus = "", queries = ""
        for (i, text) in Self.hostile.enumerated() {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed), as: UTF8.self)
            corpus += "{\"_id\": \"d\(i)\", \"title\": \(json), \"text\": \(json)}\n"
            queries += "{\"_id\": \"q\(i)\", \"text\": \(json)}\n"
        }
        try project.write("data/corpus.jsonl", corpus)
        try project.write("data/queries.jsonl", queries)
        try project.write("data/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq0\td0\t1\n")
        let quoted = Self.hostile.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        try project.write(
            "nb.md",
            """
            ---
            title: \(quoted[1])
            ---

            ```synth
            data = load "data" split="test"
            show data
            print \(quoted.joined(separator: " "))
            table {\(quoted[0]): {\(quoted[2]): 1.0}} caption=\(quoted[3])
            plot line y={\(quoted[0]): [1, 2], "a\\" ; system(\\"touch pwned\\") ; \\"": [2, 1]} title="set output '/tmp/x' \\n \(Self.hostile[1].replacingOccurrences(of: "\"", with: "\\\""))" xlabel="{/Symbol a} @ ^ _ &"
            ```
            """)
        let result = try project.synthlab(["run", "nb.md", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try project.read("reports/nb.html")
        for needle in ["<script>alert", "<img src=x", "</textarea><b>", "<b>x</b>"] {
            #expect(!html.contains(needle), "unescaped \(needle) in the report")
        }
        #expect(html.contains("&lt;script&gt;alert(1)"), "the hostile text is missing instead of escaped")
        #expect(!FileManager.default.fileExists(atPath: project.url("pwned").path), "gnuplot ran injected code")
    }

    @Test func notebooksCannotWriteOutsideTheProject() throws {
        let project = try ReliabilityProject()
        let outside = project.folder.deletingLastPathComponent()
            .appendingPathComponent("escape-\(UUID().uuidString).json")
        try FileManager.default.createDirectory(at: project.url("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: project.url("sub/link"), withDestinationURL: project.folder.deletingLastPathComponent())
        let name = outside.lastPathComponent
        for path in ["../\(name)", outside.path, "sub/link/\(name)", "reports/../../\(name)"] {
            try project.write("nb.md", "```synth\nexport [1, 2] path=\"\(path)\"\n```\n")
            let result = try project.synthlab(["run", "nb.md", "--quiet"])
            #expect(result.status == 1, "export to \(path) was allowed")
            #expect(result.stderr.contains("expected a path inside the project or output folder"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: outside.path), "\(path) escaped the project")
        }
        try project.write("nb.md", "```synth\nexport [1, 2] path=\"../\(name)\"\n```\n")
        let allowed = try project.synthlab(["run", "nb.md", "--quiet", "--allow-unsafe"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(FileManager.default.fileExists(atPath: outside.path))
        try? FileManager.default.removeItem(at: outside)
        try project.write("nb.md", "```synth\nexport [1, 2] path=\"reports/inside.json\"\n```\n")
        #expect(try project.synthlab(["run", "nb.md", "--quiet"]).status == 0)
    }

    @Test func notebooksCannotReadOutsideTheProjectAndDataFolders() throws {
        let project = try ReliabilityProject()
        let name = "outside-\(UUID().uuidString)"
        let outside = project.folder.deletingLastPathComponent().appendingPathComponent(name)
        defer { try? FileManager.default.removeItem(at: outside) }
        let secret = ReliabilityProject(folder: outside)
        try secret.writeDataset(".", docs: 10)
        try secret.write("corpus.jsonl", "{\"_id\": \"d0\", \"title\": \"\", \"text\": \"secret-\(name)\"}\n")
        try secret.write("set.jsonl.gz", "not read")
        try FileManager.default.createDirectory(at: project.url("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: project.url("sub/link"), withDestinationURL: project.folder.deletingLastPathComponent())
        let attempts = [
            "d = load \"../\(name)\"", "d = load \"\(outside.path)\"", "d = load \"sub/link/\(name)\"",
            "d = load \"data/../../\(name)\"", "s = load synthetic path=\"../\(name)/set.jsonl.gz\"",
            "e = encoder \"../\(name)\"", "t = llm model=\"../\(name)/model.gguf\"",
        ]
        for source in attempts {
            try project.write("nb.md", "```synth\n\(source)\nshow d\n```\n".replacingOccurrences(
                of: "show d\n", with: source.hasPrefix("d =") ? "show d\n" : ""))
            let result = try project.synthlab(["run", "nb.md", "--quiet"])
            #expect(result.status == 1, "\(source) was allowed")
            #expect(
                result.stderr.contains("error: expected a path inside the project or a data folder, found"),
                "\(result.stderr)")
            #expect(result.stderr.contains("--allow-unsafe"), "\(result.stderr)")
            let report = (try? project.read("reports/nb.html")) ?? ""
            #expect(!report.contains("secret-\(name)"), "\(source) leaked the outside file into the report")
        }
        // The person running the notebook can allow it, or name the folder's parent as the data folder.
        try project.write("nb.md", "```synth\nd = load \"../\(name)\"\nshow d\n```\n")
        let unsafe = try project.synthlab(["run", "nb.md", "--quiet", "--allow-unsafe"])
        #expect(unsafe.status == 0, "\(unsafe.stderr)")
        try project.write("nb.md", "```synth\nd = load \"\(name)\"\nshow d\n```\n")
        let named = try project.synthlab(
            ["run", "nb.md", "--quiet"], environment: ["SYNTHLAB_DATA": outside.deletingLastPathComponent().path])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(try project.read("reports/nb.html").contains("secret-\(name)"))
    }

    @Test func notebooksReadAnywhereInTheirGitWorkTree() throws {
        let root = try ReliabilityProject()
        try FileManager.default.createDirectory(at: root.url(".git"), withIntermediateDirectories: true)
        try root.writeDataset("data/mini", docs: 10)
        let notebooks = ReliabilityProject(folder: root.url("notebooks"))
        try notebooks.write("nb.md", "```synth\nd = load \"../data/mini\" split=\"test\"\nshow d\n```\n")
        let result = try notebooks.synthlab(["run", "nb.md", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        // Without the work tree the same path leaves the project.
        try FileManager.default.removeItem(at: root.url(".git"))
        let refused = try notebooks.synthlab(["run", "nb.md", "--quiet", "--no-cache"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("nb.md:2:5: error: expected a path inside the project or a data folder, found \"../data/mini\""), "\(refused.stderr)")
    }

    @Test func notebooksCannotRunShellCommands() throws {
        // The language has no verb, function or syntax that starts a process; shell syntax is a parse or
        // check error naming the position, and a path containing shell syntax is only a file name.
        let project = try ReliabilityProject()
        let cases: [(String, String)] = [
            ("shell \"touch pwned\"", "nb.md:2:1: error: unknown verb `shell`"),
            ("system(\"touch pwned\")", "nb.md:2:8: error: expected a command after `(`"),
            ("!touch pwned", "nb.md:2:1: error: unexpected character `!`"),
            ("x = `touch pwned`", "nb.md:2:5: error: unexpected character `"),
        ]
        for (source, message) in cases {
            try project.write("nb.md", "```synth\n\(source)\n```\n")
            let result = try project.synthlab(["run", "nb.md", "--quiet"])
            #expect(result.status == 1, "\(source) ran")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        try project.write("nb.md", "```synth\nexport [1] path=\"$(touch pwned).json\"\n```\n")
        #expect(try project.synthlab(["run", "nb.md", "--quiet"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: project.url("$(touch pwned).json").path))
        #expect(!FileManager.default.fileExists(atPath: project.url("pwned").path), "a shell ran")
    }

    @Test func apiKeyNeverLeaksIntoFilesOrMessages() throws {
        let project = try ReliabilityProject()
        try project.writeDataset(docs: 10)
        let key = "sk-synthlab-\(UUID().uuidString)"
        // Port 9 (discard) on loopback refuses connections: every request fails after its retries.
        try project.write(
            "nb.md",
            """
            ```synth
            data = load "data" split="test"
            t = llm model="remote-model" endpoint="http://127.0.0.1:9/v1" key_env="SYNTHLAB_TEST_KEY" attempts=1
            q = synthesize queries from=data docs=1 per_doc=1 teacher=t
            ```
            """)
        let result = try project.synthlab(["run", "nb.md"], environment: ["SYNTHLAB_TEST_KEY": key])
        #expect(result.status != 0)
        #expect(!result.stderr.contains(key) && !result.stdout.contains(key))
        let files = project.files(under: ".synthlab") + project.files(under: "reports")
        #expect(!files.isEmpty)
        for file in files {
            let data = try Data(contentsOf: file)
            #expect(data.range(of: Data(key.utf8)) == nil, "the API key is in \(file.path)")
        }
    }
}
