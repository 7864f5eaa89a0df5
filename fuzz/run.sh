#!/usr/bin/env bash
# Builds one libFuzzer target (MediaKit's sources compiled into it, with ASan) and runs it for a set
# time on its seed corpus. Usage: fuzz/run.sh args|config|workflow|responses SECONDS [extra libFuzzer flags]
# Crashes land in fuzz/artifacts/<target>/; the run's last stats line is printed at the end.
set -euo pipefail
target=${1:?usage: fuzz/run.sh TARGET SECONDS}
seconds=${2:-600}
shift 2 || true
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${FUZZ_BUILD_DIR:-$root/.build-fuzz}
mkdir -p "$out" "$here/artifacts/$target" "$out/corpus/$target"

sources=$(find "$root/Sources/MediaKit" -name '*.swift' | sort)
extra=()
if [ "$target" = args ]; then
    # The parser and the flag vocabulary live in the executable; they are plain values, so compile them in.
    extra=("$root/Sources/mediactl/CLI/Parser.swift" "$root/Sources/mediactl/CLI/CommandSpec.swift"
           "$root/Sources/mediactl/CLI/ExitCode.swift" "$here/ArgsStubs.swift")
fi
bin="$out/fuzz-$target"
if [ ! -x "$bin" ] || [ -n "$(find "$root/Sources" "$here" -name '*.swift' -newer "$bin" | head -1)" ]; then
    echo "building $bin" >&2
    swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name MediaKit \
        -I "$root/Sources/CCurl" -I "$root/Sources/COpenSSL" -lcurl -lssl -lcrypto \
        $sources "${extra[@]}" "$here/FuzzInput.swift" "$here/$target.swift" -o "$bin" > "$out/$target.build.log" 2>&1 \
        || { grep -E "error:" "$out/$target.build.log" >&2; exit 1; }
fi
export FUZZ_KEY="$root/Tests/MediaKitTests/Fixtures/keys/test_key.pem"
# Seeds are read from the committed corpus; new finds go to the scratch corpus, not into git.
"$bin" "$out/corpus/$target" "$here/corpus/$target" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -max_len=65536 -timeout=10 -print_final_stats=1 -artifact_prefix="$here/artifacts/$target/" "$@" 2>&1 \
    | tee "$out/$target.log" | grep -E "^#[0-9]+ +(DONE|pulse|NEW)|ERROR|SUMMARY|stat::number_of_executed_units" | tail -n 40
