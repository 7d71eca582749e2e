import Foundation
import SynthValues

/// Writes a report's HTML and sidecar JSON atomically, side by side.
package enum ReportWriter {
    /// Writes `<folder>/<name>.html` and `<folder>/<name>.json`.
    ///
    /// - Returns: the two file URLs.
    /// - Throws: a ``Diagnostic`` naming the file that could not be written.
    @discardableResult
    package static func write(_ record: RunRecord, name: String, to folder: URL, options: ReportOptions = ReportOptions())
        throws -> (html: URL, json: URL)
    {
        let html = folder.appendingPathComponent(name + ".html")
        let json = folder.appendingPathComponent(name + ".json")
        try AtomicFile.write(ReportJSON.render(record), to: json)
        try AtomicFile.write(HTMLReport.render(record, options: options), to: html)
        return (html, json)
    }
}
