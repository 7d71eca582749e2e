"""Writes a small well-formed GGUF file (metadata of several types; F32 and Q8_0 tensors) as a fuzz seed."""
import struct, sys

def s(text):
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw

out = b"GGUF" + struct.pack("<IQQ", 3, 2, 4)
out += s("general.architecture") + struct.pack("<I", 8) + s("llama")
out += s("general.alignment") + struct.pack("<II", 4, 32)
out += s("test.flag") + struct.pack("<IB", 7, 1)
out += s("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, 2) + s("<s>") + s("a")
out += s("f32") + struct.pack("<IQQIQ", 2, 4, 2, 0, 0)
out += s("q80") + struct.pack("<IQIQ", 1, 32, 8, 32)
out += b"\0" * (-len(out) % 32)
out += struct.pack("<8f", *range(8))
out += b"\x00\x38" + bytes((i - 16) & 0xFF for i in range(32))
out += b"\0" * (-len(out) % 32)
open(sys.argv[1], "wb").write(out)
