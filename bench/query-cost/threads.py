#!/usr/bin/env python3
"""Server threads: the same stored prompts answered by two llama-server processes that differ only in
`-t` (threads), in ABBA order (A, B, B, A, A, B on consecutive thirds), so drifting load weighs on both.

Replays the newest `--calls` requests of a response store (default: the whole-corpus synthesis store),
with the flags the embedded teacher uses for `llm local parallel=1 speculative="ngram-simple"`.
Run it on an otherwise idle machine: llama.cpp's spinning threads slow down several-fold when anything
else competes for a core.

    python3 bench/query-cost/threads.py --store notebooks/.synthlab/llm.sqlite --calls 24 --a 1 --b 2
"""
import argparse
import json
import os
import sqlite3
import subprocess
import time
import urllib.request

home = os.environ.get("SYNTHLAB_HOME", os.path.expanduser("~/.cache/synthlab"))
parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--store", default="notebooks/.synthlab/llm.sqlite")
parser.add_argument("--calls", type=int, default=24, help="stored requests to replay (a multiple of 3)")
parser.add_argument("--a", type=int, default=1, help="threads of server A")
parser.add_argument("--b", type=int, default=2, help="threads of server B")
parser.add_argument("--model", default=os.path.join(home, "models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"))
args = parser.parse_args()

rows = sqlite3.connect(args.store).execute(
    "select request_json from llm_responses order by created_at desc limit ?", (args.calls,))
requests = [json.loads(row[0]) for row in rows]
third = len(requests) // 3


def start(threads, port):
    flags = ["--no-repack", "-t", str(threads), "-c", "2048", "--parallel", "1", "--spec-type", "ngram-simple",
             "--spec-ngram-simple-size-n", "4", "--spec-ngram-simple-size-m", "6", "--spec-draft-n-max", "6"]
    server = subprocess.Popen(
        [os.path.join(home, "bin/llama-server"), "-m", args.model, "--host", "127.0.0.1", "--port", str(port),
         "--alias", requests[0]["model"], "--no-webui"] + flags,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit(f"llama-server -t {threads} did not become healthy")


def answer(port, batch):
    """Wall seconds, generated tokens, generation ms, prompt tokens evaluated, prompt ms."""
    started, totals = time.time(), [0, 0.0, 0, 0.0]
    for request in batch:
        body = json.dumps(dict(request, cache_prompt=True)).encode()
        post = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", body,
                                      {"Content-Type": "application/json"})
        timings = json.load(urllib.request.urlopen(post, timeout=600))["timings"]
        for i, key in enumerate(["predicted_n", "predicted_ms", "prompt_n", "prompt_ms"]):
            totals[i] += timings[key]
    return [time.time() - started] + totals


servers = {args.a: start(args.a, 43101), args.b: start(args.b, 43102)}
ports = {args.a: 43101, args.b: 43102}
try:
    for threads in ports:  # fill each server's prompt cache with the shared instructions and examples
        answer(ports[threads], requests[:1])
    order = [(args.a, 0), (args.b, 0), (args.b, 1), (args.a, 1), (args.a, 2), (args.b, 2)]
    sums = {threads: [0.0] * 5 for threads in ports}
    for threads, part in order:
        result = answer(ports[threads], requests[part * third:(part + 1) * third])
        sums[threads] = [s + r for s, r in zip(sums[threads], result)]
        print(f"-t {threads}: {third} calls in {result[0]:.1f} s", flush=True)
    for threads, (wall, generated, generated_ms, prompted, prompted_ms) in sums.items():
        print(f"-t {threads}: {wall / (3 * third):.2f} s per call; generation {generated / generated_ms * 1000:.1f} tok/s, "
              f"prompt {prompted / prompted_ms * 1000:.0f} tok/s")
    print(f"-t {args.b} vs -t {args.a}: {sums[args.a][0] / sums[args.b][0]:.2f}x calls per minute; "
          f"load average {open('/proc/loadavg').read().split()[0]}")
finally:
    for server in servers.values():
        server.terminate()
