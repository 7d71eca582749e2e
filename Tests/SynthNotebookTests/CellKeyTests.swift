import Foundation
import SynthTestSupport
import Testing

@testable import SynthNotebook

/// The cache key covers exactly what the issue lists: resolved source, options, params read, upstream keys
/// and the tool version (input files are checked separately by content hash, never by time).
@Suite struct CellKeyTests {
    func key(
        source: String = "x = [a, params.n]", options: CellOptions = CellOptions(), params: [String: String] = ["n": "int:3"],
        upstream: [String: String?] = ["a": "k1"], tool: String = "0.1.0"
    ) -> String {
        CellKey(normalizedSource: source, options: options, params: params, upstream: upstream, toolVersion: tool).hex
    }

    @Test func everyInputChangesTheKeyAndNothingElseDoes() {
        let base = key()
        #expect(base.count == 64 && base == key())
        var timeout = CellOptions()
        timeout.timeout = 5
        var allowed = CellOptions()
        allowed.error = true
        var quiet = CellOptions()
        quiet.echo = false
        quiet.label = "other-label"
        #expect(key(source: "x = [a, params.n, 1]") != base)
        #expect(key(options: timeout) != base)
        #expect(key(options: allowed) != base)
        #expect(key(options: quiet) == base)  // display options do not change what runs
        #expect(key(params: ["n": "int:4"]) != base)
        #expect(key(params: ["n": "number:3.0"]) != base)
        #expect(key(upstream: ["a": "k2"]) != base)
        #expect(key(upstream: ["a": nil]) != base)
        #expect(key(tool: "0.1.1") != base)
        #expect(CellKey(normalizedSource: "x = [a, params.n]", options: CellOptions(), params: ["n": "int:3"],
                        upstream: ["a": "k1"]).hex == key(tool: ToolVersion.current))
    }
}
