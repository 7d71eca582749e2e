import Foundation
import SynthDecoder
import SynthTestSupport
import Testing

@testable import SynthSynthesis

@Suite("Targeted synthesis (SoftSRV) on the tiny random decoder")
struct TargetedSynthesisTests {
    /// Letters 1–26, space 27, full stop 28; token 39 ends a text.
    static let codec = TargetedSynthesis.Codec(
        encode: { text in
            text.lowercased().unicodeScalars.compactMap { scalar -> Int32? in
                if scalar == " " { return 27 }
                if scalar == "." { return 28 }
                guard let ascii = scalar.properties.numericType == nil ? Int32(exactly: scalar.value) : nil,
                    ascii >= 97, ascii <= 122
                else { return nil }
                return ascii - 96
            }
        },
        decode: { tokens in
            String(tokens.compactMap { t -> Character? in
                switch t {
                case 1...26: Character(UnicodeScalar(UInt8(t + 96)))
                case 27: " "
                case 28: "."
                default: "#"
                }
            })
        }, endToken: 39, stop: [39])

    static let targets = ["a cat sat.", "dogs bark loudly.", "the sun is hot.", "rain falls."]
    static let contexts: [[Float]] = (0..<4).map { i in (0..<6).map { Float(sin(Double(i * 6 + $0))) } }

    static func synthesis(_ variant: TargetedSynthesis.Variant, steps: Int, folder: URL?) -> TargetedSynthesis {
        var synthesis = TargetedSynthesis(
            decoder: FrozenDecoder.random(.tiny, seed: 31), codec: codec, variant: variant, modelName: "tiny")
        synthesis.promptTokens = 3
        synthesis.steps = steps
        synthesis.batchSize = 2
        synthesis.learningRate = 0.05
        synthesis.count = 5
        synthesis.saveEvery = 2
        synthesis.checkpoint = folder
        synthesis.sampler = SoftPromptSampler(temperature: 20, topP: 1, maxTokens: 6, noise: 0.2, batch: 2, seed: 4)
        return synthesis
    }

    @Test func trainsCheckpointsAndResumes() throws {
        let folder = try TestPaths.temporaryFolder()
        let prompt = Self.codec.encode("write a sentence.")
        let fresh = try Self.synthesis(.soft(.mlp), steps: 4, folder: nil)
            .run(targets: Self.targets, contexts: Self.contexts, textPrompt: prompt)
        // Interrupted after 2 steps, then continued to 4: the same prompt as the uninterrupted run.
        let first = try Self.synthesis(.soft(.mlp), steps: 2, folder: folder)
            .run(targets: Self.targets, contexts: Self.contexts, textPrompt: prompt)
        #expect(first.report.stepsRun == 2 && first.report.resumedFrom == 0)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("state.json").path))
        let resumed = try Self.synthesis(.soft(.mlp), steps: 4, folder: folder)
            .run(targets: Self.targets, contexts: Self.contexts, textPrompt: prompt)
        #expect(resumed.report.resumedFrom == 2 && resumed.report.stepsRun == 2)
        #expect(resumed.report.losses == fresh.report.losses)
        #expect(resumed.report.promptHash == fresh.report.promptHash)
        #expect(resumed.set == fresh.set)
        // A finished checkpoint is reused without training.
        let again = try Self.synthesis(.soft(.mlp), steps: 4, folder: folder)
            .run(targets: Self.targets, contexts: Self.contexts, textPrompt: prompt)
        #expect(again.report.stepsRun == 0 && again.set == fresh.set)
        // Another configuration ignores the checkpoint.
        var other = Self.synthesis(.soft(.mlp), steps: 4, folder: folder)
        other.seed = 9
        #expect(try other.run(targets: Self.targets, contexts: Self.contexts, textPrompt: prompt).report.resumedFrom == 0)
    }

    @Test func recordsCarryProvenance() throws {
        let result = try Self.synthesis(.soft(.mixture), steps: 2, folder: nil)
            .run(targets: Self.targets, contexts: Self.contexts, textPrompt: Self.codec.encode("write."))
        #expect(result.set.records.count == 5)
        let record = result.set.records[0]
        #expect(record.kind == "targeted" && record.id == "t:mixture:0")
        #expect(record.extra["variant"] == "mixture" && record.extra["prompt_hash"] == result.report.promptHash)
        #expect(record.extra["seed"] == String(4 &* 1_000_003))
        #expect(record.extra["context_source"] != nil)
        #expect(record.provenance.first?.template == "softsrv-mixture")
        #expect(record.provenance.first?.templateHash == result.report.promptHash)
        #expect(result.report.promptHash.count == 64)
    }

    @Test func textVariantAndPairSplitting() throws {
        var synthesis = Self.synthesis(.text, steps: 0, folder: nil)
        synthesis.separator = "Title:"
        let result = try synthesis.run(targets: Self.targets, contexts: [], textPrompt: Self.codec.encode("write."))
        // The character codec cannot produce a colon, so every sample lacks the title part.
        #expect(result.set.records.allSatisfy { $0.rejection == "no Title: part" })
        #expect(result.set.records.allSatisfy { $0.provenance.first?.template == "text-prompt" })
        #expect(result.report.losses.isEmpty)
    }

    @Test func mismatchedContextsAreAnError() {
        #expect(throws: SoftPromptError("expected one context vector per target (4), found 1")) {
            try Self.synthesis(.soft(.mlp), steps: 1, folder: nil)
                .run(targets: Self.targets, contexts: [Self.contexts[0]], textPrompt: [1, 2])
        }
    }
}
