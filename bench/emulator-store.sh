#!/usr/bin/env bash
# The emulator's store at size, and its responsiveness while large bodies stream in (issue 16, items 7-9):
#  - RSS of the emulator with COUNTS resources (default "1000 30000", a mix of every kind made with the official
#    `oci` SDK) built live, then after a restart on the same state (VmRSS, 2 s after the last call / the start);
#  - CPU per 50-item list call (the emulator's own CPU time, all threads) live and after the restart, with a
#    GET by id as the reference for what signing and HTTP cost; every listed resource compared across the restart;
#  - p50/p99 of small signed calls, idle and while UPLOADS (default 2) PutObjects of UPLOAD_MIB (default 300) stream in.
# Release build (EMULATOR_BIN=another binary to measure that one). PY: a Python with oci 2.189.0 (default
# bench/.venv, made from bench/requirements.txt as compare.sh does). Results go to stdout as Markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNTS=${COUNTS:-"1000 30000"}
THREADS=${THREADS:-4}
CALLS=${CALLS:-200}
UPLOADS=${UPLOADS:-2}
UPLOAD_MIB=${UPLOAD_MIB:-300}
if [ -z "${PY:-}" ]; then
  venv=bench/.venv
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -c 'import oci' 2>/dev/null || "$venv/bin/pip" install -q -r bench/requirements.txt >&2
  PY="$venv/bin/python"
fi
if [ -z "${EMULATOR_BIN:-}" ]; then
  swift build -c release --product mediactl-emulator >/dev/null
  EMULATOR_BIN="$(swift build -c release --show-bin-path)/mediactl-emulator"
fi
drive() { "$PY" bench/emulator_store.py "$@"; }

work=$(mktemp -d)
trap 'for p in "$work"/*/pid; do [ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT

# start DIR: serves DIR's state in the background and waits for its endpoint file.
start() {
  "$EMULATOR_BIN" serve --port 0 --state "$1" --simulate-media --job-seconds 0.5 >/dev/null 2>>"$1.log" &
  for _ in $(seq 600); do [ -s "$1/endpoint" ] && return 0; sleep 0.1; done
  echo "the emulator did not start: $(cat "$1.log")" >&2; exit 1
}
stop() { local p; p=$(cat "$1/pid"); kill -TERM "$p"; while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; }
rss_mib() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$(cat "$1/pid")/status"; }
field() { "$PY" -c "import json, sys; print(' / '.join('%.2f' % c['$1'] for c in json.load(sys.stdin)))"; }

echo "## bench/emulator-store.sh, $(date -u '+%F %H:%M') UTC"
echo
echo "$(nproc) cores shared with other work (load average at start $(cut -d' ' -f1-3 /proc/loadavg)); emulator \`$EMULATOR_BIN\`."
echo
echo "| resources | RSS live (MiB) | RSS after restart (MiB) | CPU ms per call live: get / page / page ACTIVE DESC / page by name / jobs page | the same after restart | listed identically after restart |"
echo "|---|---|---|---|---|---|"
for n in $COUNTS; do
  s="$work/s$n"
  start "$s"
  drive populate "$s" "$n" "$THREADS"
  sleep 2
  live=$(rss_mib "$s")
  live_pages=$(drive pages "$s" "$CALLS" | field cpu_ms)
  drive snapshot "$s" > "$work/before-$n.json"
  stop "$s"
  start "$s"
  sleep 2
  restarted=$(rss_mib "$s")
  restarted_pages=$(drive pages "$s" "$CALLS" | field cpu_ms)
  drive snapshot "$s" > "$work/after-$n.json"
  same=no; cmp -s "$work/before-$n.json" "$work/after-$n.json" && same=yes
  stop "$s"
  echo "| $n | $live | $restarted | $live_pages | $restarted_pages | $same |"
done

echo
s="$work/upload"
start "$s"
idle=$(drive latency "$s" 10)
head -c "$((UPLOAD_MIB << 20))" /dev/urandom > "$work/big.bin"
pids=()
for i in $(seq "$UPLOADS"); do drive upload "$s" "$work/big.bin" "big-$i" > "$work/upload-$i.json" & pids+=($!); done
busy=$(drive latency "$s" 0 "${pids[@]}")
wait "${pids[@]}"
stop "$s"
q() { "$PY" -c "import json, sys; d = json.loads(sys.argv[1]); print('%d calls, p50 %.1f ms, p99 %.1f ms, max %.1f ms' % (d['calls'], d['p50_ms'], d['p99_ms'], d['max_ms']))" "$1"; }
echo "| small signed calls (GET one workflow, one client) | latency |"
echo "|---|---|"
echo "| idle, 10 s | $(q "$idle") |"
echo "| during $UPLOADS concurrent PutObjects of $UPLOAD_MIB MiB ($(cat "$work"/upload-*.json | "$PY" -c "import json, sys; print(', '.join('%.1f s' % json.loads(l)['seconds'] for l in sys.stdin))")) | $(q "$busy") |"
