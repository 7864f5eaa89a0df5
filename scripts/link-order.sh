#!/usr/bin/env bash
# Regenerates Sources/mediactl/startup.order, the functions mediactl runs to start and to make a typical
# signed request, as callgrind sees them. Package.swift has the linker place these together: about 600 KB
# of code is run, but spread over the 25 MB binary (Swift runtime, FoundationEssentials, libc++abi glue)
# it made the kernel map some 7 MB of it. Names that no longer exist are ignored, so a stale file only
# costs memory; re-run this after large changes or a toolchain update. Needs valgrind (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${BENCH_SCRATCH:-.build-bench}
if ! command -v valgrind >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -qq valgrind >&2
fi
swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --product mediactl >&2
swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --product mediactl-emulator >&2
bin=$(swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --show-bin-path)

work=$(mktemp -d)
"$bin/mediactl-emulator" serve --state "$work/emulator" --job-seconds 0 >"$work/log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/emulator/env" ] && break; sleep 0.1; done
# shellcheck disable=SC1091
. "$work/emulator/env"
export HOME="$work" XDG_STATE_HOME="$work/state" CI=true

profile() { valgrind --tool=callgrind --demangle=no --compress-strings=no --callgrind-out-file="$work/cg.$1" "$bin/mediactl" "${@:2}" >/dev/null 2>&1; }
profile version --version
profile help --help
profile build workflow build -o id -q
profile list job list -o json
# Every function callgrind saw that the binary defines, in the order first seen.
nm --defined-only "$bin/mediactl" | awk '$2 ~ /^[tTwW]$/ { print $3 }' | sort -u >"$work/defined"
cat "$work"/cg.* | sed -n 's/^c\{0,1\}fn=\(([0-9]*) \)\{0,1\}//p' | awk '!seen[$0]++' \
  | grep -Fxf "$work/defined" >Sources/mediactl/startup.order
echo "$(wc -l <Sources/mediactl/startup.order) functions written to Sources/mediactl/startup.order" >&2
# SwiftPM does not see the order file as an input: drop the binary so the next build links it again.
rm -f "$bin/mediactl"
