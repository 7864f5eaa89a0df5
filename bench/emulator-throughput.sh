#!/usr/bin/env bash
# The emulator's request throughput on loopback: wrk against the unsigned playlist route (server-bound),
# and a loop of signed `mediactl workflow get` calls (one process, one signature check each). Release build.
# DURATION (s), CONNECTIONS and CALLS tune it; results go to stdout as a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
CALLS=${CALLS:-200}
SCRATCH=${BENCH_SCRATCH:-.build}
scripts/install-deps.sh
command -v wrk >/dev/null || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo; $SUDO apt-get install -y -qq wrk >/dev/null; }
swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --product mediactl >/dev/null
swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --product mediactl-emulator >/dev/null
bin=$(swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --show-bin-path)
m="$bin/mediactl"

work=$(mktemp -d)
export HOME="$work" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config" MEDIACTL_EMULATOR_BIN="$bin/mediactl-emulator" CI=true
trap '"$m" emulator stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
eval "$("$m" emulator start --simulate-media --job-seconds 0.5 2>/dev/null)"

# A playable URL: channel, packaging config, asset, session token.
read -r CH _ PKG < <("$m" channel build -o id 2>/dev/null | paste -sd' ')
ASSET=$("$m" ingest --channel-id "$CH" --bucket b --object x/master.m3u8 -o id 2>/dev/null)
URL=$("$m" playback-url --channel-id "$CH" --asset-id "$ASSET" --packaging-config-id "$PKG" 2>/dev/null)
WF=$("$m" workflow build -o id 2>/dev/null)

threads=$(nproc)
wrk_rps() { wrk -t"$threads" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" | awk '/Requests\/sec/ {print $2} /^ +99%/ {p99=$2} END {print p99}' | paste -sd' '; }
read -r playlist_rps playlist_p99 < <(wrk_rps "$URL")
read -r health_rps health_p99 < <(wrk_rps "$MEDIACTL_ENDPOINT/_emulator/health")

start=$(date +%s.%N)
for _ in $(seq "$CALLS"); do "$m" workflow get "$WF" -o id >/dev/null 2>&1; done
end=$(date +%s.%N)
cli_rps=$(awk -v n="$CALLS" -v s="$start" -v e="$end" 'BEGIN { print n / (e - s) }')

echo "| load (loopback, $(nproc) cores, $(date -u +%F)) | requests/s | p99 |"
echo "|---|---|---|"
printf '| wrk, %d connections, GET generatePlaylist (token check, unsigned) | %s | %s |\n' "$CONNECTIONS" "$playlist_rps" "$playlist_p99"
printf '| wrk, %d connections, GET /_emulator/health (transport only) | %s | %s |\n' "$CONNECTIONS" "$health_rps" "$health_p99"
printf '| %d sequential signed `mediactl workflow get` (process start + RSA verify) | %.1f | - |\n' "$CALLS" "$cli_rps"
