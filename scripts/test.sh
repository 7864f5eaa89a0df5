#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test (unit, loopback HTTP, the built binary),
# then the conformance suite, where the official SDKs judge mediactl's requests and the emulator's answers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"
MEDIACTL_BIN_DIR="$(swift build --show-bin-path)" scripts/conformance.sh
scripts/package-test.sh
