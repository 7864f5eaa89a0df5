#!/usr/bin/env bash
# Start-up and one signed create, measured on loopback against the local emulator:
# wall time (median/min/max of N runs) and peak RSS (/usr/bin/time). Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-20}
scripts/install-deps.sh
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
swift build -c release --static-swift-stdlib --product mediactl --product mediactl-emulator >/dev/null
B=.build/release/mediactl
state=$(mktemp -d)
.build/release/mediactl-emulator serve --simulate-media --state "$state" >"$state/log" 2>&1 &
trap 'kill $! 2>/dev/null; rm -rf "$state"' EXIT
for _ in $(seq 50); do [ -s "$state/endpoint" ] && break; sleep 0.1; done
export MEDIACTL_ENDPOINT=$(cat "$state/endpoint") OCI_CLI_CONFIG_FILE="$state/oci_config" OCI_CLI_PROFILE=EMULATOR \
       MEDIACTL_COMPARTMENT_ID=ocid1.compartment.oc1..aaaaaaaabench
python3 - "$B" "$N" <<'PY'
import subprocess, sys, time, statistics, re
b, n = sys.argv[1], int(sys.argv[2])
def measure(args):
    xs = []
    for _ in range(n):
        s = time.perf_counter(); subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        xs.append((time.perf_counter() - s) * 1000)
    rss = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, capture_output=True, text=True).stderr.strip().splitlines()[-1]
    return statistics.median(xs), min(xs), max(xs), int(rss) / 1024
print("| command | median ms | min ms | max ms | peak RSS MB |\n|---|---|---|---|---|")
for label, args in [("mediactl --version", [b, "--version"]), ("mediactl workflow build (one signed create)", [b, "workflow", "build", "-o", "id"])]:
    print("| %s | %.1f | %.1f | %.1f | %.1f |" % ((label,) + measure(args)))
PY
