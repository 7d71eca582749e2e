import Foundation
import SynthValues

/// What critique → revise chains did, step by step: the reward of each state, every proposal and decision.
///
/// ``CritiqueRevision`` attaches one to the set it returns (``SyntheticSet/critique``), so a notebook can
/// plot the reward distribution before and after, and report acceptance rates per step, without re-running
/// anything: `chains.critique.rewards_before`, `chains.critique.acceptance_rate`, `chains.critique.trace`.
///
/// A chain starts at the synthesized query x₀ with reward r(x₀); each step proposes a revision x′ with
/// reward r(x′) and acceptance probability α = min(1, exp((r(x′) − r(x))/T)) under the Metropolis rule
/// (``AcceptanceRule``); the state moves to x′ when u < α. Steps whose critique or revision the teacher
/// failed to produce propose nothing and are not counted.
package struct CritiqueTrace: Sendable, Equatable, Codable {
    /// The reward's name (`rr_bm25`, `judge`).
    package var reward: String
    /// The acceptance rule (`metropolis:0.1`, `strict-improvement`, `always`).
    package var rule: String
    /// Critique → revise rounds per chain.
    package var steps: Int
    /// One chain per record that had a query and a passage, in record order.
    package var chains: [Chain]

    package init(reward: String, rule: String, steps: Int, chains: [Chain] = []) {
        self.reward = reward
        self.rule = rule
        self.steps = steps
        self.chains = chains
    }

    /// One record's chain.
    package struct Chain: Sendable, Equatable, Codable {
        /// The record's id.
        package var id: String
        /// r(x₀), the reward of the synthesized query.
        package var initial: Double
        /// The proposals in order.
        package var proposals: [Proposal]

        package init(id: String, initial: Double, proposals: [Proposal] = []) {
            self.id = id
            self.initial = initial
            self.proposals = proposals
        }

        /// The reward of the chain's final state.
        package var final: Double { proposals.last(where: \.accepted)?.reward ?? initial }
        /// The reward of the state after each step, r(x₀) first (one entry per proposal after it).
        package var states: [Double] {
            var current = initial
            return [initial]
                + proposals.map { proposal in
                    if proposal.accepted { current = proposal.reward }
                    return current
                }
        }
    }

    /// One critique → revise step of a chain.
    package struct Proposal: Sendable, Equatable, Codable {
        /// The 1-based step within the chain.
        package var step: Int
        /// r(x′), the revision's reward.
        package var reward: Double
        /// α, the probability the rule gave to accepting it.
        package var probability: Double
        package var accepted: Bool
        /// Why the revision could not be accepted whatever its reward (`query copied from passage`), `nil`
        /// for a valid revision.
        package var rejection: String?

        package init(step: Int, reward: Double, probability: Double, accepted: Bool, rejection: String? = nil) {
            self.step = step
            self.reward = reward
            self.probability = probability
            self.accepted = accepted
            self.rejection = rejection
        }
    }

    // MARK: - Totals

    package var proposals: [Proposal] { chains.flatMap(\.proposals) }
    package var acceptedCount: Int { proposals.filter(\.accepted).count }
    /// Accepted proposals over all proposals (0 when there were none).
    package var acceptanceRate: Double {
        let all = proposals
        return all.isEmpty ? 0 : Double(all.filter(\.accepted).count) / Double(all.count)
    }
    /// The acceptance rate of each step 1…``steps`` (`nil` for a step without proposals).
    package var acceptanceByStep: [Double?] {
        (1...max(1, steps)).map { step in
            let atStep = proposals.filter { $0.step == step }
            return atStep.isEmpty ? nil : Double(atStep.filter(\.accepted).count) / Double(atStep.count)
        }
    }
    package var rewardsBefore: [Double] { chains.map(\.initial) }
    package var rewardsAfter: [Double] { chains.map(\.final) }

    // MARK: - Language value

    /// The fields `chains.critique.…` exposes.
    package static let fieldNames = [
        "reward", "rule", "steps", "chains", "proposals", "accepted", "acceptance_rate",
        "acceptance_by_step",
        "mean_acceptance_probability", "rewards_before", "rewards_after", "rewards_proposed",
        "mean_before",
        "mean_after", "improved", "worse", "unchanged", "invalid", "trace",
    ]

    /// A record with ``fieldNames``: counts, rates, reward lists (one entry per chain, or per proposal for
    /// `rewards_proposed`) and `trace`, one record per chain with its `states` and proposals.
    package var value: Value {
        let all = proposals
        let before = rewardsBefore
        let after = rewardsAfter
        func mean(_ values: [Double]) -> Value {
            values.isEmpty ? .null : .double(values.reduce(0, +) / Double(values.count))
        }
        var r = Record()
        r["reward"] = .string(reward)
        r["rule"] = .string(rule)
        r["steps"] = .int(steps)
        r["chains"] = .int(chains.count)
        r["proposals"] = .int(all.count)
        r["accepted"] = .int(acceptedCount)
        r["acceptance_rate"] = all.isEmpty ? .null : .double(acceptanceRate)
        r["acceptance_by_step"] = .list(acceptanceByStep.map { $0.map(Value.double) ?? .null })
        r["mean_acceptance_probability"] = mean(all.map(\.probability))
        r["rewards_before"] = .list(before.map(Value.double))
        r["rewards_after"] = .list(after.map(Value.double))
        r["rewards_proposed"] = .list(all.map { .double($0.reward) })
        r["mean_before"] = mean(before)
        r["mean_after"] = mean(after)
        r["improved"] = .int(zip(before, after).filter { $1 > $0 }.count)
        r["worse"] = .int(zip(before, after).filter { $1 < $0 }.count)
        r["unchanged"] = .int(zip(before, after).filter { $1 == $0 }.count)
        r["invalid"] = .int(all.filter { $0.rejection != nil }.count)
        r["trace"] = .list(
            chains.map { chain in
                .record(
                    Record([
                        ("id", .string(chain.id)), ("states", .list(chain.states.map(Value.double))),
                        ("proposed", .list(chain.proposals.map { .double($0.reward) })),
                        ("probabilities", .list(chain.proposals.map { .double($0.probability) })),
                        ("accepted", .list(chain.proposals.map { .bool($0.accepted) })),
                    ]))
            })
        return .record(r)
    }
}
