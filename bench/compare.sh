#!/usr/bin/env bash
# mediactl against the tools users would otherwise pick (the OCI CLI, one-shot `oci` SDK scripts, the
# lab's Python, the opentok SDK), side by side in one run against the same local emulator. Prints one
# Markdown table (median, min, max, ratio to mediactl, peak RSS) and writes it to bench/results/<date>.md.
# Tunables: RUNS (quick commands), FLOW_RUNS (lab flow), BATCH, CONCURRENCY, BATCH_RUNS, WAIT_SECONDS,
# BENCH_SCRATCH (build folder). Ratios matter more than absolute times on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
FLOW_RUNS=${FLOW_RUNS:-5}
BATCH=${BATCH:-1000}
CONCURRENCY=${CONCURRENCY:-8}
BATCH_RUNS=${BATCH_RUNS:-3}
WAIT_SECONDS=${WAIT_SECONDS:-30}
SCRATCH=${BENCH_SCRATCH:-.build-bench}
say() { printf '==> %s\n' "$*" >&2; }

say "Installing what is missing (hyperfine, GNU time, bench/.venv with oci, oci-cli, opentok)"
scripts/install-deps.sh >&2
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -qq "${missing[@]}" >&2
fi
venv=bench/.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import oci, oci_cli, opentok' 2>/dev/null || "$venv/bin/pip" install -q -r bench/requirements.txt >&2
py="$venv/bin/python"
oci_cli="$venv/bin/oci"

say "Building mediactl and mediactl-emulator (release, $SCRATCH)"
swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --product mediactl >&2
swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --product mediactl-emulator >&2
bin=$(swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --show-bin-path)
export MEDIACTL="$bin/mediactl"
m="$MEDIACTL"

# A private HOME: nothing reads or writes the user's ~/.oci.
work=$(mktemp -d "${TMPDIR:-/tmp}/mediactl-bench.XXXXXX")
export HOME="$work" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config" CI=true \
       OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING=True SUPPRESS_LABEL_WARNING=True
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# Two emulators: jobs end at once on the first (tool overhead only), take WAIT_SECONDS on the second.
start_emulator() {
  mkdir -p "$1"
  "$bin/mediactl-emulator" serve --simulate-media --state "$1" --job-seconds "$2" >"$1/log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$1/endpoint" ] && return 0; sleep 0.1; done
  cat "$1/log" >&2; exit 1
}
say "Starting the emulators"
start_emulator "$work/fast" 0
start_emulator "$work/slow" "$WAIT_SECONDS"
use_emulator() { # shellcheck disable=SC1091
  . "$1/env"; E=$MEDIACTL_ENDPOINT; C=$MEDIACTL_COMPARTMENT_ID; CFG=$OCI_CLI_CONFIG_FILE; P=$OCI_CLI_PROFILE; }
use_emulator "$work/fast"

# The lab's workflow definition, from mediactl's template, for the OCI CLI and the Python scripts.
"$m" workflow template >"$work/workflow.json"
"$py" - "$work" <<'PY'
import json, sys
d = json.load(open(sys.argv[1] + "/workflow.json"))
json.dump(d["tasks"], open(sys.argv[1] + "/tasks.json", "w"))
json.dump(d["parameters"], open(sys.argv[1] + "/parameters.json", "w"))
PY

rows="$work/rows.tsv"
: >"$rows"
# One measure: hyperfine over NAME COMMAND pairs (no shell), then peak RSS of each (median of 3, KB).
measure() {
  local label=$1 unit=$2 runs=$3; shift 3
  local args=() cmds=() rss=()
  while [ $# -gt 0 ]; do args+=(-n "$1" "$2"); cmds+=("$2"); shift 2; done
  say "Measuring: $label"
  hyperfine -N --style basic --warmup "$([ "$runs" -ge 10 ] && echo 2 || echo 1)" --runs "$runs" \
    --export-json "$work/h.json" "${args[@]}" >&2
  for c in "${cmds[@]}"; do
    rss+=("$(for _ in 1 2 3; do /usr/bin/time -f %M -o "$work/rss" bash -c "$c" >/dev/null 2>&1; tail -n1 "$work/rss"; done | sort -n | sed -n 2p)")
  done
  "$py" bench/report.py rows "$label" "$unit" "$work/h.json" "${rss[@]}" >>"$rows"
}

measure "start-up" ms "$RUNS" \
  "mediactl --version" "$m --version" \
  "oci --version" "$oci_cli --version"

measure "one signed create (media workflow)" ms "$RUNS" \
  "mediactl workflow build" "$m workflow build -o id -q" \
  "oci media-services media-workflow create" "$oci_cli media-services media-workflow create --compartment-id $C --display-name sdk-demo --tasks file://$work/tasks.json --parameters file://$work/parameters.json --endpoint $E --config-file $CFG --profile $P --query data.id --raw-output" \
  "python oci SDK one-shot script" "$py bench/sdk_create.py $E $CFG $P $C $work/workflow.json"

measure "lab flow (jobs end at once)" ms "$FLOW_RUNS" \
  "mediactl (bench/mediactl_lab_flow.sh)" "bash bench/mediactl_lab_flow.sh" \
  "lab's Python (bench/lab_flow.py)" "$py bench/lab_flow.py $E $CFG $P $C $MEDIACTL_NAMESPACE $work/workflow.json"

if "$m" archive --help >/dev/null 2>&1 && curl -fsS "$E/_emulator/health" | grep -q '"openTok":true'; then
  SESSION=$("$m" session create --media-mode routed -o id -q); export SESSION
  measure "archive start + stop" ms "$RUNS" \
    "mediactl archive start/stop" "bash bench/mediactl_archive.sh" \
    "python opentok SDK" "$py bench/opentok_archive.py $OPENTOK_API_URL $OPENTOK_API_KEY $OPENTOK_API_SECRET $SESSION"
else
  say "archive: not measurable (no \`mediactl archive\` or no OpenTok in this emulator)"
fi

say "Measuring: $BATCH jobs from a file, $CONCURRENCY at a time"
wf=$("$m" workflow build -o id -q)
"$py" -c "
import json, sys
for i in range($BATCH):
    print(json.dumps({'video': {'srcBucket': 'media-in', 'dstBucket': 'media-out', 'namespace': '$MEDIACTL_NAMESPACE',
                                'compartmentID': '$C', 'srcVideo': 'clip%04d.mp4' % i, 'outputPrefixName': 'batch%04d' % i}}))
" >"$work/jobs.jsonl"
measure "$BATCH jobs from a file, $CONCURRENCY at a time" ms "$BATCH_RUNS" \
  "mediactl job submit --from" "$m job submit --workflow-id $wf --from $work/jobs.jsonl --concurrency $CONCURRENCY -o id -q" \
  "python oci SDK, thread pool" "$py bench/sdk_submit.py $E $CFG $P $C $wf $work/jobs.jsonl $CONCURRENCY"
# calls per second from the medians just measured
tail -n2 "$rows" | awk -F'\t' -v n="$BATCH" -v OFS='\t' '{ print "'"$BATCH"' jobs: calls per second", $2, "calls/s", sprintf("%.0f", n / ($4 / 1000)), sprintf("%.0f", n / ($6 / 1000)), sprintf("%.0f", n / ($5 / 1000)), "-" }' >>"$rows"

say "Measuring: status calls while an ingest takes $WAIT_SECONDS s"
use_emulator "$work/slow"
read -r ch _ _ < <("$m" channel build -o id -q | paste -sd' ')
wait_calls() { # LABEL COMMAND...: counts GET /mediaWorkflowJobs and times the command
  local label=$1; shift
  curl -fsS -X DELETE "$E/_emulator/stats" >/dev/null
  local start end gets
  start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
  gets=$(curl -fsS "$E/_emulator/stats" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["byCall"].get("GET /mediaWorkflowJobs", 0))')
  awk -v OFS='\t' -v l="$label" -v g="$gets" -v s="$start" -v e="$end" -v w="$WAIT_SECONDS" 'BEGIN {
    print "status calls during a " w " s ingest", l, "calls", g, g, g, "-"
    print "status calls per minute of that wait", l, "calls/min", sprintf("%.1f", g * 60 / (e - s)), "-", "-", "-"
    print "that ingest, end to end", l, "s", sprintf("%.1f", e - s), "-", "-", "-" }'
}
wait_calls "mediactl ingest" "$m" ingest --channel-id "$ch" --bucket media-out --object sdk_test/clip.mp4/run1-master.m3u8 -o id -q >>"$rows"
wait_calls "lab's Python loop (0.1 s)" "$py" bench/lab_flow.py "$E" "$CFG" "$P" "$C" "$MEDIACTL_NAMESPACE" "$work/workflow.json" --ingest-only >>"$rows"

mkdir -p bench/results
out="bench/results/$(date -u +%F).md"
{
  echo "# mediactl against the alternatives, $(date -u '+%F %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -h | awk '/^Mem:/ {print $2}') RAM;" \
       "load average at start $(cut -d' ' -f1-3 /proc/loadavg). mediactl $("$m" --version | awk '{print $2}'), $("$oci_cli" --version | sed 's/^/oci-cli /'), Python $("$py" -c 'import platform; print(platform.python_version())')."
  echo "Emulator on loopback; RUNS=$RUNS FLOW_RUNS=$FLOW_RUNS BATCH_RUNS=$BATCH_RUNS; ratio = tool median / mediactl median."
  echo
  "$py" bench/report.py table "$rows"
} >"$out"
cat "$out"
say "written to $out"
