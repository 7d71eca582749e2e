import Foundation

/// The MD5 message digest (RFC 1321), used only to verify BEIR archives against their published checksums.
///
/// MD5 is broken for security purposes; here it detects corrupt or substituted downloads, which is
/// what BEIR's table of md5 sums is for.
///
/// ```swift
/// var md5 = MD5()
/// md5.update(Data("abc".utf8))
/// md5.hexDigest()  // "900150983cd24fb0d6963f7d28e17f72"
/// ```
package struct MD5: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    package init() { buffer.reserveCapacity(64) }

    /// The digest of `data` as 32 lowercase hex digits.
    package static func hex(_ data: Data) -> String {
        var md5 = MD5()
        md5.update(data)
        return md5.hexDigest()
    }

    /// The digest of a file's content, read in 1 MiB chunks.
    package static func hex(fileAt url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var md5 = MD5()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { md5.update(chunk) }
        return md5.hexDigest()
    }

    /// Adds bytes to the message.
    package mutating func update(_ data: Data) {
        length &+= UInt64(data.count)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var index = 0
            let count = raw.count
            if !buffer.isEmpty {
                while index < count, buffer.count < 64 { buffer.append(raw[index]); index += 1 }
                if buffer.count == 64 {
                    buffer.withUnsafeBytes { compress(UnsafeRawBufferPointer(rebasing: $0[0..<64])) }
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            while index + 64 <= count {
                compress(UnsafeRawBufferPointer(rebasing: raw[index..<(index + 64)]))
                index += 64
            }
            while index < count { buffer.append(raw[index]); index += 1 }
        }
    }

    /// Finishes the message and returns the digest as lowercase hex.
    package func hexDigest() -> String {
        var copy = self
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        while (copy.buffer.count + tail.count) % 64 != 56 { tail.append(0) }
        for i in 0..<8 { tail.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
        let savedLength = copy.length
        copy.update(Data(tail))
        copy.length = savedLength
        let words = [copy.state.0, copy.state.1, copy.state.2, copy.state.3]
        var text = ""
        for word in words {
            for i in 0..<4 {
                let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt32(i)))
                text += String(byte >> 4, radix: 16) + String(byte & 0x0f, radix: 16)
            }
        }
        return text
    }

    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    /// K[i] = floor(2^32 * |sin(i + 1)|).
    private static let constants: [UInt32] = (0..<64).map { UInt32(truncatingIfNeeded: Int64(abs(sin(Double($0 + 1))) * 4_294_967_296)) }

    private mutating func compress(_ block: UnsafeRawBufferPointer) {
        var m = [UInt32](repeating: 0, count: 16)
        for i in 0..<16 {
            m[i] = UInt32(block[4 * i]) | UInt32(block[4 * i + 1]) << 8 | UInt32(block[4 * i + 2]) << 16
                | UInt32(block[4 * i + 3]) << 24
        }
        var (a, b, c, d) = state
        for i in 0..<64 {
            var f: UInt32
            let g: Int
            switch i {
            case 0..<16: f = (b & c) | (~b & d); g = i
            case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
            case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
            default: f = c ^ (b | ~d); g = (7 * i) % 16
            }
            f = f &+ a &+ MD5.constants[i] &+ m[g]
            a = d
            d = c
            c = b
            let s = MD5.shifts[i]
            b = b &+ ((f << s) | (f >> (32 - s)))
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}
