#!/usr/bin/env bash
# Runs notebooks/scifact-full-synthesis.md in budgets of SYNTH_MINUTES (60) until every SciFact passage
# has its queries (the report no longer says "time budget"). Each run resumes from the response store.
# Start it detached at low priority:  nohup nice -n 19 notebooks/scifact-full-synthesis.sh > /tmp/scifact-full.log 2>&1 &
set -uo pipefail
cd "$(dirname "$0")/.."
binary=${SYNTHLAB_BIN:-.build/release/synthlab}
while true; do
    echo "== $(date -u +%FT%TZ) run (stored answers: $(sqlite3 notebooks/.synthlab/llm.sqlite 'select count(*) from llm_responses' 2>/dev/null))"
    out=${SYNTH_REPORTS:-/tmp/scifact-full-synthesis-reports}
    "$binary" run notebooks/scifact-full-synthesis.md --out "$out" --param minutes="${SYNTH_MINUTES:-60}" \
        || { sleep 60; continue; }
    if ! grep -q "time budget" "$out/scifact-full-synthesis.json"; then
        echo "== $(date -u +%FT%TZ) complete"
        break
    fi
done
