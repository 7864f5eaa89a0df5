#!/usr/bin/env bash
# Installs the Debian packages mediactl builds and tests with, when any is missing (needs root or sudo).
set -euo pipefail
# openssl (the command) makes the instance-principal tests' X.509 certificates at test time.
# python3-venv makes the conformance suite's venv (the official SDKs from PyPI, Tests/conformance).
# zsh, fish and bash-completion are for the tests that ask real shells for completions.
# ffmpeg (with ffprobe) is the emulator's media engine: its real jobs and their tests need it.
# dpkg-dev (dpkg-shlibdeps) and binutils (strip) make the packages; man-db is for the package test's `man -w`.
packages=(python3 python3-venv libcurl4-openssl-dev libssl-dev libreadline-dev pkg-config openssl libsqlite3-dev curl zsh fish bash-completion ffmpeg dpkg-dev binutils man-db)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
