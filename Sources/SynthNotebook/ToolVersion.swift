/// The synthlab version, recorded in provenance and mixed into every cell cache key (a new version
/// recomputes cached cells, since verbs may have changed).
package enum ToolVersion {
    package static let current = "0.1.0"
}
