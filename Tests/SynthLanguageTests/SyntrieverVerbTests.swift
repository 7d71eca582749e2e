import Foundation
import SynthCommands
import SynthModels
import SynthSynthesis
import SynthTestSupport
import SynthValues
import Testing

@testable import SynthLanguage

/// A deterministic teacher for Syntriever's templates: JSON expansions and passages, yes/no verdicts with
/// log-probabilities (no for the cancer query, so its synthetic positive is demoted), and "1" for every pair.
struct SyntrieverScriptedTeacher: Teacher {
    let model = "scripted-syntriever"

    func complete(_ request: TeacherRequest) async throws -> TeacherReply {
        let user = request.messages.last?.content ?? ""
        let schema = request.jsonSchema ?? ""
        var tokens: [TeacherToken] = []
        let query = user.components(separatedBy: "Question: ").last ?? ""
        let text: String
        if schema.contains("queries") {
            text = #"{"queries": ["which factors raise the risk of disease", "how do habits change health"]}"#
        } else if schema.contains("expansion") {
            text = #"{"expansion": "reasoning step by step about \#(query) and its causes"}"#
        } else if schema.contains("passage"), user.contains("answers the question") {
            text = #"{"passage": "a relevant passage explaining \#(query) with evidence from studies"}"#
        } else if schema.contains("passage") {
            text = #"{"passage": "a plausible but unrelated passage about coffee and liver disease"}"#
        } else if user.contains("1 or 2") {
            text = "1"
        } else if user.contains("yes or no") {
            let no = user.contains("Query: what causes cancer")
            text = no ? "No, it does not." : "Yes, it does."
            let yes = no ? 0.2 : 0.9
            tokens = [
                TeacherToken(
                    token: no ? "No" : "Yes", logprob: log(max(yes, 1 - yes)),
                    alternatives: [.init(token: "Yes", logprob: log(yes)), .init(token: "No", logprob: log(1 - yes))])
            ]
        } else {
            text = "unexpected request"
        }
        return TeacherReply(
            text: text, tokens: tokens, promptTokens: 20, completionTokens: 8, requestKey: String(user.hashValue))
    }
}

/// Syntriever's verbs on the tiny BEIR fixture with a tiny random BERT (the full MiniLM is too slow in debug).
@Suite struct SyntrieverVerbTests {
    /// A tiny random bi-encoder folder (`tinybert/`) whose vocabulary covers the fixture's words.
    static func writeTinyModel(into project: URL) throws {
        let folder = project.appendingPathComponent("tinybert")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let words = [
            "vitamin", "d", "fractures", "heart", "disease", "risk", "cancer", "sleep", "exercise", "diet", "smoking",
            "coffee", "liver", "what", "causes", "does", "prevent", "factors", "passage", "relevant", "reasoning",
        ]
        let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ","] + words
        try Data((vocabulary.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        let config = BertConfig.tiny(vocabSize: vocabulary.count)
        try config.jsonData().write(to: folder.appendingPathComponent("config.json"))
        try SafeTensors.write(
            BertModel(config: config, seed: 11).hostWeights(), to: folder.appendingPathComponent("model.safetensors"))
        try Data(#"{"max_seq_length": 32, "do_lower_case": true}"#.utf8)
            .write(to: folder.appendingPathComponent("sentence_bert_config.json"))
    }

    static func setUp() async throws -> (Interpreter, URL) {
        let project = try TinyBEIR.write(into: TestPaths.temporaryFolder())
        try writeTinyModel(into: project)
        let interpreter = try makeInterpreter(project: project)
        try await runCell(interpreter, "data = load \"./tiny\"\nenc = encoder \"./tinybert\"")
        interpreter.restore("t", .object(TeacherObject(teacher: SyntrieverScriptedTeacher(), source: "script")))
        return (interpreter, project)
    }

    static func set(_ interpreter: Interpreter, _ name: String) -> SyntheticSet? {
        if case .object(let set as SyntheticSet)? = interpreter.variables[name] { set } else { nil }
    }

    static func encoder(_ interpreter: Interpreter, _ name: String) -> EncoderObject? {
        if case .object(let encoder as EncoderObject)? = interpreter.variables[name] { encoder } else { nil }
    }

    static func texts(_ result: CellResult) -> [String] {
        result.outputs.compactMap { if case .text(let text) = $0 { text } else { nil } }
    }

    @Test func stageOneSoftNearestNeighbourThenPairsAndAlignment() async throws {
        let (interpreter, project) = try await Self.setUp()
        defer { try? FileManager.default.removeItem(at: project) }
        try await runCell(
            interpreter,
            """
            expanded = synthesize syntriever from=data split="test" queries=3 teacher=t
            checked = verify expanded teacher=t
            """)
        let checked = try #require(Self.set(interpreter, "checked"))
        // The cancer query's synthetic positive was judged irrelevant and became a hard negative.
        let cancer = try #require(checked.records.first { $0.query == "what causes cancer" })
        #expect(cancer.positives.map(\.origin) == ["corpus"])
        #expect(cancer.negatives.map(\.origin).sorted() == ["rejected-positive", "synthetic"])

        let stage1 = try await runCell(
            interpreter,
            """
            s1 = train enc on=checked loss="snn" epochs=2 batch=3 lr=1e-3 max_length=32 temperature=0.1
            """)
        let line = try #require(Self.texts(stage1).first)
        #expect(
            line.hasPrefix(
                "train s1: 3 examples (snn, cot true, τ 0.100, 1 batches per epoch without duplicates), 2 steps, loss ")
        )
        #expect(line.hasSuffix("saved to .synthlab/models/repl/s1/checkpoint-2"))
        let s1 = try #require(Self.encoder(interpreter, "s1"))
        #expect(s1.losses.count == 2 && s1.losses.allSatisfy { $0.isFinite && $0 > 0 })

        let pairs = try await runCell(
            interpreter,
            """
            prefs = align pairs s1 from=data on=data split="test" teacher=t queries=3 top_k=3
            s2 = align s1 on=prefs epochs=1 batch=4 lr=1e-3 max_length=32
            print prefs.kind prefs.accepted s2.steps
            """)
        let prefs = try #require(Self.set(interpreter, "prefs"))
        // 3 queries × 3 pairs, one request each; the teacher always prefers passage 1, the higher-ranked one.
        #expect(prefs.records.count == 9)
        for record in prefs.records {
            let parts = record.id.split(separator: ":").map(String.init)
            #expect(record.positive?.id == parts[2] && record.negatives.first?.id == parts[3])
        }
        #expect(pairs.llm.requestsNew == 9)
        #expect(prefs.steps.last?.hasPrefix("distill pairwise: template pairwise-preference@") == true)
        #expect(prefs.steps.last?.hasSuffix("model scripted-syntriever, s1 top-3") == true)
        let s2 = try #require(Self.encoder(interpreter, "s2"))
        #expect(
            Self.texts(pairs).contains {
                $0.hasPrefix(
                    "align s2: 9 examples (partial Plackett–Luce, λ 1.00, τ 0.050, 3 batches per epoch without duplicates), 3 steps"
                )
            })
        // Batches of 4 cannot hold two pairs of one query: three queries make batches of 3.
        #expect(Self.texts(pairs).last == "pairwise 9 3")
        #expect(!s2.losses.isEmpty && s2.losses.allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test func snnWithoutCoTAndMnrlDefaultStillTrain() async throws {
        let (interpreter, project) = try await Self.setUp()
        defer { try? FileManager.default.removeItem(at: project) }
        let result = try await runCell(
            interpreter,
            """
            expanded = synthesize syntriever from=data split="test" queries=3 teacher=t
            a = train enc on=expanded loss="snn" cot=false batch=3 max_length=32
            b = train enc on=data split="test" batch=2 max_length=32
            """)
        let lines = Self.texts(result)
        #expect(lines.contains { $0.hasPrefix("train a: 3 examples (snn, cot false, τ 0.050") })
        // Three judged test queries with distinct first relevant documents: batches of 2, the third dropped.
        #expect(
            lines.contains {
                $0.hasPrefix("train b: 3 examples (mnrl, τ 0.050, 1 batches per epoch without duplicates), 1 steps")
            })
    }

    @Test func errorsNameTheProblem() async throws {
        let (interpreter, project) = try await Self.setUp()
        defer { try? FileManager.default.removeItem(at: project) }
        try await runCell(interpreter, "expanded = synthesize syntriever from=data split=\"test\" queries=3 teacher=t")
        let cases: [(String, String, [String])] = [
            (
                "x = align enc on=expanded",
                "expected at least 2 accepted pairwise preferences, found 0",
                ["`on` is a syntriever set; preferences come from `align pairs` or `distill pairwise`"]
            ),
            (
                "x = train enc on=expanded loss=\"snn\" temperature=0", "expected a temperature above 0, found 0.0000",
                []
            ),
            (
                "x = align pairs enc from=data on=data split=\"test\" teacher=t top_k=1",
                "expected top_k between 2 and 20, found 1", []
            ),
            (
                "x = align enc on=expanded regularizer=-1", "expected a regularizer weight of 0 or more, found -1.0000",
                []
            ),
        ]
        for (source, message, notes) in cases {
            do {
                try await runCell(interpreter, source)
                Issue.record("expected an error for \(source)")
            } catch let error as Diagnostic {
                #expect(error.message == message, "\(source)")
                #expect(error.notes == notes, "\(source)")
                #expect(error.location?.line == 1, "\(source)")
            }
        }
        do {
            try await runCell(
                interpreter, "qs = synthesize queries from=data docs=1 per_doc=2 teacher=t\nx = train enc on=qs")
            Issue.record("expected an error: both queries have the same positive")
        } catch let error as Diagnostic {
            #expect(
                error.message
                    == "expected 2 examples without a shared query or positive text to fill a batch, found none among 2"
            )
            #expect(error.location?.line == 2)
        }
        let unknown = try #require(
            try await diagnostic(in: interpreter, "x = train enc on=expanded loss=\"snm\"", line: 1))
        #expect(unknown.message == #"expected one of "mnrl", "snn" for argument `loss` of `train`, found "snm""#)
        #expect(unknown.notes == ["did you mean `snn`?"])
        // `align` without the `pairs` word is the training form: a misspelt subcommand reads as its encoder.
        let subcommand = try #require(try await diagnostic(in: interpreter, "x = align pairz enc on=expanded", line: 1))
        #expect(subcommand.message == "unknown variable `pairz`")
    }
}
