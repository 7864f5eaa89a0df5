#!/usr/bin/env bash
# Peak memory of a large Object Storage upload and download: a SIZE_MIB file (default 512, random bytes) goes up
# multipart (PART_MIB parts, PARALLEL at a time) and single-request (--no-multipart) to the local emulator, then
# comes back with `object get`; each mediactl run is measured with /usr/bin/time -v (maximum resident set size),
# and so is the emulator for the whole session. Release build (BUILD=debug for a debug one).
# BIN_DIR=dir uses binaries already built (EMULATOR_BIN another emulator). Results go to stdout as a Markdown table. The point: memory stays flat whatever the file size.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${SIZE_MIB:-512}
PART_MIB=${PART_MIB:-32}
PARALLEL=${PARALLEL:-4}
BUILD=${BUILD:-release}
[ -x /usr/bin/time ] || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo; $SUDO apt-get install -y -qq time >/dev/null; }
if [ "$BUILD" = release ]; then
  flags=(-c release --static-swift-stdlib)
else
  flags=()
fi
if [ -n "${BIN_DIR:-}" ]; then
  bin=$BIN_DIR   # binaries already built (e.g. .build/debug)
else
  swift build "${flags[@]}" --product mediactl >/dev/null
  swift build "${flags[@]}" --product mediactl-emulator >/dev/null
  bin=$(swift build "${flags[@]}" --show-bin-path)
fi
m="$bin/mediactl"
emulator=${EMULATOR_BIN:-$bin/mediactl-emulator}   # EMULATOR_BIN: another build's emulator

work=$(mktemp -d)
export HOME="$work" XDG_STATE_HOME="$work/xdg" XDG_CONFIG_HOME="$work/config" CI=true
emu_pid=""
trap '[ -s "$work/emu/pid" ] && kill "$(cat "$work/emu/pid")" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

# The emulator under /usr/bin/time too, so its peak RSS is reported when it stops.
/usr/bin/time -v -o "$work/emulator.time" "$emulator" serve --port 0 --state "$work/emu" >/dev/null 2>"$work/emulator.log" &
emu_pid=$!
for _ in $(seq 200); do [ -s "$work/emu/endpoint" ] && break; sleep 0.05; done
set -a; . "$work/emu/env"; set +a

head -c "$((SIZE_MIB << 20))" /dev/urandom > "$work/big.bin"

# run NAME ARGS...: one measured mediactl run; prints "rss_kib seconds".
run() {
  local name=$1; shift
  /usr/bin/time -v -o "$work/$name.time" "$m" "$@" >/dev/null 2>"$work/$name.err" || { cat "$work/$name.err" >&2; exit 1; }
  awk -F': ' '/Maximum resident set size/ {rss=$2} /Elapsed \(wall clock\)/ {split($2, t, ":"); s = (length(t) == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2]} END {print rss, s}' "$work/$name.time"
}

read -r rss_mp s_mp < <(run multipart object put "$work/big.bin" --bucket media-in --name big-mp --part-size "$PART_MIB" --parallel "$PARALLEL")
read -r rss_sp s_sp < <(run single object put "$work/big.bin" --bucket media-in --name big-sp --no-multipart --read-timeout 600)
read -r rss_get s_get < <(run get object get big-mp --bucket media-in --file "$work/back.bin")
cmp -s "$work/big.bin" "$work/back.bin" || { echo "downloaded bytes differ" >&2; exit 1; }
read -r rss_small s_small < <(run small object ls --bucket media-in)

# Stop the emulator itself (its pid file), so /usr/bin/time sees it exit and reports.
kill -TERM "$(cat "$work/emu/pid")"; wait "$emu_pid" 2>/dev/null || true; emu_pid=""
rss_emu=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/emulator.time")

rate() { awk -v m="$SIZE_MIB" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", m / s; else print "-" }'; }
echo "| ${SIZE_MIB} MiB file, loopback emulator, $(nproc) cores, $BUILD build, $(date -u +%F) | peak RSS (MiB) | seconds | MiB/s |"
echo "|---|---|---|---|"
printf '| mediactl object put, multipart (%d MiB parts, %d in parallel) | %.1f | %s | %s |\n' "$PART_MIB" "$PARALLEL" "$(echo "$rss_mp / 1024" | bc -l)" "$s_mp" "$(rate "$s_mp")"
printf '| mediactl object put --no-multipart (one streamed PUT) | %.1f | %s | %s |\n' "$(echo "$rss_sp / 1024" | bc -l)" "$s_sp" "$(rate "$s_sp")"
printf '| mediactl object get (streamed to a file, MD5 checked) | %.1f | %s | %s |\n' "$(echo "$rss_get / 1024" | bc -l)" "$s_get" "$(rate "$s_get")"
printf '| mediactl object ls (baseline: a small call) | %.1f | %s | - |\n' "$(echo "$rss_small / 1024" | bc -l)" "$s_small"
printf '| mediactl-emulator, whole session (bodies streamed to and from disk) | %.1f | - | - |\n' "$(echo "$rss_emu / 1024" | bc -l)"
