import Testing

@testable import SynthRetrieval

@Suite struct SmallFloatTests {
    @Test func smallLengthsAreExact() {
        for i in 0..<24 {
            #expect(SmallFloat.intToByte4(i) == UInt8(i))
            #expect(SmallFloat.byte4ToInt(UInt8(i)) == i)
        }
    }

    @Test func longerLengthsRoundDownToFourBitMantissas() {
        // Values Lucene's SmallFloat produces: 150 encodes as byte 63, which decodes to 144.
        #expect(SmallFloat.intToByte4(150) == 63)
        #expect(SmallFloat.byte4ToInt(63) == 144)
        #expect(SmallFloat.byte4ToInt(SmallFloat.intToByte4(24)) == 24)
        #expect(SmallFloat.byte4ToInt(SmallFloat.intToByte4(1000)) == 984)
        #expect(SmallFloat.byte4ToInt(255) == 2_013_265_944)
        #expect(SmallFloat.intToByte4(Int(Int32.max)) == 255)
    }

    @Test func decodingIsMonotoneAndEncodingIsAFloor() {
        var previous = -1
        for b in 0...255 {
            let length = SmallFloat.byte4ToInt(UInt8(b))
            #expect(length > previous)
            #expect(SmallFloat.intToByte4(length) == UInt8(b))
            previous = length
        }
        for length in [25, 37, 99, 161, 4097, 123_457] {
            let decoded = SmallFloat.byte4ToInt(SmallFloat.intToByte4(length))
            #expect(decoded <= length)
            #expect(SmallFloat.byte4ToInt(SmallFloat.intToByte4(length) + 1) > length)
        }
    }
}
