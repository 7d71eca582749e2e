/// GPT-2's reversible map between bytes and printable Unicode scalars (`bytes_to_unicode`).
///
/// Printable Latin-1 bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) map to themselves; the other 68 bytes map to
/// U+0100 onwards in order, so a space becomes `Ġ` (U+0120) and a newline `Ċ` (U+010A).
enum ByteLevel {
    /// Scalar for each byte value.
    static let encoder: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// Byte for each mapped scalar.
    static let decoder: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        for (byte, scalar) in encoder.enumerated() { table[scalar.value] = UInt8(byte) }
        return table
    }()
}
