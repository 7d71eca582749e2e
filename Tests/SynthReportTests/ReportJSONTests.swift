import Foundation
import SynthValues
import Testing

@testable import SynthReport

@Suite struct ReportJSONTests {
    @Test func documentedKeysAndValues() throws {
        let text = ReportJSON.render(sampleRecord(failed: true))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["format", "title", "author", "notebook", "params", "params_overridden", "cells",
                                     "results", "llm", "provenance", "failed_cell"])
        #expect(object["format"] as? String == "synthlab-report/1")
        #expect(object["failed_cell"] as? String == "plot")
        let cells = try #require(object["cells"] as? [[String: Any]])
        #expect(cells.map { $0["label"] as? String } == ["load", "plot", "after"])
        #expect(cells.map { $0["status"] as? String } == ["ok", "failed", "skipped"])
        #expect(cells[0]["cached"] as? Bool == true)
        #expect(cells[0]["seconds"] as? Double == 1.5)
        let results = try #require(object["results"] as? [String: [String: [String: Double]]])
        #expect(results["eval"]?["bm25"]?["ndcg_cut.10"] == 0.665)
        let llm = try #require(object["llm"] as? [String: Any])
        #expect(llm["requests_new"] as? Int == 3 && llm["prompt_tokens"] as? Int == 120)
        #expect(llm["requests_replayed"] as? Int == 0 && llm["completion_tokens"] as? Int == 0)
        let provenance = try #require(object["provenance"] as? [String: Any])
        #expect(provenance["tool_version"] as? String == "0.1.0")
        #expect(provenance["command"] as? String == "synthlab run nb.md")
        #expect(object["params_overridden"] as? [String] == ["k"])
        // Hostile text survives as data but cannot close an HTML script block if embedded.
        #expect(!text.contains("<script>"))
        #expect((object["author"] as? String)?.hasPrefix("<script>") == true)
    }

    @Test func deterministicAndTyped() throws {
        #expect(ReportJSON.render(sampleRecord()) == ReportJSON.render(sampleRecord()))
        let record = RunRecord(title: "t", notebook: "nb.md", params: [
            .init(name: "k", value: "3", type: "int", overridden: false),
            .init(name: "x", value: "0.5", type: "number", overridden: false),
            .init(name: "f", value: "true", type: "bool", overridden: false),
        ])
        let text = ReportJSON.render(record)
        #expect(text.contains("\"params\": {\n    \"f\": true,\n    \"k\": 3,\n    \"x\": 0.5\n  }"))
        #expect(JSONValue.array([.double(.nan), .double(2), .double(0.1)]).serialized() == "[\n  null,\n  2.0,\n  0.1\n]\n")
    }
}
