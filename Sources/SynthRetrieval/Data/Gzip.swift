import CSynthZlib
import Foundation

/// Decompresses gzip data with the system zlib.
///
/// `inflateInit2` with `16 + MAX_WBITS` accepts the gzip wrapper; concatenated gzip members
/// (as written by `cat a.gz b.gz`) are decoded one after another.
package enum Gzip {
    /// Whether `data` starts with the gzip magic bytes `1f 8b`.
    package static func isGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    /// Inflates gzip `data`.
    ///
    /// - Throws: a message describing the zlib failure (the caller adds the file name).
    package static func decompress(_ data: Data) throws(GzipError) -> Data {
        if data.isEmpty { return Data() }
        var output = Data()
        output.reserveCapacity(data.count * 4)
        // zlib keeps the stream's address in its state, so the stream lives at one fixed address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        var status = inflateInit2_(stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GzipError(message: "cannot initialise zlib (status \(status))") }
        defer { inflateEnd(stream) }
        let chunkSize = 1 << 20
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var failure: String?
        data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            guard let base = input.bindMemory(to: UInt8.self).baseAddress else { return }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
            stream.pointee.avail_in = uInt(input.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.pointee.next_out = buffer.baseAddress
                    stream.pointee.avail_out = uInt(chunkSize)
                    status = inflate(stream, Z_NO_FLUSH)
                    return chunkSize - Int(stream.pointee.avail_out)
                }
                output.append(chunk, count: produced)
                if status == Z_STREAM_END {
                    // Another gzip member may follow.
                    if stream.pointee.avail_in == 0 { break }
                    if inflateReset(stream) != Z_OK { failure = "cannot reset zlib"; return }
                    status = Z_OK
                    continue
                }
                if status != Z_OK && status != Z_BUF_ERROR {
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                    failure = "corrupt gzip data (\(reason))"
                    return
                }
                if status == Z_BUF_ERROR && stream.pointee.avail_in == 0 {
                    failure = "truncated gzip data"
                    return
                }
            } while true
        }
        if let failure { throw GzipError(message: failure) }
        return output
    }
}

/// A gzip decoding failure; the loader turns it into a ``DatasetError`` naming the file.
package struct GzipError: Error, Sendable, Equatable {
    package var message: String
}
