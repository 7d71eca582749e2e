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

    /// The line's bytes as a String (invalid UTF-8 repaired), for error messages.
    package static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
