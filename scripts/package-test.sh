#!/usr/bin/env bash
# The package test: builds the packages (scripts/package.sh --configuration debug), checks the tarball, installs
# the .deb on this machine with dpkg, uses what it installed the way a user would (both binaries from /usr/bin,
# `man -w`, completion in bash, zsh and fish, a request to the installed emulator), removes and purges it, and
# checks every installed file is gone. Leaves the machine as it found it, even on failure (trap), and refuses to
# run where a mediactl package or files at its paths are already installed. Needs root or sudo.
# Ends with "N passed, N failed"; exits 1 when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

# The report goes to fd 3, the test's own stdout: a signal's trap can run inside a command whose stdout is a log file.
exec 3>&1
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok: $*" >&3; }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&3; }
finish() { echo "$passed passed, $failed failed" >&3; [ "$failed" -eq 0 ]; exit $?; }
# check DESCRIPTION COMMAND...: passes when the command succeeds; its output is shown when it does not.
check() {
  local description="$1" out; shift
  if out="$("$@" 2>&1)"; then pass "$description"; else fail "$description"; printf '%s\n' "$out" | sed 's/^/    /'; fi
}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else
    fail "installing a .deb needs root or passwordless sudo"; finish; fi
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/mediactl-package-test.XXXXXX")"
installed=0
emulator_state="$work/emulator"
cleanup() {
  # The installed emulator, if a check left it running, then the package itself.
  [ -x /usr/bin/mediactl ] && [ "$installed" = 1 ] && \
    HOME="$work/home" /usr/bin/mediactl emulator stop --state-dir "$emulator_state" >/dev/null 2>&1
  if [ "$installed" = 1 ] && dpkg-query -W -f='${Status}' mediactl 2>/dev/null | grep -qv "not-installed"; then
    echo "cleanup: purging the mediactl package this test installed" >&3
    dpkg_locked --purge mediactl >/dev/null || echo "cleanup: dpkg --purge mediactl failed: remove it by hand" >&3
  fi
  rm -rf "$work"
}
trap cleanup EXIT
interrupted() { fail "interrupted by SIG$1"; echo "$passed passed, $failed failed" >&3; exit "$2"; }
trap 'interrupted INT 130' INT
trap 'interrupted TERM 143' TERM

# dpkg with the same arguments again while another dpkg or apt holds the lock (other builds share the machine).
dpkg_locked() {
  local out attempt
  for attempt in $(seq 1 60); do
    if out="$($SUDO dpkg "$@" 2>&1)"; then printf '%s\n' "$out"; return 0; fi
    case "$out" in *"lock"*) sleep 2 ;; *) printf '%s\n' "$out" >&2; return 1 ;; esac
  done
  printf '%s\n' "$out" >&2; return 1
}

# ---- the machine must not already have a mediactl package or files where it installs them ----
paths=(/usr/bin/mediactl /usr/bin/mediactl-emulator /usr/share/man/man1/mediactl.1.gz
  /usr/share/bash-completion/completions/mediactl /usr/share/zsh/vendor-completions/_mediactl
  /usr/share/fish/vendor_completions.d/mediactl.fish /usr/share/doc/mediactl)
status="$(dpkg-query -W -f='${Status}' mediactl 2>/dev/null || true)"
if [ -n "$status" ] && [ "$status" != "unknown ok not-installed" ] && [ "$status" != "deinstall ok not-installed" ]; then
  fail "a mediactl package is already on this machine ($status): the test will not replace it"; finish
fi
for path in "${paths[@]}"; do
  [ -e "$path" ] && { fail "$path already exists: the test will not overwrite it"; finish; }
done

# ---- build ----
echo "building the packages (debug, static Swift runtime, .build-package)..."
if ! scripts/package.sh --configuration debug --output "$work/dist" > "$work/paths" 2> "$work/package.log"; then
  fail "scripts/package.sh --configuration debug"; tail -20 "$work/package.log" | sed 's/^/    /'; finish
fi
tarball="$(sed -n 1p "$work/paths")"
deb="$(sed -n 2p "$work/paths")"
pass "scripts/package.sh made $(basename "$tarball") and $(basename "$deb")"
version="$(dpkg-deb -f "$deb" Version)"

# ---- the tarball: a prefix tree whose binaries run from anywhere ----
top="mediactl-$version-linux-$(uname -m)"
check "tarball is named after the binary's version and the machine" test "$(basename "$tarball")" = "$top.tar.gz"
listing="$(tar -tzf "$tarball")"
for entry in bin/mediactl bin/mediactl-emulator share/man/man1/mediactl.1 share/bash-completion/completions/mediactl \
  share/zsh/site-functions/_mediactl share/fish/vendor_completions.d/mediactl.fish \
  share/doc/mediactl/THIRD_PARTY_NOTICES share/doc/mediactl/COPYING; do
  check "tarball has $entry" grep -qx "$top/$entry" <<<"$listing"
done
mkdir -p "$work/prefix"
tar -xzf "$tarball" -C "$work/prefix" --strip-components=1
check "the tarball's mediactl runs: mediactl $version" test "$("$work/prefix/bin/mediactl" --version 2>&1)" = "mediactl $version"
notices="$work/prefix/share/doc/mediactl/THIRD_PARTY_NOTICES"
for name in "GNU readline" libcurl "OpenSSL 3" "Runtime Library Exception" ICU hummingbird swift-nio GRDB; do
  check "the licence notes name $name" grep -qi "$name" "$notices"
done

# ---- the .deb's metadata ----
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
for needed in libc6 libssl3 libreadline8 libsqlite3-0 "libcurl4 (>= "; do
  check "Depends names $needed" grep -qF "$needed" <<<"$depends"
done
# Packed relocations (Package.swift) need glibc 2.36 (GLIBC_ABI_DT_RELR), which no symbol of mediactl's says.
if objdump -p "$work/prefix/bin/mediactl" | grep GLIBC_ABI_DT_RELR >/dev/null; then  # no -q: pipefail, SIGPIPE
  check "mediactl needs GLIBC_ABI_DT_RELR, so Depends says libc6 (>= 2.36) or later" \
    bash -c 'v=$(grep -o "libc6 (>= [^)]*)" <<<"$1" | sed "s/.*>= //; s/)//") && dpkg --compare-versions "$v" ge 2.36' _ "$depends"
fi
check "Recommends ffmpeg" test "$(dpkg-deb -f "$deb" Recommends)" = "ffmpeg"
contents="$(dpkg-deb -c "$deb")"
check "every file in the .deb is owned by root:root" test -z "$(awk '$2 != "root/root"' <<<"$contents")"
files=()
while read -r path; do files+=("$path"); done < <(awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' <<<"$contents")
expected=(/usr/bin/mediactl /usr/bin/mediactl-emulator /usr/share/bash-completion/completions/mediactl
  /usr/share/doc/mediactl/copyright /usr/share/fish/vendor_completions.d/mediactl.fish
  /usr/share/man/man1/mediactl.1.gz /usr/share/zsh/vendor-completions/_mediactl)
check "the .deb holds exactly the expected files" \
  test "$(printf '%s\n' "${files[@]}" | sort)" = "$(printf '%s\n' "${expected[@]}" | sort)"

# ---- install ----
# Minimal Debian images tell dpkg to drop man pages and docs (path-exclude in /etc/dpkg/dpkg.cfg.d/). There a user
# gets no man page from any package; say so, and include ours explicitly so the checks below still mean something.
# dpkg then also needs each excluded parent folder included, or it cannot create the file.
filters="$(cat /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/* 2>/dev/null \
  | sed -n 's/^[[:space:]]*\(path-exclude\|path-include\)[[:space:]=]*\(.*\)$/\1 \2/p')"
excluded() {  # path: dpkg's last matching filter wins
  local kind pattern result=1
  while read -r kind pattern; do
    # shellcheck disable=SC2053 # the pattern is a glob, as dpkg reads it (fnmatch: * matches /)
    [[ -n "$pattern" && "$1" == $pattern ]] && { [ "$kind" = path-exclude ] && result=0 || result=1; }
  done <<<"$filters"
  return $result
}
include=()
for path in "${files[@]}"; do
  excluded "$path" || continue
  echo "note: this machine's dpkg configuration excludes $path (a minimal image?): installing it with --path-include"
  parent="${path%/*}" parents=()
  while [ -n "$parent" ]; do excluded "$parent" && parents=("--path-include=$parent" "${parents[@]}"); parent="${parent%/*}"; done
  include+=("${parents[@]}" "--path-include=$path")
done
installed=1
if dpkg_locked "${include[@]}" -i "$deb" > "$work/dpkg-i.log"; then pass "dpkg -i $(basename "$deb")"; else
  fail "dpkg -i $(basename "$deb")"; finish; fi
check "dpkg says mediactl $version is installed" \
  test "$(dpkg-query -W -f='${Status} ${Version}' mediactl)" = "install ok installed $version"
for path in "${files[@]}"; do check "installed $path" test -f "$path"; done

# ---- use it as a user would: a clean environment, /usr/bin on PATH, nothing from this checkout ----
mkdir -p "$work/home"
user_env=(env -i "PATH=/usr/bin:/bin" "HOME=$work/home" "XDG_CONFIG_HOME=$work/home/.config"
  "XDG_STATE_HOME=$work/home/.state" "XDG_DATA_HOME=$work/home/.local/share" "TERM=dumb" "LANG=C.UTF-8")
check "mediactl is found on PATH in /usr/bin" test "$("${user_env[@]}" bash -c 'command -v mediactl')" = /usr/bin/mediactl
check "mediactl --version says mediactl $version" test "$("${user_env[@]}" mediactl --version 2>&1)" = "mediactl $version"
check "mediactl-emulator --version says mediactl-emulator $version" \
  test "$("${user_env[@]}" mediactl-emulator --version 2>&1)" = "mediactl-emulator $version"
check "man -w mediactl finds /usr/share/man/man1/mediactl.1.gz" \
  test "$("${user_env[@]}" man -w mediactl 2>&1)" = /usr/share/man/man1/mediactl.1.gz
check "man renders the page (NAME mediactl)" \
  bash -c '"$@" MANPAGER=cat MANWIDTH=80 man mediactl 2>&1 | grep -q "^ *mediactl"' _ "${user_env[@]}"

# bash: an interactive shell with bash-completion, which loads the completion from its installed file on demand
# (the package puts it where __load_completion looks); then the completion function, driven as bash would.
bash_complete() {  # words...: prints the candidates for the last word
  "${user_env[@]}" bash --norc --noprofile -i -c '
    . /usr/share/bash-completion/bash_completion || exit 2
    complete -p mediactl >/dev/null 2>&1 && { echo "completion was loaded before asking: not from its file" >&2; exit 3; }
    __load_completion mediactl || { echo "bash-completion found no completion file for mediactl" >&2; exit 4; }
    spec=$(complete -p mediactl) || exit 5
    function=$(sed -n "s/.*-F \([^ ]*\) .*/\1/p" <<<"$spec")
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    "$function" mediactl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' bash "$@" 2>"$work/bash.err"
}
bash_completes() {  # wanted words...
  local wanted="$1" got; shift
  got="$(bash_complete "$@")"
  grep -qxF -- "$wanted" <<<"$got" || { echo "candidates: ${got//$'\n'/ }"; cat "$work/bash.err"; return 1; }
}
check "bash completes 'mediactl jo' to job" bash_completes job mediactl jo
check "bash completes 'mediactl job ru' to run" bash_completes run mediactl job ru
check "bash completes 'mediactl job run --wa' to --wait" bash_completes --wait mediactl job run --wa
# zsh: compinit finds _mediactl on Debian's default $fpath (vendor-completions) and binds it to mediactl.
check "zsh's compinit binds mediactl to _mediactl from /usr/share/zsh/vendor-completions" \
  test "$("${user_env[@]}" zsh -f -c 'autoload -U compinit && compinit -u -d "$HOME/.zcompdump" && print -r -- "${_comps[mediactl]}"' 2>&1)" = _mediactl
# fish: completions autoload from vendor_completions.d.
check "fish completes 'mediactl jo' to job" \
  bash -c '"$@" fish -c "complete -C \"mediactl jo\"" 2>&1 | cut -f1 | grep -qx job' _ "${user_env[@]}"

# The installed pair together: mediactl starts the mediactl-emulator next to it in /usr/bin and makes a signed
# request to it over loopback (libcurl is loaded then: the dependency the linker cannot see).
ocid="$("${user_env[@]}" bash -c 'set -e; eval "$(mediactl emulator start --state-dir "$1" --simulate-media)"
  mediactl workflow build --output id' _ "$emulator_state" 2>"$work/emulator.err")"
if [[ "$ocid" == ocid1.* ]]; then
  pass "eval \"\$(mediactl emulator start)\" and mediactl workflow build against it: $ocid"
else
  fail "eval \"\$(mediactl emulator start)\" and mediactl workflow build against it (got '$ocid')"
  sed 's/^/    /' "$work/emulator.err"
fi
check "mediactl emulator stop" "${user_env[@]}" mediactl emulator stop --state-dir "$emulator_state"

# ---- remove, purge, and nothing left behind ----
check "dpkg -r mediactl" dpkg_locked -r mediactl
check "dpkg --purge mediactl" dpkg_locked --purge mediactl
installed=0
status="$(dpkg-query -W -f='${Status}' mediactl 2>/dev/null || true)"
check "dpkg no longer knows mediactl as installed (status '${status:-none}')" \
  bash -c '[ -z "$1" ] || [[ "$1" == *not-installed ]]' _ "$status"
for path in "${paths[@]}"; do check "removed $path" test ! -e "$path"; done
check "mediactl is no longer on PATH" bash -c '! PATH=/usr/bin:/bin command -v mediactl'

finish
