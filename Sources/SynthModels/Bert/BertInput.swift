/// A padded batch of token ids for a BERT forward pass (all rows the same length).
package struct BertInput: Sendable, Equatable {
    /// Token ids, `[batch][sequence]`.
    package var inputIds: [[Int32]]
    /// 1 for real tokens, 0 for padding.
    package var attentionMask: [[Int32]]
    /// Segment ids (all 0 for single texts).
    package var tokenTypeIds: [[Int32]]

    /// Creates an input; `tokenTypeIds` defaults to zeros. Rows must have equal lengths.
    package init(inputIds: [[Int32]], attentionMask: [[Int32]], tokenTypeIds: [[Int32]]? = nil) {
        precondition(inputIds.count == attentionMask.count, "\(inputIds.count) id rows but \(attentionMask.count) mask rows")
        let length = inputIds.first?.count ?? 0
        precondition(inputIds.allSatisfy { $0.count == length } && attentionMask.allSatisfy { $0.count == length },
                     "BertInput rows must all have length \(length) (pad them first)")
        self.inputIds = inputIds
        self.attentionMask = attentionMask
        self.tokenTypeIds = tokenTypeIds ?? inputIds.map { Array(repeating: 0, count: $0.count) }
    }

    /// Number of rows.
    package var batchSize: Int { inputIds.count }
    /// Common row length.
    package var sequenceLength: Int { inputIds.first?.count ?? 0 }
}
