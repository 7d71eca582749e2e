import Foundation
import SynthModels
import SynthSynthesis
import SynthValues

/// `train_distilled`: a bi-encoder student learns a teacher's scores (margin-MSE or listwise KL).
package enum TrainDistilledCommand: VerbCommand {
    package static let spec = VerbSpec(
        name: "train_distilled",
        summary: "train a bi-encoder student on teacher scores from `distill` (margin-MSE or listwise KL)",
        discussion: """
            `on` holds labelled candidates: `distill pointwise` or `listwise` with an LLM or a trained \
            cross-encoder as teacher. Each accepted record becomes one example: its query and its `group` \
            best-scored candidates (every example gets the same number: the smallest available, at most \
            `group`), with the teacher's scores. `margin_mse` (GPL, Hofstätter et al. 2020) regresses the \
            student's dot-product margins between the best candidate and each other onto the teacher's; \
            `listwise_kl` matches the student's softmax over the candidates' cosine similarities to the \
            teacher's (temperature `teacher_temperature`). Same optimizer, batching and saving as `train`.
            """,
        paper: "Hofstätter et al. 2020 (margin-MSE); Wang et al. 2022, GPL; listwise KL distillation",
        positional: [ArgSpec("encoder", .object("encoder"), doc: "the student to start from (from `encoder`)")],
        keywords: [
            ArgSpec("on", .object("synthetic_set"), doc: "teacher-labelled candidates (from `distill`)"),
            ArgSpec(
                "loss", .choice(["margin_mse", "listwise_kl"]), default: .string("margin_mse"),
                doc: "the distillation objective"),
            ArgSpec("group", .int, default: .int(4), doc: "candidates per query (at least 2)"),
            ArgSpec(
                "teacher_temperature", .number, default: .double(1),
                doc: "divides teacher scores in `listwise_kl`"),
            ArgSpec("temperature", .number, default: .double(0.05), doc: "τ dividing the student's cosine similarities (`listwise_kl`)"),
            ArgSpec("epochs", .int, default: .int(1), doc: "passes over the examples"),
            ArgSpec("batch", .int, default: .int(16), doc: "examples per batch"),
        ] + TrainCommand.optimizerArguments,
        result: "encoder",
        example: "student = train_distilled (encoder minilm) on=queries loss=\"margin_mse\" group=4 epochs=1")

    package static func run(_ call: VerbCall, context: ExecutionContext) async throws -> VerbOutcome {
        guard let base = call.object("encoder", as: EncoderObject.self),
            let set = call.object("on", as: SyntheticSet.self)
        else { throw call.error("expected an encoder and a synthetic set of teacher labels") }
        let texts = try examples(set, group: call.int("group") ?? 4, call: call)
        let lossName = call.string("loss") ?? "margin_mse"
        let loss: any Loss
        if lossName == "listwise_kl" {
            let teacherTemperature = call.double("teacher_temperature") ?? 1
            guard teacherTemperature > 0 else {
                throw call.error("expected teacher_temperature > 0, found \(formatNumber(teacherTemperature))")
            }
            let studentTemperature = call.double("temperature") ?? 0.05
            guard studentTemperature > 0 else {
                throw call.error("expected temperature > 0, found \(formatNumber(studentTemperature))")
            }
            loss = ListwiseKLLoss(
                teacherTemperature: Float(teacherTemperature), studentTemperature: Float(studentTemperature))
        } else {
            loss = MarginMSELoss()
        }
        return try await TrainCommand.fit(
            base, texts: texts, loss: loss, detail: lossName.replacingOccurrences(of: "_", with: "-"),
            verb: "train_distilled", call: call, context: context)
    }

    /// One example per accepted labelled record: the query, its best-scored candidates first, their scores.
    static func examples(_ set: SyntheticSet, group: Int, call: VerbCall) throws -> [TrainCommand.TextExample] {
        guard group >= 2 else { throw call.error("expected group ≥ 2, found \(group)") }
        let lists = set.accepted.compactMap { record -> [(String, Double)]? in
            let pairs = zip(record.candidates.map(\.text), record.scores).sorted { $0.1 > $1.1 }
            return record.query.isEmpty || pairs.count < 2 ? nil : Array(pairs)
        }
        guard lists.count >= 2 else {
            throw call.error(
                "expected at least 2 accepted records with 2 or more scored candidates, found \(lists.count)",
                notes: ["`on` is a \(set.kind) set; teacher labels come from `distill pointwise` or `distill listwise`"])
        }
        let size = min(group, lists.map(\.count).min() ?? 2)
        return zip(set.accepted.filter { !$0.query.isEmpty && min($0.candidates.count, $0.scores.count) >= 2 }, lists)
            .map { record, list in
                let top = list.prefix(size)
                return TrainCommand.TextExample(
                    query: record.query, candidates: top.map(\.0), labels: [1] + Array(repeating: 0, count: size - 1),
                    keys: [record.query], teacherScores: top.map { Float($0.1) })
            }
    }
}
