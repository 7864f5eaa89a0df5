#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, starts the emulator on a free port, and runs the lab flow through mediactl.
# Works with or without a terminal (CI). LAB_DEMO_CONFIGURATION=debug reuses a debug build (CI does, after the tests);
# LAB_DEMO_SCRATCH names another build folder; LAB_DEMO_JOB_SECONDS sets how long the emulator's jobs take.
set -euo pipefail
cd "$(dirname "$0")/.."

configuration="${LAB_DEMO_CONFIGURATION:-release}"
scratch="${LAB_DEMO_SCRATCH:-.build}"
job_seconds="${LAB_DEMO_JOB_SECONDS:-4}"
started=$(date +%s)

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
[ -t 2 ] || step() { printf '\n==> %s\n' "$*" >&2; }
show() { printf '    $ %s\n' "$*" >&2; }

step "Installing missing system packages"
scripts/install-deps.sh

step "Building mediactl and mediactl-emulator ($configuration)"
# Release builds link the Swift runtime and Foundation statically: half the start-up time, less memory.
static=(); [ "$configuration" = release ] && static=(--static-swift-stdlib)
swift build -c "$configuration" "${static[@]}" --scratch-path "$scratch" --product mediactl
swift build -c "$configuration" "${static[@]}" --scratch-path "$scratch" --product mediactl-emulator
bin="$(swift build -c "$configuration" "${static[@]}" --scratch-path "$scratch" --show-bin-path)"
mediactl="$bin/mediactl"

# A private state directory and HOME: the demo never touches the user's ~/.oci or defaults.
demo_home="$(mktemp -d "${TMPDIR:-/tmp}/mediactl-demo.XXXXXX")"
export HOME="$demo_home" XDG_STATE_HOME="$demo_home/state" XDG_CONFIG_HOME="$demo_home/config"
export MEDIACTL_EMULATOR_BIN="$bin/mediactl-emulator"
cleanup() {
  "$mediactl" emulator stop >/dev/null 2>&1 || true
  rm -rf "$demo_home"
}
trap cleanup EXIT

step "Starting the emulator on a free loopback port"
# --simulate-media: the demo has no video in the emulator's object store, so its jobs run on the clock.
show "eval \"\$(mediactl emulator start --simulate-media --job-seconds $job_seconds)\""
eval "$("$mediactl" emulator start --simulate-media --job-seconds "$job_seconds")"
echo "    endpoint $MEDIACTL_ENDPOINT, profile $OCI_CLI_PROFILE in $OCI_CLI_CONFIG_FILE" >&2

step "1. Build the lab's media workflow"
show "mediactl workflow build --output id"
WF=$("$mediactl" workflow build --output id)
echo "    workflow: $WF" >&2

step "2. Run a job with it and wait"
show "mediactl job run --workflow-id \$WF ... --wait"
"$mediactl" job run --workflow-id "$WF" --source-bucket media-in --destination-bucket media-out \
  --source-video clip.mp4 --output-prefix run1 --wait

step "3. Build the streaming channel (channel, CDN config, packaging config)"
show "mediactl channel build --output id"
read -r CH CDN PKG < <("$mediactl" channel build --output id | paste -sd' ')
echo "    channel: $CH" >&2
echo "    cdn config: $CDN" >&2
echo "    packaging config: $PKG" >&2

step "4. Ingest the job's master playlist into the channel and wait"
show "mediactl ingest --channel-id \$CH --bucket media-out --object sdk_test/clip.mp4/run1-master.m3u8"
ASSET=$("$mediactl" ingest --channel-id "$CH" --bucket media-out --object sdk_test/clip.mp4/run1-master.m3u8 --output id)
echo "    asset: $ASSET" >&2

step "5. Session token and playback URL"
show "mediactl playback-url --channel-id \$CH --asset-id \$ASSET --packaging-config-id \$PKG"
URL=$("$mediactl" playback-url --channel-id "$CH" --asset-id "$ASSET" --packaging-config-id "$PKG")
echo "$URL"
curl -fsS "$URL" | sed -n "1,3s/^/    /p" >&2

step "6. Video session recording (archive start/stop)"
if ! "$mediactl" archive --help >/dev/null 2>&1; then
  echo "    skipped: this mediactl has no \`archive\` command yet (OpenTok support is on its way)" >&2
elif ! curl -fsS "$MEDIACTL_ENDPOINT/_emulator/health" | grep -q '"openTok":true'; then
  echo "    skipped: this emulator build does not serve the OpenTok API yet" >&2
else
  show "SESSION=\$(mediactl session create --media-mode routed --output id)"
  SESSION=$("$mediactl" session create --media-mode routed --output id)
  echo "    session: $SESSION" >&2
  show "mediactl archive start --session-id \$SESSION --name lab-demo --output id"
  ARCHIVE=$("$mediactl" archive start --session-id "$SESSION" --name lab-demo --output id)
  echo "    archive: $ARCHIVE" >&2
  show "mediactl archive stop \$ARCHIVE"
  "$mediactl" archive stop "$ARCHIVE"
  if [ -n "${VONAGE_APPLICATION_ID:-}" ]; then
    step "7. The same with Vonage Video credentials (application ID + private key)"
    export MEDIACTL_VIDEO_PLATFORM=vonage
    show "MEDIACTL_VIDEO_PLATFORM=vonage mediactl session create --media-mode routed --output id"
    SESSION=$("$mediactl" session create --media-mode routed --output id)
    echo "    session: $SESSION" >&2
    show "mediactl archive start --session-id \$SESSION --name lab-demo --output id"
    ARCHIVE=$("$mediactl" archive start --session-id "$SESSION" --name lab-demo --output id)
    echo "    archive: $ARCHIVE" >&2
    show "mediactl archive stop \$ARCHIVE"
    "$mediactl" archive stop "$ARCHIVE"
    show "mediactl token --session-id \$SESSION --role moderator"
    TOKEN=$("$mediactl" token --session-id "$SESSION" --role moderator)
    echo "    token: an RS256 JWT of ${#TOKEN} characters (not shown: it grants access)" >&2
    export MEDIACTL_VIDEO_PLATFORM=opentok
  fi
fi

step "Stopping the emulator"
"$mediactl" emulator stop
echo "lab demo finished in $(( $(date +%s) - started )) s" >&2
