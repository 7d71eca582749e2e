// Benchmarks for the SynthTensor/SynthModels training core (release build only).
//
//   TrainStepBench sgemm                 sgemm GFLOP/s on transformer-sized products
//   TrainStepBench forward [batch len]   inference docs/s on MiniLM (default 32 × 256 tokens)
//   TrainStepBench step [batch len]      one MNRL training step (default 32 pairs × 128 tokens), s/step
//
// Prints one JSON object per line. Run through `bench/train-step/run`, which also compares OpenBLAS core
// types in separate processes and runs the PyTorch peer when `$SYNTHLAB_HOME/venv-torch` exists.
import Foundation
import SynthModels
import SynthTensor

@MainActor
func emit(_ fields: [String: Any]) {
    var fields = fields
    fields["blas_core"] = BLAS.coreName
    fields["blas_requested"] = BLAS.requestedCoreType ?? "none"
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// User + system CPU seconds of this process (all threads).
func cpuNow() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
    return 0
}

let home = ProcessInfo.processInfo.environment["SYNTHLAB_HOME"].map { URL(fileURLWithPath: $0) }
    ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/synthlab")
let modelFolder = home.appendingPathComponent("models/all-MiniLM-L6-v2")
let arguments = CommandLine.arguments.dropFirst()
let mode = arguments.first ?? "step"
let numbers = arguments.dropFirst().compactMap { Int($0) }

/// Random token ids (no padding) shaped like a real batch: [CLS] … [SEP].
func syntheticBatch(rows: Int, length: Int, seed: UInt64) -> BertInput {
    var generator = SeededGenerator(seed: seed)
    let ids = (0..<rows).map { _ in
        [Int32(101)] + (0..<(length - 2)).map { _ in Int32(1000 + generator.next() % 28000) } + [102]
    }
    return BertInput(inputIds: ids, attentionMask: ids.map { $0.map { _ in 1 } })
}

switch mode {
case "sgemm":
    for (m, n, k) in [(8192, 1536, 384), (8192, 384, 1536), (8192, 384, 384), (1536, 384, 8192)] {
        let a = Tensor(shape: [m * k], repeating: 0.01), b = Tensor(shape: [k * n], repeating: 0.02)
        var c = Tensor(shape: [m * n], repeating: 0)
        var best = Double.infinity
        for _ in 0..<5 {
            let start = now()
            c.withUnsafeMutableBufferPointer { out in
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        Gemm.multiply(
                            m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                            c: out.baseAddress!, ldc: n)
                    }
                }
            }
            best = min(best, now() - start)
        }
        emit(["mode": "sgemm", "m": m, "n": n, "k": k, "gflops": 2.0 * Double(m * n * k) / best / 1e9])
    }

case "forward":
    let batch = numbers.first ?? 32, length = numbers.dropFirst().first ?? 256
    let encoder = BiEncoder(model: try BertModel.load(folder: modelFolder))
    let input = syntheticBatch(rows: batch, length: length, seed: 1)
    _ = encoder.embed(inputIds: input.inputIds, attentionMask: input.attentionMask)
    var times: [Double] = []
    for _ in 0..<3 {
        let start = now()
        _ = encoder.embed(inputIds: input.inputIds, attentionMask: input.attentionMask)
        times.append(now() - start)
    }
    let median = times.sorted()[1]
    emit([
        "mode": "forward", "batch": batch, "length": length, "seconds_per_batch": median,
        "docs_per_second": Double(batch) / median, "peak_rss_mb": peakResidentMegabytes(),
    ])

case "step":
    let batch = numbers.first ?? 32, length = numbers.dropFirst().first ?? 128
    let steps = numbers.dropFirst(2).first ?? 3
    var encoder = BiEncoder(model: try BertModel.load(folder: modelFolder))
    let queries = syntheticBatch(rows: batch, length: length, seed: 1)
    let passages = syntheticBatch(rows: batch, length: length, seed: 2)
    let loss = MultipleNegativesRankingLoss(scale: 20)
    var optimizer = AdamW(weightDecay: 0.01)
    var times: [Double] = [], cpuTimes: [Double] = []
    var losses: [Float] = []
    for step in 0...steps {  // step 0 warms up the buffer pool and is not timed
        let start = now(), cpuStart = cpuNow()
        var gradients: [String: Tensor]
        do {
            let tape = Tape(recording: true, training: true, seed: UInt64(step), pool: encoder.model.pool)
            let value = loss(tape, LossInput(queries: encoder.forward(tape, queries), positives: encoder.forward(tape, passages)))
            tape.backward(from: value)
            gradients = tape.parameterGradients()
            losses.append(value.value.scalar)
        }
        clipGradientNorm(&gradients, maxNorm: 1)
        optimizer.update(&encoder.model.parameters, gradients: gradients, learningRate: 2e-5)
        if step > 0 {
            times.append(now() - start)
            cpuTimes.append(cpuNow() - cpuStart)
        }
    }
    let sorted = times.sorted()
    emit([
        "mode": "step", "batch": batch, "length": length, "steps": steps,
        "seconds_per_step_median": sorted[sorted.count / 2], "seconds_per_step_min": sorted[0],
        "cpu_seconds_per_step_median": cpuTimes.sorted()[cpuTimes.count / 2],
        "losses": losses.map(Double.init), "peak_rss_mb": peakResidentMegabytes(),
    ])

default:
    FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
    exit(2)
}
