#!/usr/bin/env python3
"""Encoding benchmark: SciFact corpus in docs/s, synthlab (release) vs sentence-transformers (PyTorch CPU,
2 threads), in the same run; peak memory of synthlab's encoding; optionally nDCG@10 of both on SciFact test.

    bench/encode/run [--docs N] [--retrieval]

Texts are title + " " + text (stripped), as BEIR embeds documents for sentence-transformers, at most 256
tokens (the model's max_seq_length), batch size 32, longest first. sentence-transformers is timed in-process
after a warm-up (model load excluded); synthlab is `synthlab embed --stats` (its own timer: tokenization and
embedding, model load excluded) under `/usr/bin/time -v` for the peak RSS of the whole process. The
"## Encoding" section of BENCHMARKS.md is replaced by the results.
"""
import argparse
import datetime
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOME = pathlib.Path(os.environ.get("SYNTHLAB_HOME", pathlib.Path.home() / ".cache/synthlab"))
TORCH_PY = HOME / "venv-torch/bin/python"
SETUP_PY = HOME / "venv/bin/python"
SYNTHLAB = ROOT / ".build/release/synthlab"
HERE = pathlib.Path(__file__).resolve().parent


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=5183)
    parser.add_argument("--retrieval", action="store_true", help="also nDCG@10 of both on SciFact test")
    args = parser.parse_args()
    if args.retrieval and args.docs < 5183:
        parser.error("--retrieval needs the whole corpus (--docs 5183)")
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    load = os.getloadavg()[0]
    cpu = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        texts = tmp / "corpus.jsonl"
        st_args = [str(TORCH_PY), str(HERE / "st_encode.py"), "--threads", "2", "--docs", str(args.docs),
                   "--texts-out", str(texts)]
        if args.retrieval:
            st_args += ["--run", str(tmp / "st.trec")]
        st = json.loads(run(st_args, env=env).stdout.strip().splitlines()[-1])
        print("sentence-transformers:", st, file=sys.stderr)
        with open(texts) as stdin:
            ours = subprocess.run(["/usr/bin/time", "-v", str(SYNTHLAB), "embed", "--stats"], stdin=stdin,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True).stderr
        match = re.search(r"embedded (\d+) texts in ([\d.]+) s", ours)
        our_docs, our_seconds = int(match.group(1)), float(match.group(2))
        rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", ours).group(1))
        print("synthlab:", our_docs, our_seconds, rss_kib, file=sys.stderr)
        retrieval = ""
        if args.retrieval:
            dense = run([str(SYNTHLAB), "dense", "scifact", "--no-cache", "--out", str(tmp / "ours.trec")]).stderr
            scores = run([str(SETUP_PY), str(HERE / "ndcg.py"),
                          str(ROOT.parent / "shared/data/scifact/qrels/test.tsv"),
                          str(tmp / "ours.trec"), str(tmp / "st.trec")]).stdout.splitlines()
            mine, theirs = (json.loads(line) for line in scores)
            retrieval = f"""
SciFact test, exact top-1000 by cosine, nDCG@10 by pytrec_eval (plain / BEIR-MTEB style, which drops hits whose
document id equals the query id):

| system | nDCG@10 | R@100 | nDCG@10 (BEIR) |
|---|---|---|---|
| `synthlab dense` | {mine['ndcg@10']:.4f} | {mine['recall@100']:.4f} | {mine['beir_ndcg@10']:.4f} |
| sentence-transformers | {theirs['ndcg@10']:.4f} | {theirs['recall@100']:.4f} | {theirs['beir_ndcg@10']:.4f} |

Difference {abs(mine['ndcg@10'] - theirs['ndcg@10']):.4f} (goal ≤ 0.005). synthlab's summary: `{dense.strip().splitlines()[-1]}`
"""
    ours_rate = our_docs / our_seconds
    ratio = ours_rate / st["docs_per_s"]
    section = f"""## Encoding

`bench/encode/run --docs {args.docs}{' --retrieval' if args.retrieval else ''}` — all-MiniLM-L6-v2, the first {args.docs:,} SciFact corpus texts
(title + " " + text, ≤ 256 tokens, batch 32, longest first), {cpu.group(1) if cpu else 'CPU'}, 2 cores,
load average {load:.1f} at the start (other jobs share the machine), {datetime.date.today()}.

| system | docs | seconds | docs/s | peak RSS |
|---|---|---|---|---|
| `synthlab embed` (release, 2 threads) | {our_docs} | {our_seconds:.2f} | {ours_rate:.2f} | {rss_kib / 1048576:.2f} GiB (whole process) |
| sentence-transformers {json.dumps(st.get('torch'))[1:-1]} CPU, `torch.set_num_threads(2)` | {st['docs']} | {st['seconds']:.2f} | {st['docs_per_s']:.2f} | – |

synthlab / PyTorch throughput: **{ratio:.2f}×** (goal ≥ 1.0×); peak memory goal < 2 GiB.
{retrieval}"""
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"## Encoding\n.*?(?=\n## |\Z)", re.S)
    text = pattern.sub(lambda _: section.rstrip() + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    path.write_text(text)
    print(section)


if __name__ == "__main__":
    main()
