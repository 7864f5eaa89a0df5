#!/usr/bin/env bash
# `archive start` + `archive stop` through mediactl, quiet: bench/compare.sh times it as one command.
# Needs MEDIACTL, SESSION (a routed session) and the emulator's OPENTOK_* environment.
set -euo pipefail
m="${MEDIACTL:?set MEDIACTL to the mediactl binary}"
id=$("$m" archive start --session-id "${SESSION:?}" --name bench -o id -q)
"$m" archive stop "$id" -o id -q
