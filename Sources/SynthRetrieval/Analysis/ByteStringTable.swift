import Foundation

/// An open-addressing hash table from byte strings to `Int32`, used to intern tokens without
/// allocating a `String` per token.
///
/// Keys live back to back in one byte arena; lookups take a buffer pointer. FNV-1a hashing,
/// linear probing, growth at 50% load.
struct ByteStringTable {
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private(set) var values: [Int32] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1 << 14) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { values.count }

    /// FNV-1a over the bytes.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// The value stored for `key`, if any.
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { return nil }
            let e = Int(entry)
            if hashes[e] == hash, Int(lengths[e]) == key.count, equal(e, key) { return values[e] }
            slot = (slot + 1) & mask
        }
    }

    /// Stores `value` for a key known to be absent.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Int32) {
        if (values.count + 1) * 2 > slots.count { grow() }
        let e = Int32(values.count)
        starts.append(arena.count)
        lengths.append(Int32(key.count))
        arena.append(contentsOf: key)
        hashes.append(hash)
        values.append(value)
        place(e, hash: hash)
    }

    private func equal(_ e: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[e]
        return arena.withUnsafeBufferPointer { a in
            guard let base = a.baseAddress, let k = key.baseAddress else { return key.isEmpty }
            return memcmp(base + start, k, key.count) == 0
        }
    }

    private mutating func place(_ e: Int32, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = e
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for e in 0..<values.count { place(Int32(e), hash: hashes[e]) }
    }
}
