import Testing

@testable import SynthValues

/// The one Value → JSON writer (prompt templates, `export`) and its string escaping (also the report's).
@Suite struct ValueJSONTests {
    struct Scores: JSONExportable {
        var typeName: String { "scores" }
        var summary: String { "scores: 2 systems" }
        var jsonValue: Value { .record(Record([("bm25", .double(0.5)), ("minilm", .double(0.25))])) }
    }

    @Test func stringsAreEscapedAndScriptSafeOnlyWhenAsked() {
        let text = "a<b>&c\u{2028}\"q\"\\\n\t\u{1}é"
        #expect(jsonQuoted(text) == "\"a<b>&c\u{2028}\\\"q\\\"\\\\\\n\\t\\u0001é\"")
        #expect(jsonQuoted(text, scriptSafe: true) == "\"a\\u003cb\\u003e\\u0026c\\u2028\\\"q\\\"\\\\\\n\\t\\u0001é\"")
    }

    @Test func valuesKeepFieldOrderAndObjectsAreSummariesUnlessExported() {
        let value = Value.record(
            Record([
                ("z", .int(1)), ("a", .list([.double(0.5), .double(.nan), .bool(true), .null])),
                ("eval", .object(Scores())),
            ]))
        #expect(value.jsonText == #"{"z":1,"a":[0.5,null,true,null],"eval":"scores: 2 systems"}"#)
        #expect(value.exportedJSONText == #"{"z":1,"a":[0.5,null,true,null],"eval":{"bm25":0.5,"minilm":0.25}}"#)
    }
}
