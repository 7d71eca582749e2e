#!/usr/bin/env python3
"""Reference BERT forward in numpy (float64) for SynthModels parity tests.

Usage: bert_numpy_reference.py MODEL_FOLDER < request.json > response.json
request:  {"input_ids": [[...]], "attention_mask": [[...]]}   (rows padded to one length)
response: {"last_hidden_state": [[[...]]], "embeddings": [[...]]}  (embeddings: mean pooled, L2-normalised)

The safetensors header is parsed by hand (8-byte little-endian length + JSON), so only numpy is needed.
"""
import json
import math
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    body = raw[8 + length :]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        if entry["dtype"] == "BF16":
            bits = np.frombuffer(body[start:end], dtype="<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        else:
            array = np.frombuffer(body[start:end], dtype=np.dtype(DTYPES[entry["dtype"]]).newbyteorder("<"))
        tensors[name[5:] if name.startswith("bert.") else name] = array.reshape(entry["shape"]).astype(np.float64)
    return tensors


def erf(x):
    return np.vectorize(math.erf)(x)


def layer_norm(x, gamma, beta, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def forward(w, config, ids, mask):
    batch, seq = ids.shape
    hidden, heads = config["hidden_size"], config["num_attention_heads"]
    d = hidden // heads
    eps = config.get("layer_norm_eps", 1e-12)
    h = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][np.arange(seq)][None]
    h = h + w["embeddings.token_type_embeddings.weight"][np.zeros_like(ids)]
    h = layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    bias = (1.0 - mask[:, None, None, :]) * -1e30
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        dense = lambda x, n: x @ w[p + n + ".weight"].T + w[p + n + ".bias"]
        split = lambda x: x.reshape(batch, seq, heads, d).transpose(0, 2, 1, 3)
        q, k, v = (split(dense(h, "attention.self." + n)) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + bias
        scores = scores - scores.max(-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, seq, hidden)
        attended = layer_norm(dense(context, "attention.output.dense") + h,
                              w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        inner = dense(attended, "intermediate.dense")
        inner = 0.5 * inner * (1 + erf(inner / math.sqrt(2)))
        h = layer_norm(dense(inner, "output.dense") + attended,
                       w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    return h


def main():
    folder = sys.argv[1]
    config = json.load(open(f"{folder}/config.json"))
    weights = read_safetensors(f"{folder}/model.safetensors")
    request = json.load(sys.stdin)
    ids = np.array(request["input_ids"], dtype=np.int64)
    mask = np.array(request["attention_mask"], dtype=np.float64)
    h = forward(weights, config, ids, mask)
    pooled = (h * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
    embeddings = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
    json.dump({"last_hidden_state": h.tolist(), "embeddings": embeddings.tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
