#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, starts the emulator on a free port, makes a test video
# with ffmpeg, and runs the lab flow through mediactl: upload, workflow, a real transcode, channel, ingest, playback URL
# (every segment fetched), then all of it again as one `mediactl publish`, and archive start/stop. Ends by printing a URL
# that plays. Works with or without a terminal (CI). LAB_DEMO_CONFIGURATION=debug reuses a debug build (CI does, after
# the tests); LAB_DEMO_SCRATCH names another build folder; LAB_DEMO_JOB_SECONDS sets how long simulated jobs would take.
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
swift build -c "$configuration" "${static[@]}" --scratch-path "$scratch" --product mediactl >&2
swift build -c "$configuration" "${static[@]}" --scratch-path "$scratch" --product mediactl-emulator >&2
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
# Real media: the emulator runs the workflow's tasks with ffmpeg on what is in its object store.
show "eval \"\$(mediactl emulator start)\""
eval "$("$mediactl" emulator start --job-seconds "$job_seconds")"
echo "    endpoint $MEDIACTL_ENDPOINT, profile $OCI_CLI_PROFILE in $OCI_CLI_CONFIG_FILE" >&2

step "0. A short test video, made with ffmpeg, uploaded to Object Storage"
video="$demo_home/clip.mp4"
show "ffmpeg -f lavfi -i testsrc2=size=1280x720:rate=25 -f lavfi -i sine=frequency=440 -t 8 -c:v libx264 -c:a aac clip.mp4"
ffmpeg -hide_banner -nostdin -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=25 -f lavfi -i sine=frequency=440 \
  -t 8 -c:v libx264 -pix_fmt yuv420p -c:a aac "$video"
show "mediactl object put clip.mp4 --bucket media-in"
"$mediactl" object put "$video" --bucket media-in | sed 's/^/    /' >&2

step "1. Build the lab's media workflow"
show "mediactl workflow build --output id"
WF=$("$mediactl" workflow build --output id)
echo "    workflow: $WF" >&2

step "2. Run a job with it and wait (the emulator transcodes with ffmpeg)"
show "mediactl job run --workflow-id \$WF ... --wait"
"$mediactl" job run --workflow-id "$WF" --source-bucket media-in --destination-bucket media-out \
  --source-video clip.mp4 --output-prefix run1 --wait --output id >/dev/null
"$mediactl" object ls --bucket media-out --prefix sdk_test/clip.mp4/ | sed 's/^/    /' >&2

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
echo "    $URL" >&2
# Every playlist and segment the URL leads to, fetched with the token; then ffmpeg reads the stream through.
segments=0
for variant in $(curl -fsS "$URL" | grep -v '^#'); do
  for segment in $(curl -fsS "$MEDIACTL_ENDPOINT$variant" | sed -n 's/.*URI="\([^"]*\)".*/\1/p; /^[^#]/p'); do
    curl -fsS -o /dev/null "$MEDIACTL_ENDPOINT$segment"
    segments=$((segments + 1))
  done
done
echo "    fetched the master playlist, its variants and $segments segments with the token" >&2
code=$(curl -s -o /dev/null -w '%{http_code}' "${URL%&token=*}")
echo "    without the token: HTTP $code" >&2
# Debian's ffmpeg 5.1 checks segment extensions; `.fmp4` (the service's name) needs -extension_picky 0.
ffprobe -v error -extension_picky 0 -show_entries stream=codec_name,width,height -of compact=p=0 "$URL" | grep . | sort -u | sed 's/^/    ffprobe: /' >&2

step "6. The whole lab in one command: mediactl publish"
show "mediactl publish clip.mp4 --bucket media-in --destination-bucket media-out --output-prefix one --create-channel"
PLAY=$("$mediactl" publish "$video" --bucket media-in --destination-bucket media-out --output-prefix one --create-channel)
ffmpeg -v error -nostdin -extension_picky 0 -i "$PLAY" -f null - && echo "    ffmpeg played it through" >&2
show "mediactl publish clip.mp4 ...   # again: every step is already done, only a new token"
"$mediactl" publish "$video" --bucket media-in --destination-bucket media-out --output-prefix one --create-channel -q >/dev/null

# A routed session, an archive started and stopped, and a client token, on one video platform.
record_archive() {
  export MEDIACTL_VIDEO_PLATFORM="$1"
  show "MEDIACTL_VIDEO_PLATFORM=$1 mediactl session create --media-mode routed --output id"
  SESSION=$("$mediactl" session create --media-mode routed --output id)
  echo "    session: $SESSION" >&2
  show "mediactl archive start --session-id \$SESSION --name lab-demo --output id"
  ARCHIVE=$("$mediactl" archive start --session-id "$SESSION" --name lab-demo --output id)
  echo "    archive: $ARCHIVE" >&2
  show "mediactl archive stop \$ARCHIVE"
  "$mediactl" archive stop "$ARCHIVE" | sed 's/^/    /' >&2
  show "mediactl token --session-id \$SESSION --role moderator"
  TOKEN=$("$mediactl" token --session-id "$SESSION" --role moderator)
  echo "    token: a JWT of ${#TOKEN} characters (not shown: it grants access)" >&2
}

step "7. Video session recording (archive start/stop) with OpenTok credentials (API key + secret)"
record_archive opentok
step "8. The same with Vonage Video credentials (application ID + private key)"
record_archive vonage

echo "lab demo finished in $(( $(date +%s) - started )) s" >&2
step "A playable stream (HLS; VLC, Safari or hls.js; ffplay needs -extension_picky 0)"
echo "$PLAY"
if [ -t 0 ] && [ -t 2 ]; then
  printf '    The emulator serves it until you press Enter.' >&2
  read -r _
fi
step "Stopping the emulator"
"$mediactl" emulator stop
