/// The Porter stemming algorithm, as Lucene's `PorterStemFilter` applies it.
///
/// Martin Porter, "An algorithm for suffix stripping", Program 14(3), 1980, in the form of his
/// reference implementation (tartarus.org), which Lucene's `PorterStemmer` copies: it includes the
/// reference's two departures from the paper (`-bli` → `-ble`, `-logi` → `-log`) and Lucene's final
/// step, which re-checks a double `l` after removing a final `e`. Words of one or two letters are left
/// alone. Only ASCII letters are interpreted; other bytes count as consonants, as in Lucene.
///
/// ```swift
/// PorterStemmer.stem("relational")  // "relat"
/// PorterStemmer.stem("ponies")      // "poni"
/// ```
package enum PorterStemmer {
    /// The stem of a lowercase word.
    package static func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        stem(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Stems the lowercase word in `bytes` in place.
    package static func stem(_ bytes: inout [UInt8]) {
        guard bytes.count > 2 else { return }
        var state = State(b: bytes, k: bytes.count - 1)
        state.step1ab()
        if state.k > 0 {
            state.step1c()
            state.step2()
            state.step3()
            state.step4()
            state.step5()
        }
        let end = state.k + 1
        bytes = Array(state.b[0..<end])
    }

    // MARK: - The algorithm, over b[0...k]

    private struct State {
        var b: [UInt8]
        /// Index of the last letter of the current word.
        var k: Int
        /// End of the stem once `ends` matched a suffix.
        var j = 0

        init(b: [UInt8], k: Int) {
            self.b = b
            self.k = k
        }

        /// Whether b[i] is a consonant (`y` is one at the start or after a vowel).
        func cons(_ i: Int) -> Bool {
            switch b[i] {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"): false
            case UInt8(ascii: "y"): i == 0 ? true : !cons(i - 1)
            default: true
            }
        }

        /// The number of vowel-consonant sequences in b[0...j]: [C](VC)^m[V].
        func m() -> Int {
            var n = 0
            var i = 0
            while true {
                if i > j { return n }
                if !cons(i) { break }
                i += 1
            }
            i += 1
            while true {
                while true {
                    if i > j { return n }
                    if cons(i) { break }
                    i += 1
                }
                i += 1
                n += 1
                while true {
                    if i > j { return n }
                    if !cons(i) { break }
                    i += 1
                }
                i += 1
            }
        }

        /// Whether b[0...j] contains a vowel.
        func vowelInStem() -> Bool {
            var i = 0
            while i <= j {
                if !cons(i) { return true }
                i += 1
            }
            return false
        }

        /// Whether b[i-1...i] is a double consonant.
        func doubleC(_ i: Int) -> Bool {
            guard i >= 1, b[i] == b[i - 1], b[i] < 0x80 else { return false }
            return cons(i)
        }

        /// Whether b[i-2...i] is consonant-vowel-consonant and the last is not w, x or y (as in hop, not snow).
        func cvc(_ i: Int) -> Bool {
            guard i >= 2, cons(i), !cons(i - 1), cons(i - 2) else { return false }
            let ch = b[i]
            return ch != UInt8(ascii: "w") && ch != UInt8(ascii: "x") && ch != UInt8(ascii: "y")
        }

        /// Whether b[0...k] ends with `suffix`; sets j to the end of the stem when it does.
        mutating func ends(_ suffix: StaticString) -> Bool {
            let length = suffix.utf8CodeUnitCount
            let s = suffix.utf8Start
            if s[length - 1] != b[k] { return false }
            if length > k + 1 { return false }
            let start = k - length + 1
            for i in 0..<length where b[start + i] != s[i] { return false }
            j = k - length
            return true
        }

        /// Replaces b[j+1...k] with `replacement`.
        mutating func setTo(_ replacement: StaticString) {
            let length = replacement.utf8CodeUnitCount
            let s = replacement.utf8Start
            let needed = j + 1 + length
            if b.count < needed { b.append(contentsOf: repeatElement(0, count: needed - b.count)) }
            for i in 0..<length { b[j + 1 + i] = s[i] }
            k = j + length
        }

        /// Replaces the suffix when the stem has m() > 0.
        mutating func r(_ replacement: StaticString) {
            if m() > 0 { setTo(replacement) }
        }

        /// Plurals and -ed, -ing: caresses → caress, ponies → poni, motoring → motor, hopping → hop.
        mutating func step1ab() {
            if b[k] == UInt8(ascii: "s") {
                if ends("sses") {
                    k -= 2
                } else if ends("ies") {
                    setTo("i")
                } else if b[k - 1] != UInt8(ascii: "s") {
                    k -= 1
                }
            }
            if ends("eed") {
                if m() > 0 { k -= 1 }
            } else if ends("ed") || ends("ing"), vowelInStem() {
                k = j
                if ends("at") {
                    setTo("ate")
                } else if ends("bl") {
                    setTo("ble")
                } else if ends("iz") {
                    setTo("ize")
                } else if doubleC(k) {
                    k -= 1
                    let ch = b[k]
                    if ch == UInt8(ascii: "l") || ch == UInt8(ascii: "s") || ch == UInt8(ascii: "z") { k += 1 }
                } else if m() == 1, cvc(k) {
                    setTo("e")
                }
            }
        }

        /// Terminal y → i when the stem has another vowel: happy → happi.
        mutating func step1c() {
            if ends("y"), vowelInStem() { b[k] = UInt8(ascii: "i") }
        }

        /// Double suffixes to single ones: -ization → -ize, -ational → -ate, when m() > 0.
        mutating func step2() {
            guard k > 0 else { return }
            switch b[k - 1] {
            case UInt8(ascii: "a"):
                if ends("ational") { r("ate") } else if ends("tional") { r("tion") }
            case UInt8(ascii: "c"):
                if ends("enci") { r("ence") } else if ends("anci") { r("ance") }
            case UInt8(ascii: "e"):
                if ends("izer") { r("ize") }
            case UInt8(ascii: "l"):
                if ends("bli") { r("ble") }
                else if ends("alli") { r("al") }
                else if ends("entli") { r("ent") }
                else if ends("eli") { r("e") }
                else if ends("ousli") { r("ous") }
            case UInt8(ascii: "o"):
                if ends("ization") { r("ize") } else if ends("ation") { r("ate") } else if ends("ator") { r("ate") }
            case UInt8(ascii: "s"):
                if ends("alism") { r("al") }
                else if ends("iveness") { r("ive") }
                else if ends("fulness") { r("ful") }
                else if ends("ousness") { r("ous") }
            case UInt8(ascii: "t"):
                if ends("aliti") { r("al") } else if ends("iviti") { r("ive") } else if ends("biliti") { r("ble") }
            case UInt8(ascii: "g"):
                if ends("logi") { r("log") }
            default: break
            }
        }

        /// -ic-, -full, -ness and similar.
        mutating func step3() {
            switch b[k] {
            case UInt8(ascii: "e"):
                if ends("icate") { r("ic") } else if ends("ative") { r("") } else if ends("alize") { r("al") }
            case UInt8(ascii: "i"):
                if ends("iciti") { r("ic") }
            case UInt8(ascii: "l"):
                if ends("ical") { r("ic") } else if ends("ful") { r("") }
            case UInt8(ascii: "s"):
                if ends("ness") { r("") }
            default: break
            }
        }

        /// Removes -ant, -ence and similar in context <c>vcvc<v> (m() > 1).
        mutating func step4() {
            guard k > 0 else { return }
            let matched: Bool
            switch b[k - 1] {
            case UInt8(ascii: "a"): matched = ends("al")
            case UInt8(ascii: "c"): matched = ends("ance") || ends("ence")
            case UInt8(ascii: "e"): matched = ends("er")
            case UInt8(ascii: "i"): matched = ends("ic")
            case UInt8(ascii: "l"): matched = ends("able") || ends("ible")
            case UInt8(ascii: "n"): matched = ends("ant") || ends("ement") || ends("ment") || ends("ent")
            case UInt8(ascii: "o"):
                if ends("ion"), j >= 0, b[j] == UInt8(ascii: "s") || b[j] == UInt8(ascii: "t") {
                    matched = true
                } else {
                    matched = ends("ou")
                }
            case UInt8(ascii: "s"): matched = ends("ism")
            case UInt8(ascii: "t"): matched = ends("ate") || ends("iti")
            case UInt8(ascii: "u"): matched = ends("ous")
            case UInt8(ascii: "v"): matched = ends("ive")
            case UInt8(ascii: "z"): matched = ends("ize")
            default: matched = false
            }
            if matched, m() > 1 { k = j }
        }

        /// Removes a final -e when m() > 1 (or m() == 1 and not cvc), and -ll → -l when m() > 1.
        mutating func step5() {
            j = k
            if b[k] == UInt8(ascii: "e") {
                let a = m()
                if a > 1 || (a == 1 && !cvc(k - 1)) { k -= 1 }
            }
            if b[k] == UInt8(ascii: "l"), doubleC(k), m() > 1 { k -= 1 }
        }
    }
}
