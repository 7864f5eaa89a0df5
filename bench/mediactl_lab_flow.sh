#!/usr/bin/env bash
# The lab flow through mediactl, as scripts/lab-demo.sh runs it (build, run --wait, channel build,
# ingest with its wait, session URL), quiet: bench/compare.sh times it as one command.
# Needs MEDIACTL (the binary) and the emulator's environment (MEDIACTL_ENDPOINT, OCI_CLI_*, ...).
set -euo pipefail
m="${MEDIACTL:?set MEDIACTL to the mediactl binary}"
wf=$("$m" workflow build -o id -q)
"$m" job run --workflow-id "$wf" --source-bucket media-in --destination-bucket media-out \
  --source-video clip.mp4 --output-prefix run1 --wait -o id -q >/dev/null
read -r ch _ pkg < <("$m" channel build -o id -q | paste -sd' ')
asset=$("$m" ingest --channel-id "$ch" --bucket media-out --object sdk_test/clip.mp4/run1-master.m3u8 -o id -q)
"$m" playback-url --channel-id "$ch" --asset-id "$asset" --packaging-config-id "$pkg" -q
