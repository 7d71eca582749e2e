import Foundation
import SynthModels
import SynthSynthesis

/// A trained model's score as the reward of critique → revise chains: the cross-encoder's logit for
/// (query, the record's positive passage).
///
/// The logit is a log-odds, so the Metropolis ratio exp(r(x′) − r(x)) is the odds ratio of relevance
/// the model assigns to the revision versus the current query. A record without a positive scores −∞
/// in effect (−10⁶). No LLM calls.
struct CrossEncoderReward: SampleReward {
    var model: CrossEncoderObject
    var maxLength: Int = 256
    var name: String { "ce_\(model.name)" }

    func reward(query: String, record: SyntheticRecord, seed: Int, counts: inout SynthesisCounts) async throws
        -> (value: Double, requestKeys: [String])
    {
        guard let passage = record.positive?.text else { return (-1e6, []) }
        let batch = model.tokenizer.batch(pairs: [(query, passage)], maxLength: maxLength)
        let logits = model.model.score(
            inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds)
        return (Double(logits.first ?? -1e6), [])
    }
}
