/// Decoding of GGML tensor encodings to Float32, bit-for-bit as llama.cpp's `dequantize_row_*`.
///
/// Block formats (little-endian; `half` is IEEE binary16):
/// - `Q4_0` (32 values, 18 bytes): `half d; u8 qs[16]` — `x[j] = d·((qs[j] & 15) − 8)`, `x[j+16] = d·((qs[j] >> 4) − 8)`.
/// - `Q4_1` (32 values, 20 bytes): `half d, m; u8 qs[16]` — `x = d·q + m` with the same nibble order.
/// - `Q8_0` (32 values, 34 bytes): `half d; i8 qs[32]` — `x = d·q`.
/// - `Q4_K` (256 values, 144 bytes): `half d, dmin; u8 scales[12]; u8 qs[128]` — 8 sub-blocks with 6-bit
///   scales and mins.
/// - `Q6_K` (256 values, 210 bytes): `u8 ql[128], qh[64]; i8 scales[16]; half d`.
package enum Dequantize {
    /// Decodes `count` values of `type` from `source` into `destination`.
    ///
    /// - Precondition: `source` holds exactly the encoded bytes of `count` values and the type is supported.
    package static func decode(
        type: GGMLType, source: UnsafeRawBufferPointer, count: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        let blocks = count / type.blockSize
        let base = source.baseAddress!
        switch type {
        case .f32:
            for i in 0..<count { destination[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case .f16:
            for i in 0..<count { destination[i] = half(base, 2 * i) }
        case .bf16:
            for i in 0..<count {
                let bits = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                destination[i] = Float(bitPattern: UInt32(bits) << 16)
            }
        case .q4_0:
            for b in 0..<blocks {
                let block = base + b * 18, y = destination + b * 32
                let d = half(block, 0)
                for j in 0..<16 {
                    let q = block.load(fromByteOffset: 2 + j, as: UInt8.self)
                    y[j] = Float(Int(q & 15) - 8) * d
                    y[j + 16] = Float(Int(q >> 4) - 8) * d
                }
            }
        case .q4_1:
            for b in 0..<blocks {
                let block = base + b * 20, y = destination + b * 32
                let d = half(block, 0), m = half(block, 2)
                for j in 0..<16 {
                    let q = block.load(fromByteOffset: 4 + j, as: UInt8.self)
                    y[j] = Float(q & 15) * d + m
                    y[j + 16] = Float(q >> 4) * d + m
                }
            }
        case .q8_0:
            for b in 0..<blocks {
                let block = base + b * 34, y = destination + b * 32
                let d = half(block, 0)
                for j in 0..<32 { y[j] = Float(block.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
            }
        case .q4_K:
            for b in 0..<blocks { decodeQ4K(base + b * 144, destination + b * 256) }
        case .q6_K:
            for b in 0..<blocks { decodeQ6K(base + b * 210, destination + b * 256) }
        default:
            preconditionFailure("unsupported ggml type \(type.name)")
        }
    }

    /// IEEE half at a byte offset.
    @inline(__always)
    static func half(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
    }

    private static func decodeQ4K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block, 0), dmin = half(block, 2)
        let scales = block + 4, qs = block + 16
        func scaleMin(_ j: Int) -> (Float, Float) {
            func s(_ i: Int) -> UInt8 { scales.load(fromByteOffset: i, as: UInt8.self) }
            if j < 4 { return (Float(s(j) & 63), Float(s(j + 4) & 63)) }
            return (Float((s(j + 4) & 0xF) | ((s(j - 4) >> 6) << 4)), Float((s(j + 4) >> 4) | ((s(j) >> 6) << 4)))
        }
        var out = 0
        for chunk in 0..<4 {
            let (sc1, m1) = scaleMin(2 * chunk), (sc2, m2) = scaleMin(2 * chunk + 1)
            let d1 = d * sc1, min1 = dmin * m1, d2 = d * sc2, min2 = dmin * m2
            let q = qs + 32 * chunk
            for l in 0..<32 { y[out + l] = d1 * Float(q.load(fromByteOffset: l, as: UInt8.self) & 0xF) - min1 }
            for l in 0..<32 { y[out + 32 + l] = d2 * Float(q.load(fromByteOffset: l, as: UInt8.self) >> 4) - min2 }
            out += 64
        }
    }

    private static func decodeQ6K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block, 208)
        for half128 in 0..<2 {
            let ql = block + 64 * half128, qh = block + 128 + 32 * half128, sc = block + 192 + 8 * half128
            let out = y + 128 * half128
            for l in 0..<32 {
                let i = l / 16
                let low0 = ql.load(fromByteOffset: l, as: UInt8.self), low32 = ql.load(fromByteOffset: l + 32, as: UInt8.self)
                let high = qh.load(fromByteOffset: l, as: UInt8.self)
                let q1 = Int((low0 & 0xF) | ((high & 3) << 4)) - 32
                let q2 = Int((low32 & 0xF) | (((high >> 2) & 3) << 4)) - 32
                let q3 = Int((low0 >> 4) | (((high >> 4) & 3) << 4)) - 32
                let q4 = Int((low32 >> 4) | (((high >> 6) & 3) << 4)) - 32
                func s(_ k: Int) -> Float { Float(sc.load(fromByteOffset: k, as: Int8.self)) }
                out[l] = d * s(i) * Float(q1)
                out[l + 32] = d * s(i + 2) * Float(q2)
                out[l + 64] = d * s(i + 4) * Float(q3)
                out[l + 96] = d * s(i + 6) * Float(q4)
            }
        }
    }
}
