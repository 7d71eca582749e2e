import Testing

@testable import SynthTensor

@Suite("BLAS")
struct BLASTests {
    /// Naive row-major op(A) op(B) in Float64.
    static func naive(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0
                for p in 0..<k {
                    let x = transposeA ? a[p * m + i] : a[i * k + p]
                    let y = transposeB ? b[j * k + p] : b[p * n + j]
                    total += Double(x) * Double(y)
                }
                c[i * n + j] = total
            }
        }
        return c
    }

    @Test("sgemm matches a naive triple loop", arguments: [
        (1, 1, 1), (3, 5, 7), (17, 33, 9), (64, 64, 64), (130, 70, 200), (257, 129, 65), (300, 384, 384),
    ])
    func sgemm(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var generator = SeededGenerator(seed: UInt64(m * 1000 + n))
        let a = (0..<(m * k)).map { _ in generator.nextUniform() - 0.5 }
        let b = (0..<(k * n)).map { _ in generator.nextUniform() - 0.5 }
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                var c = [Float](repeating: 0, count: m * n)
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        c.withUnsafeMutableBufferPointer { pc in
                            Gemm.multiply(
                                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                a: pa.baseAddress!, lda: transposeA ? m : k, b: pb.baseAddress!, ldb: transposeB ? k : n,
                                c: pc.baseAddress!, ldc: n)
                        }
                    }
                }
                let expected = Self.naive(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
                let scale = max(1, expected.map(abs).max() ?? 1)
                let worst = zip(c, expected).map { abs(Double($0) - $1) }.max() ?? 0
                #expect(worst / scale < 1e-4, "m\(m) n\(n) k\(k) tA \(transposeA) tB \(transposeB): \(worst)")
            }
        }
    }

    @Test("batched products on several cores agree with one-by-one products")
    func batched() {
        var generator = SeededGenerator(seed: 99)
        let batch = 24, m = 16, n = 12, k = 8
        let a = (0..<(batch * m * k)).map { _ in generator.nextUniform() - 0.5 }
        let b = (0..<(batch * k * n)).map { _ in generator.nextUniform() - 0.5 }
        var c = [Float](repeating: 0, count: batch * m * n)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    Gemm.batched(batch: batch, transposeB: false, m: m, n: n, k: k, a: pa.baseAddress!, b: pb.baseAddress!, c: pc.baseAddress!)
                }
            }
        }
        for item in 0..<batch {
            let expected = Self.naive(
                Array(a[(item * m * k)..<((item + 1) * m * k)]), Array(b[(item * k * n)..<((item + 1) * k * n)]),
                m: m, n: n, k: k, transposeA: false, transposeB: false)
            for (value, reference) in zip(c[(item * m * n)..<((item + 1) * m * n)], expected) {
                #expect(abs(Double(value) - reference) < 1e-5)
            }
        }
    }

    @Test("core type detection from cpuinfo flags")
    func coreTypeDetection() {
        #expect(BLAS.detectCoreType(cpuInfo: "processor: 0\nflags\t\t: fpu avx2 avx512f avx512_bf16 amx_tile\n") == "SapphireRapids")
        #expect(BLAS.detectCoreType(cpuInfo: "flags\t\t: fpu avx2 avx512f avx512_bf16\n") == "Cooperlake")
        #expect(BLAS.detectCoreType(cpuInfo: "flags\t\t: fpu avx2 avx512f\n") == "SkylakeX")
        #expect(BLAS.detectCoreType(cpuInfo: "flags\t\t: fpu sse4_2 avx2\n") == "Haswell")
        #expect(BLAS.detectCoreType(cpuInfo: "flags\t\t: fpu sse4_2\n") == nil)
        #expect(BLAS.detectCoreType(cpuInfo: "") == nil)
    }

    @Test("the library reports a core name")
    func coreName() {
        #expect(!BLAS.coreName.isEmpty)
        #expect(BLAS.coreName != "unknown")
    }

    @Test("a detected core type keeps OpenBLAS off its generic Prescott kernels")
    func requestedCoreTypeIsHonoured() {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        guard BLAS.detectCoreType(cpuInfo: cpuInfo) != nil || BLAS.requestedCoreType != nil else { return }
        #expect(BLAS.requestedCoreType != nil)
        #expect(BLAS.coreName.lowercased() != "prescott", "requested \(BLAS.requestedCoreType ?? "-"), got \(BLAS.coreName)")
    }
}
