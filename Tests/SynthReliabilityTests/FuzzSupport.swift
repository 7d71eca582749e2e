import Foundation
import SynthTestSupport
import SynthValues

/// The fuzz budget: `cases` per target in CI, or as many as fit in `$SYNTHLAB_FUZZ_SECONDS` (see `scripts/fuzz`).
struct FuzzBudget {
    let cases: Int
    let deadline: Date?

    init(cases: Int) {
        self.cases = cases
        if let text = ProcessInfo.processInfo.environment["SYNTHLAB_FUZZ_SECONDS"], let seconds = Double(text) {
            deadline = Date().addingTimeInterval(seconds)
        } else {
            deadline = nil
        }
    }

    /// The seed for `scripts/fuzz` runs (`$SYNTHLAB_FUZZ_SEED`), else a fixed one.
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["SYNTHLAB_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED
    }

    /// Calls `body` with case numbers until the budget is spent.
    func run(_ body: (Int) throws -> Void) rethrows {
        var index = 0
        while true {
            if let deadline { if Date() >= deadline { break } } else if index >= cases { break }
            try body(index)
            index += 1
        }
    }
}

/// Mutational fuzzing: byte flips, insertions of interesting tokens, deletions, splices and duplications.
enum Mutator {
    static let interesting: [[UInt8]] = [
        "\0", "\u{FF}", "\r\n", "\n", "\t", "\"", "\\", "{", "}", "[", "]", ":", ",", "```", "```synth\n", "---\n",
        "#| ", "-1", "0", "99999999999999999999", "1e999", "NaN", "\u{FEFF}", "é", "💥", "<script>", "..",
        "=", "(", ")", "\"\"\"", "#", "$", "{{", "}}",
    ].map { Array($0.utf8) } + [[0xC3], [0xFF, 0xFE], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]

    static func mutate(_ input: [UInt8], using rng: inout SplitMix64, rounds: Int = 4) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...rounds, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty:
                let at = min(position, bytes.count - 1)
                bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1:
                bytes.insert(contentsOf: interesting.randomElement(using: &rng)!, at: position)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...16, using: &rng))
                bytes.removeSubrange(min(position, end)..<end)
            case 3 where !bytes.isEmpty:
                let start = Int.random(in: 0..<bytes.count, using: &rng)
                let end = min(bytes.count, start + Int.random(in: 1...32, using: &rng))
                bytes.insert(contentsOf: bytes[start..<end], at: position)
            case 4:
                bytes.insert(UInt8.random(in: 0...255, using: &rng), at: position)
            default:
                if bytes.count > 4096 { bytes.removeLast(bytes.count - 4096) }
            }
        }
        return bytes
    }

    /// Bytes as a string the way the tool would decode a file (invalid UTF-8 repaired with U+FFFD).
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
