/// Token ids of several texts padded to one length, with attention masks, ready for a BERT forward.
///
/// Rows are right-padded with the pad id to the longest row; the mask is 1 on real tokens and 0 on padding.
///
/// ```swift
/// let batch = TokenBatch(sequences: [[101, 7592, 102], [101, 102]], padId: 0)
/// batch.inputIds        // [[101, 7592, 102], [101, 102, 0]]
/// batch.attentionMask   // [[1, 1, 1], [1, 1, 0]]
/// ```
package struct TokenBatch: Sendable, Equatable {
    /// Padded token ids, one row per text.
    package var inputIds: [[Int32]]
    /// 1 for a real token, 0 for padding.
    package var attentionMask: [[Int32]]
    /// Segment ids (0 for the first text, 1 for the second of a pair, 0 on padding).
    package var tokenTypeIds: [[Int32]]
    /// The common row length.
    package var sequenceLength: Int

    /// Pads `sequences` (and their optional type ids) to the longest one.
    package init(sequences: [[Int32]], typeIds: [[Int32]]? = nil, padId: Int32) {
        let length = sequences.map(\.count).max() ?? 0
        sequenceLength = length
        inputIds = sequences.map { $0 + Array(repeating: padId, count: length - $0.count) }
        attentionMask = sequences.map {
            Array(repeating: 1, count: $0.count) + Array(repeating: 0, count: length - $0.count)
        }
        if let typeIds {
            tokenTypeIds = typeIds.map { $0 + Array(repeating: 0, count: length - $0.count) }
        } else {
            tokenTypeIds = sequences.map { _ in Array(repeating: 0, count: length) }
        }
    }

    /// The number of rows.
    package var count: Int { inputIds.count }

    /// Real (unpadded) length of each row.
    package var lengths: [Int] { attentionMask.map { $0.reduce(0) { $0 + Int($1) } } }
}
