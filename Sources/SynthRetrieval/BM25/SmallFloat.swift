/// Lucene's lossy one-byte encoding of document lengths (`org.apache.lucene.util.SmallFloat`).
///
/// Lucene stores each document's length as a byte: lengths below 24 exactly, longer ones as a
/// 4-bit-mantissa float, so a 150-token document scores as if it had 144 tokens. BM25 scores from
/// Lucene, Anserini and Pyserini include this rounding, so ``BM25Index`` applies it too.
package enum SmallFloat {
    /// `longToInt4`: a 4-bit mantissa and a shift, in one byte.
    static func longToInt4(_ i: Int64) -> Int {
        let numBits = 64 - i.leadingZeroBitCount
        if numBits < 4 { return Int(i) }  // subnormal value
        let shift = numBits - 4
        var encoded = Int(i >> Int64(shift))  // the 4 most significant bits
        encoded &= 0x07  // the leading bit is implicit
        encoded |= (shift + 1) << 3
        return encoded
    }

    /// `int4ToLong`, the inverse of ``longToInt4(_:)`` up to rounding down.
    static func int4ToLong(_ i: Int) -> Int64 {
        let bits = Int64(i & 0x07)
        let shift = (i >> 3) - 1
        return shift == -1 ? bits : (bits | 0x08) << Int64(shift)
    }

    /// `NUM_FREE_VALUES`: byte values below this encode lengths exactly (24).
    static let freeValues = 255 - longToInt4(Int64(Int32.max))

    /// Encodes a length (`intToByte4`).
    package static func intToByte4(_ i: Int) -> UInt8 {
        precondition(i >= 0, "length must not be negative")
        if i < freeValues { return UInt8(i) }
        return UInt8(freeValues + longToInt4(Int64(i - freeValues)))
    }

    /// Decodes a length (`byte4ToInt`).
    package static func byte4ToInt(_ b: UInt8) -> Int {
        let i = Int(b)
        if i < freeValues { return i }
        return Int(Int64(freeValues) + int4ToLong(i - freeValues))
    }

    /// The decoded length of every byte value (Lucene's `LENGTH_TABLE`).
    package static let lengthTable: [Float] = (0..<256).map { Float(byte4ToInt(UInt8($0))) }
}
