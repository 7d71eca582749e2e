/// The character classes BERT's basic tokenizer uses, as Hugging Face `tokenizers` defines them.
///
/// These mirror `BertNormalizer` and `BertPreTokenizer` of the `tokenizers` library (the "fast"
/// tokenizer that sentence-transformers loads), which agree with `transformers`' Python
/// `BasicTokenizer` (`_is_whitespace`, `_is_control`, `_is_punctuation`, `_is_chinese_char`):
///
/// - whitespace: tab, newline, carriage return, or any scalar with the Unicode `White_Space` property;
/// - control: categories Cc, Cf, Co, Cs except tab, newline and carriage return (`tokenizers`'
///   `is_other`; unlike Python's `_is_control` it keeps unassigned `Cn` scalars, which become `[UNK]`);
/// - punctuation: the ASCII ranges 33–47, 58–64, 91–96, 123–126 (so `$`, `+`, `<`, `^`, `` ` `` count)
///   or any Unicode `P*` category (Pc, Pd, Ps, Pe, Pi, Pf, Po);
/// - CJK: the CJK Unified Ideographs blocks (and extensions A–E, compatibility ideographs), which
///   BERT surrounds with spaces so each ideograph becomes a word.
enum BertCharacterClass {
    /// Whether BERT treats the scalar as whitespace (mapped to a space, then split on).
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        case 0..<0x80: return false
        default: return scalar.properties.isWhitespace
        }
    }

    /// Whether BERT drops the scalar as a control character (Cc, Cf, Co, Cs but not `\t \n \r`).
    @inline(__always)
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0..<0x20, 0x7F: return true
        case 0x20..<0x7F: return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    /// Whether BERT splits the scalar off as a one-character word.
    @inline(__always)
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
            || (123...126).contains(value)
        {
            return true
        }
        if value < 0x80 { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar is a CJK ideograph that BERT isolates (the ranges of `_is_chinese_char`).
    @inline(__always)
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar is a non-spacing mark (`Mn`), which accent stripping removes after NFD.
    @inline(__always)
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x300 && scalar.properties.generalCategory == .nonspacingMark
    }
}
