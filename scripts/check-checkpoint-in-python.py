#!/usr/bin/env python3
"""Check that a checkpoint folder means the same model in sentence-transformers and in SynthLab.

    HF_HUB_OFFLINE=1 ~/.cache/synthlab/venv-torch/bin/python scripts/check-checkpoint-in-python.py CHECKPOINT_DIR \
        [--synthlab .build/release/synthlab] [--texts FILE.jsonl] [--min-cosine 0.9999]

Loads CHECKPOINT_DIR with `SentenceTransformer(CHECKPOINT_DIR)` (offline, from the folder), embeds a set of
texts (a built-in varied set, or the "text" field of each line of --texts), runs
`synthlab embed --model CHECKPOINT_DIR` on the same texts, and compares token ids and the cosine of each
pair of embeddings. Prints one line per text that fails and a summary; exits 1 when any token ids differ
or any cosine is below --min-cosine, 0 otherwise. Use it on checkpoints written by `train` to confirm they
load unchanged in the Python ecosystem.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = pathlib.Path(__file__).resolve().parent.parent

DEFAULT_TEXTS = [
    "",
    "Hello, world!",
    "BRCA1 mutations increase the risk of breast cancer by 45-65% (p<0.001).",
    "Héllo Wörld, ça va? naïve café",
    "日本語のテキストと中文字符混合 English words",
    "Emoji 😀🎉 and URLs https://example.com/a?b=1",
    "Tabs\tand\nnewlines and control\u0007chars",
    "Dense retrieval maps queries and documents to vectors. " * 40,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint")
    parser.add_argument("--synthlab", default=str(ROOT / ".build/release/synthlab"))
    parser.add_argument("--texts", help="JSON lines with a \"text\" field")
    parser.add_argument("--min-cosine", type=float, default=0.9999)
    parser.add_argument("--max-len", type=int, help="token limit passed to both (default: the model's)")
    args = parser.parse_args()

    import numpy as np
    from sentence_transformers import SentenceTransformer

    if args.texts:
        with open(args.texts, encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
    else:
        texts = DEFAULT_TEXTS

    model = SentenceTransformer(args.checkpoint, device="cpu")
    if args.max_len:
        model.max_seq_length = args.max_len
    reference = model.encode(texts, batch_size=16, convert_to_numpy=True)
    reference_ids = []
    for text in texts:
        features = model.tokenize([text])
        reference_ids.append(features["input_ids"][0][features["attention_mask"][0].bool()].tolist())

    command = [args.synthlab, "embed", "--model", args.checkpoint]
    if args.max_len:
        command += ["--max-len", str(args.max_len)]
    stdin = "".join(json.dumps({"text": t}) + "\n" for t in texts)
    result = subprocess.run(command, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        print(f"synthlab embed failed ({result.returncode}):\n{result.stderr}", file=sys.stderr)
        return 1
    ours = [json.loads(line) for line in result.stdout.splitlines()]
    if len(ours) != len(texts):
        print(f"expected {len(texts)} output lines, found {len(ours)}", file=sys.stderr)
        return 1

    failures = 0
    worst = 1.0
    for text, ids, vector, out in zip(texts, reference_ids, reference, ours):
        mine = np.asarray(out["embedding"], dtype=np.float64)
        theirs = vector.astype(np.float64)
        cosine = float(mine @ theirs / (np.linalg.norm(mine) * np.linalg.norm(theirs) + 1e-30))
        worst = min(worst, cosine)
        if ids != out["tokens"] or cosine < args.min_cosine:
            failures += 1
            print(f"differs: {text[:60]!r}: ids equal {ids == out['tokens']}, cosine {cosine:.6f}")
    print(f"{len(texts)} texts, {failures} differ, minimum cosine {worst:.6f} (threshold {args.min_cosine})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
