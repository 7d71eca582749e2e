import Foundation
import ZIPFoundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads a BEIR dataset zip, verifies its md5 and extracts it into the data directory atomically.
///
/// Works like BEIR's `util.download_and_unzip`, with two differences: the archive is checked against
/// the published md5 before anything is extracted, and the dataset folder appears in one rename, so
/// an interrupted or failed download leaves nothing behind (temporary files start with `.` and are
/// removed on failure).
struct BEIRDownloader: Sendable {
    var resolver: DatasetResolver

    /// Downloads `<base>/<name>.zip` and returns the extracted dataset folder.
    func download(_ name: String) async throws(DatasetError) -> URL {
        let url = resolver.baseURL.appendingPathComponent("\(name).zip")
        guard let expected = resolver.checksums[name] else {
            throw DatasetError.unknownDataset(name: name, searched: [resolver.dataDirectory.path], suggestion: nil)
        }
        let fileManager = FileManager.default
        let destination = resolver.dataDirectory.appendingPathComponent(name)
        let work = resolver.dataDirectory.appendingPathComponent(".download-\(name)-\(UUID().uuidString)")
        do {
            try fileManager.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            throw DatasetError.downloadFailed(url: url.absoluteString, reason: "cannot create \(work.path)")
        }
        defer { try? fileManager.removeItem(at: work) }

        let archive = work.appendingPathComponent("\(name).zip")
        try await fetch(url, to: archive)
        let found: String
        do {
            found = try MD5.hex(fileAt: archive)
        } catch {
            throw DatasetError.downloadFailed(url: url.absoluteString, reason: "cannot read the downloaded archive")
        }
        guard found == expected else {
            throw DatasetError.checksumMismatch(url: url.absoluteString, expected: expected, found: found)
        }
        let extracted = work.appendingPathComponent("extracted")
        do {
            try fileManager.createDirectory(at: extracted, withIntermediateDirectories: true)
            try fileManager.unzipItem(at: archive, to: extracted)
        } catch {
            throw DatasetError.downloadFailed(url: url.absoluteString, reason: "cannot extract the archive (\(error))")
        }
        // BEIR zips hold one top folder named after the dataset; accept a flat archive too.
        var root = extracted.appendingPathComponent(name)
        if !fileManager.fileExists(atPath: root.appendingPathComponent("queries.jsonl").path) {
            root = extracted
        }
        if fileManager.fileExists(atPath: destination.path) { return destination }  // another process won
        if rename(root.path, destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            if fileManager.fileExists(atPath: destination.path) { return destination }
            throw DatasetError.downloadFailed(url: url.absoluteString, reason: "cannot move into place: \(reason)")
        }
        return destination
    }

    /// Downloads `url` into the file `target`, failing on any non-2xx status.
    private func fetch(_ url: URL, to target: URL) async throws(DatasetError) {
        let temporary: URL
        let response: URLResponse
        do {
            (temporary, response) = try await URLSession.shared.download(from: url)
        } catch {
            throw DatasetError.downloadFailed(url: url.absoluteString, reason: error.localizedDescription)
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            throw DatasetError.downloadFailed(url: url.absoluteString, reason: "HTTP status \(http.statusCode)")
        }
        do {
            try FileManager.default.moveItem(at: temporary, to: target)
        } catch {
            throw DatasetError.downloadFailed(url: url.absoluteString, reason: "cannot store the download")
        }
    }
}
