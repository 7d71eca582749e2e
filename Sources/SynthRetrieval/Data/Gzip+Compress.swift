import CSynthZlib
import Foundation

extension Gzip {
    /// Deflates `data` into a single gzip member (level 9, the output of `gzip -9`).
    ///
    /// The output is deterministic for equal input (no file name, mtime 0), so committed exports
    /// change only when their content does.
    ///
    /// ```swift
    /// let packed = try Gzip.compress(Data(jsonl.utf8))
    /// assert(try Gzip.decompress(packed) == Data(jsonl.utf8))
    /// ```
    /// - Throws: ``GzipError`` when zlib fails.
    package static func compress(_ data: Data, level: Int32 = 9) throws(GzipError) -> Data {
        // zlib keeps the stream's address in its state, so the stream lives at one fixed address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        var status = deflateInit2_(
            stream, level, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GzipError(message: "cannot initialise zlib (status \(status))") }
        defer { deflateEnd(stream) }
        var output = Data()
        let chunkSize = 1 << 20
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var input = [UInt8](data)
        input.withUnsafeMutableBufferPointer { buffer in
            stream.pointee.next_in = buffer.baseAddress
            stream.pointee.avail_in = uInt(buffer.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = uInt(chunkSize)
                    status = deflate(stream, Z_FINISH)
                    return chunkSize - Int(stream.pointee.avail_out)
                }
                output.append(chunk, count: produced)
            } while status == Z_OK || (status == Z_BUF_ERROR && stream.pointee.avail_out == 0)
        }
        guard status == Z_STREAM_END else { throw GzipError(message: "deflate failed (status \(status))") }
        return output
    }
}
