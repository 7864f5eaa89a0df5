#!/usr/bin/env bash
# The emulator's transcode task against the same ffmpeg command run by hand on the same file: the overhead of
# running media for real inside the emulator (job bookkeeping, ffprobe, process start) should be close to zero.
#
# Makes a 30 s 1280x720 30 fps H.264/AAC test video, stores it in a fresh emulator's object store, runs the lab
# workflow (ladder 360p + 720p, 6 s segments) RUNS times, reads each job's transcode task time and the exact
# ffmpeg command from the task's lifecycleDetails, and runs that command by hand as often, in a directory laid
# out like the job's work directory, interleaved with the jobs so both see the same machine load.
#   RUNS=3 SECONDS_LONG=30 SIZE=1280x720 CONFIGURATION=release bench/transcode-overhead.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3} SECONDS_LONG=${SECONDS_LONG:-30} SIZE=${SIZE:-1280x720} CONFIGURATION=${CONFIGURATION:-release}
scripts/install-deps.sh
if [ "$CONFIGURATION" = release ]; then
  swift build -c release --static-swift-stdlib --product mediactl --product mediactl-emulator >/dev/null
else
  swift build --product mediactl --product mediactl-emulator >/dev/null
fi
bin=.build/$CONFIGURATION
work=$(mktemp -d)
state="$work/state"
mkdir -p "$state"
"$bin/mediactl-emulator" serve --state "$state" >"$state/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$state/endpoint" ] && break; sleep 0.1; done
grep -q "jobs run with" "$state/log" || { echo "the emulator does not run media for real (is ffmpeg installed?):" >&2; cat "$state/log" >&2; exit 1; }
export MEDIACTL_ENDPOINT=$(cat "$state/endpoint") OCI_CLI_CONFIG_FILE="$state/oci_config" OCI_CLI_PROFILE=EMULATOR \
       MEDIACTL_COMPARTMENT_ID=ocid1.compartment.oc1..aaaaaaaabench MEDIACTL_NAMESPACE=bench

python3 - "$bin/mediactl" "$work" "$state" "$RUNS" "$SECONDS_LONG" "$SIZE" <<'PY'
import base64, hashlib, json, os, re, shutil, statistics, subprocess, sys, time, uuid
mediactl, work, state, runs, seconds, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]

clip = os.path.join(work, "clip.mp4")
subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440", "-t", seconds, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", clip],
               check=True)

def put_object(namespace, bucket, name, path):
    # The emulator's ObjectStore layout (Sources/EmulatorCore/ObjectStore.swift): bytes at sha256(name), metadata beside.
    # `mediactl object put` replaces this once Object Storage has its routes.
    folder = os.path.join(state, "objects", namespace, bucket)
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, hashlib.sha256(name.encode()).hexdigest())
    shutil.copyfile(path, target)
    data = open(target, "rb").read()
    meta = {"name": name, "size": str(len(data)), "md5": base64.b64encode(hashlib.md5(data).digest()).decode(),
            "etag": str(uuid.uuid4()), "contentType": "video/mp4", "timeCreated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "metadata": {}}
    open(target + ".json", "w").write(json.dumps(meta))

put_object("bench", "media-in", "clip.mp4", clip)
os.makedirs(os.path.join(state, "objects", "bench", "media-out"), exist_ok=True)

definition = json.loads(subprocess.run([mediactl, "workflow", "template"], capture_output=True, text=True, check=True).stdout)
for task in definition["tasks"]:
    if task["key"] == "transcode":
        st = task["parameters"]["standardTranscode"]
        st["ladder"] = [{"size": {"height": 360, "resizeMethod": "scale"}}, {"size": {"height": 720, "resizeMethod": "scale"}}]
        st["packaging"]["segmentLength"] = 6
wf_file = os.path.join(work, "workflow.json")
json.dump(definition, open(wf_file, "w"))
wf = subprocess.run([mediactl, "workflow", "build", "-f", wf_file, "-o", "id"], capture_output=True, text=True, check=True).stdout.strip()

# The job's work directory held the input at getFiles/clip.mp4; the hand runs use the same layout.
replay = os.path.join(work, "replay")
os.makedirs(os.path.join(replay, "getFiles"))
shutil.copyfile(clip, os.path.join(replay, "getFiles", "clip.mp4"))

def emulator_run(i):
    out = subprocess.run([mediactl, "job", "run", "--workflow-id", wf, "--source-bucket", "media-in", "--destination-bucket", "media-out",
                          "--source-video", "clip.mp4", "--output-prefix", f"run{i}", "--wait", "--timeout", "1200", "-o", "json", "-q"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("job failed: " + out.stderr.strip())
    job = json.loads(out.stdout)
    details = next(t["lifecycleDetails"] for t in job["taskLifecycleState"] if t["key"] == "transcode")
    m = re.match(r"completed in ([\d.]+) s: .*?, ffmpeg ([\d.]+) s: (.*)$", details)
    if not m:
        sys.exit("unexpected transcode details: " + details)
    return float(m.group(1)), float(m.group(2)), m.group(3)

def hand_run(command):
    for name in os.listdir(replay):
        if name.endswith((".m3u8", ".fmp4")):
            os.remove(os.path.join(replay, name))
    started = time.perf_counter()
    subprocess.run(command, shell=True, cwd=replay, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started

# Interleaved (emulator, hand, hand, emulator, ...) so both see the same machine load; pairs are compared.
task_seconds, ffmpeg_seconds, hand, command = [], [], [], None
for i in range(runs):
    if i % 2 == 0:
        t, f, command = emulator_run(i)
        h = hand_run(command)
    else:
        h = hand_run(command)
        t, f, command = emulator_run(i)
    task_seconds.append(t); ffmpeg_seconds.append(f); hand.append(h)
    print(f"run {i + 1}: emulator task {t:.3f} s (its ffmpeg {f:.3f} s), by hand {h:.3f} s", file=sys.stderr)

diffs = [t - h for t, h in zip(task_seconds, hand)]
inside = [t - f for t, f in zip(task_seconds, ffmpeg_seconds)]
h = statistics.median(hand)
print(f"Transcode of a {seconds} s {size} H.264/AAC clip into 360p + 720p HLS (fMP4, 6 s segments), {runs} interleaved pairs:\n")
print("| measured | median s | min s | max s |\n|---|---|---|---|")
for label, xs in [("emulator transcode task (ffprobe + ffmpeg + bookkeeping)", task_seconds),
                  ("ffmpeg inside the emulator's task", ffmpeg_seconds), ("same ffmpeg command by hand", hand),
                  ("task minus hand run, per pair", diffs), ("task minus its own ffmpeg, per run", inside)]:
    print(f"| {label} | {statistics.median(xs):.3f} | {min(xs):.3f} | {max(xs):.3f} |")
print(f"\nOverhead of the emulator's task over the hand run: {statistics.median(diffs):+.3f} s median per pair "
      f"({statistics.median(diffs) / h * 100:+.1f} % of the hand run); outside ffmpeg the task spends {statistics.median(inside):.3f} s.")
print(f"\nCommand (run in the job's work directory):\n\n    {command}")
PY
