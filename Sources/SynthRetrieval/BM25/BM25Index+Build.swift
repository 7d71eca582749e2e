import Foundation

extension BM25Index {
    /// Indexes `documents` (title and text as one field), analysing them on all cores.
    ///
    /// - Parameters:
    ///   - documents: The corpus, in the order that becomes the internal document numbering (ties in
    ///     scores rank lower numbers first, as Lucene does).
    ///   - k1: Term-frequency saturation, default 0.9.
    ///   - b: Length normalisation, default 0.4.
    /// - Complexity: O(total text length); the analysis runs in parallel, postings are merged once.
    package static func build(documents: [Document], k1: Float = 0.9, b: Float = 0.4) -> BM25Index {
        let n = documents.count
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, max(1, n / 64)))
        // Cut the corpus into contiguous chunks of similar text size.
        var bounds = [0]
        if workers > 1 {
            var total = 0
            for document in documents { total += document.title.utf8.count + document.text.utf8.count + 1 }
            let target = max(1, total / workers)
            var sum = 0
            for (i, document) in documents.enumerated() {
                sum += document.title.utf8.count + document.text.utf8.count + 1
                if sum >= target * bounds.count, bounds.count < workers { bounds.append(i + 1) }
            }
        }
        if bounds.last != n { bounds.append(n) }
        let cuts = bounds
        let chunkCount = cuts.count - 1
        let results = UnsafeSlots<ChunkIndex>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
            results[c] = ChunkIndex.analyze(documents[cuts[c]..<cuts[c + 1]])
        }
        return merge(results.collect(), documentIDs: documents.map(\.id), k1: k1, b: b)
    }

    /// Joins the per-chunk vocabularies and builds the postings (compressed sparse rows by term).
    private static func merge(_ chunks: [ChunkIndex], documentIDs: [String], k1: Float, b: Float) -> BM25Index {
        var termNumbers: [String: Int32] = [:]
        var terms: [String] = []
        var maps: [[Int32]] = []
        for chunk in chunks {
            var map = [Int32](repeating: 0, count: chunk.terms.count)
            for (local, term) in chunk.terms.enumerated() {
                if let global = termNumbers[term] {
                    map[local] = global
                } else {
                    let global = Int32(terms.count)
                    terms.append(term)
                    termNumbers[term] = global
                    map[local] = global
                }
            }
            maps.append(map)
        }
        // Count postings per term, then fill in document order so each list is ascending.
        var offsets = [Int](repeating: 0, count: terms.count + 1)
        for (c, chunk) in chunks.enumerated() {
            let map = maps[c]
            for local in chunk.pairTerms { offsets[Int(map[Int(local)]) + 1] += 1 }
        }
        for t in 0..<terms.count { offsets[t + 1] += offsets[t] }
        var cursor = offsets
        let total = offsets[terms.count]
        var postingDocuments = [Int32](repeating: 0, count: total)
        var postingFrequencies = [Int32](repeating: 0, count: total)
        var lengths: [Int32] = []
        lengths.reserveCapacity(documentIDs.count)
        var document: Int32 = 0
        for (c, chunk) in chunks.enumerated() {
            let map = maps[c]
            for d in 0..<chunk.lengths.count {
                for p in Int(chunk.pairOffsets[d])..<Int(chunk.pairOffsets[d + 1]) {
                    let t = Int(map[Int(chunk.pairTerms[p])])
                    postingDocuments[cursor[t]] = document
                    postingFrequencies[cursor[t]] = chunk.pairFrequencies[p]
                    cursor[t] += 1
                }
                lengths.append(chunk.lengths[d])
                document += 1
            }
        }
        return BM25Index(
            k1: k1, b: b, documentIDs: documentIDs, terms: terms, termNumbers: termNumbers, postingOffsets: offsets,
            postingDocuments: postingDocuments, postingFrequencies: postingFrequencies, documentLengths: lengths)
    }
}

/// The analysis of one contiguous chunk of the corpus with its own local vocabulary.
struct ChunkIndex: Sendable {
    /// Local term number → term.
    var terms: [String] = []
    /// Per document: the (term, frequency) pairs are `pairOffsets[d] ..< pairOffsets[d + 1]`.
    var pairOffsets: [Int32] = [0]
    var pairTerms: [Int32] = []
    var pairFrequencies: [Int32] = []
    var lengths: [Int32] = []

    static func analyze(_ documents: ArraySlice<Document>) -> ChunkIndex {
        var chunk = ChunkIndex()
        let analyzer = EnglishAnalyzer()
        var surfaceForms = ByteStringTable()  // raw token → local term number, or -1 for a stop word
        var vocabulary: [String: Int32] = [:]
        var counts: [Int32] = []
        var touched: [Int32] = []
        for document in documents {
            var text = document.indexedText
            var length: Int32 = 0
            text.withUTF8 { bytes in
                StandardTokenizer.forEachToken(in: bytes) { token in
                    let hash = ByteStringTable.hash(token)
                    let term: Int32
                    if let known = surfaceForms.find(token, hash: hash) {
                        term = known
                    } else {
                        if let stem = analyzer.normalize(token) {
                            if let existing = vocabulary[stem] {
                                term = existing
                            } else {
                                term = Int32(chunk.terms.count)
                                chunk.terms.append(stem)
                                vocabulary[stem] = term
                                counts.append(0)
                            }
                        } else {
                            term = -1
                        }
                        surfaceForms.insert(token, hash: hash, value: term)
                    }
                    guard term >= 0 else { return }
                    length += 1
                    if counts[Int(term)] == 0 { touched.append(term) }
                    counts[Int(term)] += 1
                }
            }
            for term in touched {
                chunk.pairTerms.append(term)
                chunk.pairFrequencies.append(counts[Int(term)])
                counts[Int(term)] = 0
            }
            touched.removeAll(keepingCapacity: true)
            chunk.pairOffsets.append(Int32(chunk.pairTerms.count))
            chunk.lengths.append(length)
        }
        return chunk
    }
}

/// A fixed set of slots that parallel iterations fill, one slot per iteration.
///
/// `@unchecked Sendable`: each index is written by exactly one `concurrentPerform` iteration and read
/// only after `concurrentPerform` returns, so no two threads touch the same slot concurrently.
final class UnsafeSlots<Element>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Element?>

    init(count: Int) {
        base = UnsafeMutablePointer<Element?>.allocate(capacity: count)
        base.initialize(repeating: nil, count: count)
        self.count = count
    }

    let count: Int

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    subscript(i: Int) -> Element? {
        get { base[i] }
        set { base[i] = newValue }
    }

    /// All slots in order; every slot must have been filled.
    func collect() -> [Element] { (0..<count).map { base[$0]! } }
}
