// libFuzzer target for the GGUF reader (Sources/SynthDecoder/GGUF), built by scripts/fuzz-libfuzzer.
// Every input must parse or throw a GGUFError; a parsed file's tensors must decode without trapping.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    do {
        let file = try GGUFFile(data: data, fileName: "fuzz.gguf")
        for tensor in file.tensors where tensor.elementCount <= 1 << 20 {
            _ = try? file.floats(named: tensor.name)
        }
    } catch is GGUFError {
    } catch {
        fatalError("not a GGUFError: \(error)")
    }
    return 0
}
