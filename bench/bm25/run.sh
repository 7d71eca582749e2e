#!/usr/bin/env bash
# Times `synthlab bm25` (release) and bm25s end to end on SciFact test; writes the "## BM25" section of BENCHMARKS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SYNTHLAB_HOME="${SYNTHLAB_HOME:-$HOME/.cache/synthlab}"
cd "$ROOT"
swift build -c release --product synthlab 2>&1 | grep -E "error|Compiling synthlab|Build complete" || true
[ -x .build/release/synthlab ] || { echo "release build failed" >&2; exit 1; }
exec "$SYNTHLAB_HOME/venv/bin/python" bench/bm25/bench.py
