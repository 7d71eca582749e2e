/// Splits UTF-8 text into lines and whitespace-separated fields without allocating per field.
///
/// Qrels and run files reach hundreds of thousands of lines; scanning bytes and keeping fields as byte
/// ranges (strings are made only for the ids that are kept) keeps reading them well under a second.
/// Lines end at `\n`; a `\r` before it is dropped; fields are separated by spaces and tabs.
struct TrecLineScanner {
    /// The text's bytes; valid only inside ``scan(_:_:)``'s closure.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The current line's fields as byte ranges into ``bytes``.
    private(set) var fields: [Range<Int>] = []
    /// The current line's byte range (without the line end).
    private(set) var line: Range<Int> = 0..<0
    /// The current 1-based line number.
    private(set) var lineNumber = 0

    /// Calls `body` once per line (blank lines included, with no fields).
    static func scan(
        _ text: String, _ body: (inout TrecLineScanner) throws(MetricsError) -> Void
    ) throws(MetricsError) {
        var text = text
        text.makeContiguousUTF8()
        var failure: MetricsError?
        _ = text.utf8.withContiguousStorageIfAvailable { buffer in
            var scanner = TrecLineScanner(bytes: buffer)
            do throws(MetricsError) { try scanner.run(body) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private mutating func run(_ body: (inout TrecLineScanner) throws(MetricsError) -> Void) throws(MetricsError) {
        let count = bytes.count
        var start = 0
        while start < count {
            var end = start
            while end < count && bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            lineNumber += 1
            line = start..<end
            fields.removeAll(keepingCapacity: true)
            var index = start
            while index < end {
                while index < end && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
                if index == end { break }
                let fieldStart = index
                while index < end && bytes[index] != 0x20 && bytes[index] != 0x09 { index += 1 }
                fields.append(fieldStart..<index)
            }
            try body(&self)
            start = next
        }
    }

    /// The text of field `index` of the current line.
    func string(_ index: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[fields[index]]), as: UTF8.self)
    }

    /// Whether field `index` holds exactly the bytes of `value`.
    func field(_ index: Int, equals value: String) -> Bool {
        let range = fields[index]
        var value = value
        return value.withUTF8 { other in
            other.count == range.count && memcmpEqual(other, UnsafeBufferPointer(rebasing: bytes[range]))
        }
    }

    /// The current line's text, for diagnostics.
    var lineText: String { String(decoding: UnsafeBufferPointer(rebasing: bytes[line]), as: UTF8.self) }

    /// The 1-based column (in bytes) where field `index` starts.
    func column(_ index: Int) -> Int { fields[index].lowerBound - line.lowerBound + 1 }
}

private func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    for index in 0..<a.count where a[index] != b[index] { return false }
    return true
}
