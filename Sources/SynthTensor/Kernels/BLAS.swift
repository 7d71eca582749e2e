import COpenBLAS
import Foundation

/// The one door to OpenBLAS: opened late with `dlopen` so the core type can be chosen for this CPU first.
///
/// Debian's OpenBLAS 0.3.21 does not recognise recent Intel CPUs and falls back to generic kernels
/// (about a quarter of the speed). OpenBLAS reads `OPENBLAS_CORETYPE` once, when the library is loaded,
/// so ``BLAS`` sets it (unless the user already did) from `/proc/cpuinfo` before opening the library.
/// `SYNTHLAB_BLAS_CORETYPE` overrides the detection; a user's own `OPENBLAS_CORETYPE` always wins.
///
/// OpenBLAS runs single-threaded: SynthTensor splits large products across cores itself
/// (see ``Kernels/gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``), which keeps
/// concurrent calls independent and avoids oversubscribing the two cores.
package enum BLAS {
    /// The resolved OpenBLAS entry points (C function pointers are immutable, hence Sendable).
    struct Library: @unchecked Sendable {
        typealias Sgemm = @convention(c) (
            CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, Float,
            UnsafePointer<Float>?, blasint, UnsafePointer<Float>?, blasint, Float, UnsafeMutablePointer<Float>?, blasint
        ) -> Void
        typealias SetThreads = @convention(c) (Int32) -> Void
        typealias GetThreads = @convention(c) () -> Int32
        typealias CoreName = @convention(c) () -> UnsafeMutablePointer<CChar>?

        let sgemm: Sgemm
        let setNumThreads: SetThreads?
        let getNumThreads: GetThreads?
        let coreName: CoreName?
        /// The value of `OPENBLAS_CORETYPE` chosen before loading (nil: left to OpenBLAS).
        let requestedCoreType: String?
    }

    /// Loaded on first use; a missing library is a programming/setup error that cannot be recovered.
    static let library: Library = load()

    /// The kernel family OpenBLAS actually selected (e.g. `SapphireRapids`, `Haswell`, `Prescott`).
    package static var coreName: String {
        guard let name = library.coreName?() else { return "unknown" }
        return String(cString: name)
    }

    /// The core type SynthTensor asked OpenBLAS for, or nil when it left the choice to OpenBLAS.
    package static var requestedCoreType: String? { library.requestedCoreType }

    /// Single-threaded row-major `C = alpha * op(A) * op(B) + beta * C`.
    ///
    /// - Parameters: as `cblas_sgemm` with `CblasRowMajor`.
    @inline(__always)
    static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        library.sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    // MARK: - Loading

    private static func load() -> Library {
        let environment = ProcessInfo.processInfo.environment
        var requested: String? = environment["OPENBLAS_CORETYPE"]
        if requested == nil {
            let chosen = environment["SYNTHLAB_BLAS_CORETYPE"] ?? detectCoreType(cpuInfo: readCPUInfo())
            if let chosen, !chosen.isEmpty {
                setenv("OPENBLAS_CORETYPE", chosen, 0)
                requested = chosen
            }
        }
        let candidates = [
            "libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "libopenblas.so",
            "/usr/lib/aarch64-linux-gnu/libopenblas.so.0", "libopenblas.dylib",
        ]
        var handle: UnsafeMutableRawPointer?
        for path in candidates {
            handle = dlopen(path, RTLD_NOW | RTLD_LOCAL)
            if handle != nil { break }
        }
        guard let handle else { fatalError("OpenBLAS not found (install libopenblas0): tried \(candidates)") }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let raw = dlsym(handle, name) else { return nil }
            return unsafeBitCast(raw, to: type)
        }
        guard let sgemm = symbol("cblas_sgemm", as: Library.Sgemm.self) else {
            fatalError("OpenBLAS library lacks cblas_sgemm")
        }
        let library = Library(
            sgemm: sgemm, setNumThreads: symbol("openblas_set_num_threads", as: Library.SetThreads.self),
            getNumThreads: symbol("openblas_get_num_threads", as: Library.GetThreads.self),
            coreName: symbol("openblas_get_corename", as: Library.CoreName.self), requestedCoreType: requested)
        library.setNumThreads?(1)
        return library
    }

    private static func readCPUInfo() -> String {
        (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    }

    /// Maps CPU feature flags (the `flags` line of `/proc/cpuinfo`) to an OpenBLAS core type name.
    ///
    /// `amx_tile`/`avx512_fp16` → `SapphireRapids`, `avx512_bf16` → `Cooperlake`, `avx512f` → `SkylakeX`,
    /// `avx2` → `Haswell`, otherwise nil (leave the choice to OpenBLAS).
    package static func detectCoreType(cpuInfo: String) -> String? {
        guard let line = cpuInfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(line.split(separator: " ").map(String.init))
        if flags.contains("amx_tile") || flags.contains("avx512_fp16") { return "SapphireRapids" }
        if flags.contains("avx512_bf16") { return "Cooperlake" }
        if flags.contains("avx512f") { return "SkylakeX" }
        if flags.contains("avx2") { return "Haswell" }
        return nil
    }
}
