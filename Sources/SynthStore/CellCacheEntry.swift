import Foundation
import SynthValues

/// What the cell cache keeps for one executed cell: enough to show it and to restore what it assigned.
package struct CellCacheEntry: Sendable, Codable, Equatable {
    /// The cell's key before file dependencies: hash of source, options, params read, upstream keys, tool version.
    package var key: String
    package var label: String
    /// Files the cell read, path → SHA-256 of content when it ran. The entry is only valid while these still match.
    package var filesRead: [String: String]
    package var outputs: [CellOutput]
    package var results: [String: [String: [String: Double]]]
    package var llm: LLMUsage
    /// The variables the cell assigned, stored as plain data or blob references.
    package var variables: [String: StoredValue]
    /// How long the cell took when it ran.
    package var seconds: Double

    package init(
        key: String, label: String, filesRead: [String: String] = [:], outputs: [CellOutput] = [],
        results: [String: [String: [String: Double]]] = [:], llm: LLMUsage = LLMUsage(),
        variables: [String: StoredValue] = [:], seconds: Double = 0
    ) {
        self.key = key
        self.label = label
        self.filesRead = filesRead
        self.outputs = outputs
        self.results = results
        self.llm = llm
        self.variables = variables
        self.seconds = seconds
    }

    /// The key dependents use: ``key`` extended with the content hashes of the files read, so a changed input
    /// file changes every downstream key too.
    package var fullKey: String {
        var hasher = SHA256()
        hasher.update("cell:" + key + "\n")
        for path in filesRead.keys.sorted() { hasher.update("file:\(path)=\(filesRead[path]!)\n") }
        return hasher.finalize().hex
    }
}

/// A language value in a form the cache can store: plain data inline, domain objects as blob folders.
package indirect enum StoredValue: Sendable, Codable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([StoredValue])
    /// Record fields in order.
    case record([Field])
    /// A ``PersistableObject`` saved into the blob folder `blob`, restored by its `type` name
    /// (``PersistableObject/persistedTypeName``); `typeName` is its ``DomainObject/typeName``, known without
    /// restoring it.
    case object(type: String, blob: String, typeName: String)

    package struct Field: Sendable, Codable, Equatable {
        package var name: String
        package var value: StoredValue
        package init(name: String, value: StoredValue) {
            self.name = name
            self.value = value
        }
    }
}
