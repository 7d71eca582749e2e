import Foundation

/// Splits file contents into lines without copying, for the JSON Lines and TSV readers.
///
/// Lines end at `\n`; a trailing `\r` is dropped (BEIR's qrels use CRLF). Line numbers are 1-based.
package enum LineReader {
    /// Calls `body(lineNumber, lineBytes)` for every line of `data`, stopping early when it throws.
    ///
    /// An empty last line (the file ends with a newline) is not reported.
    package static func forEachLine<E: Error>(
        in data: Data, _ body: (Int, UnsafeRawBufferPointer) throws(E) -> Void
    ) throws(E) {
        let result: Result<Void, E> = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return .success(()) }
            let count = raw.count
            var start = 0
            var lineNumber = 0
            while start < count {
                lineNumber += 1
                let remaining = count - start
                var end: Int
                if let found = memchr(base + start, 0x0A, remaining) {
                    end = base.distance(to: UnsafeRawPointer(found))
                } else {
                    end = count
                }
                let next = end + 1
                if end > start, raw[end - 1] == 0x0D { end -= 1 }
                do throws(E) {
                    try body(lineNumber, UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                } catch {
                    return .failure(error)
                }
                start = next
            }
            return .success(())
        }
        try result.get()
    }

    /// The 1-based number and byte range (within `data`, from 0, without the line end) of every
    /// non-blank line.
    package static func nonBlankLines(in data: Data) -> [(number: Int, range: Range<Int>)] {
        var lines: [(number: Int, range: Range<Int>)] = []
        // One pointer for the whole scan: small `Data` values are stored inline, so pointers from
        // separate `withUnsafeBytes` calls need not agree.
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            let count = raw.count
            var start = 0
            var number = 0
            while start < count {
                number += 1
                var end = count
                if let found = memchr(base + start, 0x0A, count - start) { end = base.distance(to: UnsafeRawPointer(found)) }
                let next = end + 1
                if end > start, raw[end - 1] == 0x0D { end -= 1 }
                if !isBlank(UnsafeRawBufferPointer(rebasing: raw[start..<end])) { lines.append((number, start..<end)) }
                start = next
            }
        }
        return lines
    }

    /// Whether a line holds only spaces, tabs and carriage returns.
    package static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// The line's bytes as a String (invalid UTF-8 repaired), for error messages.
    package static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
