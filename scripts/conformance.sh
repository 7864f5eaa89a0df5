#!/usr/bin/env bash
# The conformance suite (Tests/conformance): the official SDKs, pinned in requirements.txt, judge the
# requests mediactl sends and the answers mediactl-emulator gives. Makes its venv from PyPI on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${CONFORMANCE_VENV:-$PWD/.build/conformance-venv}"
req=Tests/conformance/requirements.txt
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$req" "$venv/requirements.txt"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  cp "$req" "$venv/requirements.txt"
fi
if [ -z "${MEDIACTL_BIN_DIR:-}" ]; then
  swift build >/dev/null
  MEDIACTL_BIN_DIR="$(swift build --show-bin-path)"
  export MEDIACTL_BIN_DIR
fi
cd Tests/conformance
exec "$venv/bin/python" -m pytest "$@"
