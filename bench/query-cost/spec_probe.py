"""Probe llama-server's draft-free speculative decoding on stored synthesis prompts.

Usage: spec_probe.py [--prompts 8] [--threads 1] [--parallel 1] [--greedy] CONFIG...
CONFIG is `none` or extra server flags as comma-separated name=value pairs without dashes, e.g.
`spec-type=ngram-simple,spec-ngram-simple-size-n=3,spec-draft-n-max=16`.
For each CONFIG: starts its own llama-server (Qwen 0.5B, --no-repack, a free port), sends the same
stored `claim-queries` requests (SciFact passages, temperature and seed as stored, or temperature 0
with --greedy) `parallel` at a time, and prints one JSON line: wall seconds, generated tokens,
tokens/s over the wall clock, drafted/accepted tokens from the server's `timings`, and how many
answers equal the first CONFIG's answers (same seeds). The server is stopped after each CONFIG.
"""
import argparse
import concurrent.futures
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOME = os.environ.get("SYNTHLAB_HOME", os.path.expanduser("~/.cache/synthlab"))

parser = argparse.ArgumentParser()
parser.add_argument("configs", nargs="+")
parser.add_argument("--prompts", type=int, default=8)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--parallel", type=int, default=1)
parser.add_argument("--greedy", action="store_true")
parser.add_argument("--model", default="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
args = parser.parse_args()

store = sqlite3.connect(f"file:{ROOT}/notebooks/.synthlab/llm.sqlite?mode=ro", uri=True)
rows = store.execute(
    "select request_json from llm_responses where request_json like '%You write short scientific claims%'"
    " and request_json like '%\"temperature\":0.8%' order by key limit ?", (args.prompts,)).fetchall()
requests = [json.loads(r[0]) for r in rows]
for request in requests:
    if args.greedy:
        request["temperature"] = 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port, request):
    body = json.dumps(request).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", body,
                                 {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=900) as response:
        return json.load(response)


# SIGTERM unwinds like Ctrl-C, so the `finally` below stops the server.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
baseline = None
for config in args.configs:
    flags = [] if config == "none" else [
        part for pair in config.split(",") for part in ("--" + pair.split("=")[0], pair.split("=", 1)[1])]
    port = free_port()
    command = [f"{HOME}/bin/llama-server", "-m", f"{HOME}/models/{args.model}", "--host", "127.0.0.1",
               "--port", str(port), "--no-repack", "-t", str(args.threads), "-c", str(2048 * args.parallel),
               "--parallel", str(args.parallel), "--no-webui"] + flags
    log = open(f"/tmp/spec-probe-{port}.log", "w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except Exception:
                if server.poll() is not None:
                    sys.exit(f"server exited: {command}")
                time.sleep(0.2)
        for request in requests:
            request["model"] = args.model
        start = time.time()
        with concurrent.futures.ThreadPoolExecutor(args.parallel) as pool:
            answers = list(pool.map(lambda r: post(port, r), requests))
        wall = time.time() - start
    finally:
        server.terminate()
        server.wait()
        log.close()
        os.remove(log.name)
    texts = [a["choices"][0]["message"]["content"] for a in answers]
    timings = [a.get("timings", {}) for a in answers]
    generated = sum(t.get("predicted_n", 0) for t in timings)
    drafted = sum(t.get("draft_n", 0) for t in timings)
    accepted = sum(t.get("draft_n_accepted", 0) for t in timings)
    if baseline is None:
        baseline = texts
    print(json.dumps({
        "config": config, "threads": args.threads, "parallel": args.parallel, "greedy": args.greedy,
        "prompts": len(requests), "wall_s": round(wall, 1), "generated": generated,
        "tok_per_s": round(generated / wall, 2),
        "decode_tok_per_s": round(generated / (sum(t.get("predicted_ms", 0) for t in timings) / 1000), 2),
        "drafted": drafted, "accepted": accepted, "same_as_first": sum(a == b for a, b in zip(texts, baseline)),
        "load": open("/proc/loadavg").read().split()[0]}), flush=True)
