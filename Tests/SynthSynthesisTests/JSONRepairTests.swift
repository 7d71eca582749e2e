import SynthValues
import Testing

@testable import SynthSynthesis

@Suite struct JSONRepairTests {
    @Test func cleanJSONNeedsNoRepair() throws {
        let result = try JSONRepair.parse(#"{"queries": ["a", "b"], "n": 2, "x": 1.5, "ok": true, "none": null}"#)
        #expect(result.repairs.isEmpty)
        #expect(result.value.jsonText == #"{"queries":["a","b"],"n":2,"x":1.5,"ok":true,"none":null}"#)
    }

    @Test(arguments: [
        ("```json\n{\"a\": 1}\n```", #"{"a":1}"#, [JSONRepair.Repair.strippedFence]),
        ("Sure! Here it is: {\"a\": 1} Hope it helps.", #"{"a":1}"#, [.droppedSurroundingText]),
        ("{\"a\": [1, 2,], \"b\": 3,}", #"{"a":[1,2],"b":3}"#, [.trailingComma]),
        ("{\"queries\": [\"first\", \"seco", #"{"queries":["first","seco"]}"#, [.closedTruncated]),
        ("{\"a\": True, \"b\": None}", #"{"a":true,"b":null}"#, [.pythonLiteral]),
        ("{\"a\": \"line\nbreak\"}", #"{"a":"line\nbreak"}"#, [.rawControlCharacter]),
        ("```\n{\"a\": {\"b\": [1,\n", #"{"a":{"b":[1]}}"#, [.strippedFence, .closedTruncated]),
        ("{\"q\": \"caf\\u00e9 \\ud83d\\ude00 \\\"x\\\"\"}", #"{"q":"café 😀 \"x\""}"#, []),
    ])
    func repairs(input: String, expected: String, repairs: [JSONRepair.Repair]) throws {
        let result = try JSONRepair.parse(input)
        #expect(result.value.jsonText == expected)
        #expect(result.repairs == repairs)
    }

    @Test func failures() {
        #expect(throws: JSONRepair.Failure.noJSON) { try JSONRepair.parse("no json here") }
        #expect(throws: JSONRepair.Failure.noJSON) { try JSONRepair.parse("[1, 2]") }
        #expect(throws: JSONRepair.Failure.malformed("expected a quoted key, found `a`", offset: 1)) {
            try JSONRepair.parse("{a: 1}")
        }
        #expect(throws: JSONRepair.Failure.malformed("expected `,` or `}`, found `\"`", offset: 8)) {
            try JSONRepair.parse(#"{"a": 1 "b": 2}"#)
        }
        #expect(JSONRepair.Failure.noJSON.description == "expected a JSON object in the answer, found none")
    }

    @Test func arraysWhenAllowed() throws {
        #expect(try JSONRepair.parse("[1, 2]", allowArray: true).value.jsonText == "[1,2]")
    }
}
