#!/usr/bin/env bash
# Packages mediactl for installation: builds mediactl and mediactl-emulator with the static Swift runtime
# (in .build-package, so the everyday .build is never disturbed) and makes, in dist/ (or --output DIR):
#   mediactl-<version>-linux-<arch>.tar.gz   bin/, share/man, share/<shell completions>, share/doc (licence notes);
#                                            unpack into a prefix: tar -xzf ... -C /usr/local --strip-components=1
#   mediactl_<version>_<debian arch>.deb     /usr/bin, man page, completions, copyright; Depends computed
#                                            from the binaries (dpkg-shlibdeps) plus libcurl, which is dlopen()ed
# Prints the two paths on stdout (progress goes to stderr). Needs dpkg-dev (dpkg-shlibdeps), binutils and git.
#
#   scripts/package.sh [--configuration release|debug] [--output DIR] [--no-strip]
#
# --configuration debug is for CI (scripts/package-test.sh): the same package from a much quicker build.
set -Eeuo pipefail
# set -e stops silently; say where.
trap 'echo "package.sh: line $LINENO: a command failed (exit $?)" >&2' ERR
cd "$(dirname "$0")/.."
root="$PWD"

usage() { echo "usage: scripts/package.sh [--configuration release|debug] [--output DIR] [--no-strip]" >&2; }
configuration=release
output="$root/dist"
strip_debug=1
while [ $# -gt 0 ]; do
  case "$1" in
    --configuration|-c)
      [ $# -ge 2 ] || { echo "package.sh: --configuration needs a value: release or debug" >&2; exit 64; }
      configuration="$2"; shift 2 ;;
    --configuration=*) configuration="${1#*=}"; shift ;;
    --output)
      [ $# -ge 2 ] || { echo "package.sh: --output needs a directory" >&2; exit 64; }
      output="$2"; shift 2 ;;
    --output=*) output="${1#*=}"; shift ;;
    --no-strip) strip_debug=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "package.sh: unknown argument '$1'" >&2; usage; exit 64 ;;
  esac
done
case "$configuration" in
  release|debug) ;;
  *) echo "package.sh: --configuration is '$configuration': expected release or debug" >&2; exit 64 ;;
esac
for tool in dpkg-deb dpkg-shlibdeps dpkg-query strip objdump gzip tar git; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
mkdir -p "$output"
output="$(cd "$output" && pwd)"

# Its own scratch path: the static runtime is a different build from the one the tests use.
scratch="$root/.build-package"
echo "package.sh: swift build -c $configuration --static-swift-stdlib (in .build-package)" >&2
swift build -c "$configuration" --static-swift-stdlib --scratch-path "$scratch" \
  --product mediactl >&2
swift build -c "$configuration" --static-swift-stdlib --scratch-path "$scratch" \
  --product mediactl-emulator >&2
bin="$(swift build -c "$configuration" --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)"

# The version is the binary's own (MediaKitVersion.string), so the package can never disagree with it.
version="$("$bin/mediactl" --version)"
version="${version#mediactl }"
emulator_version="$("$bin/mediactl-emulator" --version)"
emulator_version="${emulator_version#mediactl-emulator }"
[[ "$version" =~ ^[0-9][0-9A-Za-z.+~-]*$ ]] || { echo "package.sh: mediactl --version gave '$version', not a version" >&2; exit 1; }
[ "$version" = "$emulator_version" ] || { echo "package.sh: mediactl is $version but mediactl-emulator is $emulator_version" >&2; exit 1; }
# Small downloads from release builds; quick ones from debug builds (xz takes minutes on their 150 MB).
if [ "$configuration" = release ]; then gzip_level=9 deb_compression=(-Zxz); else gzip_level=1 deb_compression=(-Zgzip -z1); fi
machine="$(uname -m)"
deb_arch="$(dpkg --print-architecture)"
# Reproducible archives: every file dated at the last commit.
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
export SOURCE_DATE_EPOCH

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# ---- licence notes (one text, used by both packages) ----
swift_licence="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/share/swift/LICENSE.txt"
notices="$work/THIRD_PARTY_NOTICES"
{
  cat <<EOF
mediactl $version: third-party software in these binaries
==========================================================

mediactl's repository has no licence file of its own. The mediactl binary links GNU readline, which is
GPL-3.0-or-later, so mediactl as distributed here is covered by the GNU GPL version 3 (COPYING in the
tarball, /usr/share/common-licenses/GPL-3 on Debian).

Linked dynamically (installed by their own Debian packages, under their own licences; see
/usr/share/doc/<package>/copyright):
  GNU readline 8       GPL-3.0-or-later                                   mediactl (line editing at prompts)
  libcurl 4            curl licence (MIT/X derivative)                    both; loaded with dlopen() at the first request
  OpenSSL 3            Apache-2.0                                         both (signing, hashing)
  SQLite 3             public domain                                      mediactl-emulator (its state, via GRDB)
  ffmpeg (optional)    LGPL-2.1-or-later / GPL-2.0-or-later               run as a separate program by the emulator

Linked statically:
  Swift runtime, standard library and Foundation    Apache-2.0 with the Runtime Library Exception (text below)
  ICU, as swift-foundation-icu (Foundation's        Unicode License v3 (the ICU licence); the Swift toolchain
    internationalisation, in mediactl-emulator)     ships no copy of its text: see
                                                    https://github.com/apple/swift-foundation-icu/blob/main/LICENSE
EOF
  echo
  echo "Swift packages resolved for mediactl-emulator (mediactl itself links none of them; not every module"
  echo "of every package is linked). Each licence text follows."
  for dir in "$scratch"/checkouts/*/; do
    name="$(basename "$dir")"
    tag="$(git -C "$dir" describe --tags --exact-match 2>/dev/null || git -C "$dir" rev-parse --short HEAD)"
    printf '  %-36s %s\n' "$name" "$tag"
  done
  echo
  if [ -f "$swift_licence" ]; then
    echo "---- Swift runtime and Foundation ($swift_licence) ----"
    cat "$swift_licence"
    echo
  else
    echo "package.sh: warning: the toolchain's LICENSE.txt is not at $swift_licence" >&2
  fi
  for dir in "$scratch"/checkouts/*/; do
    licence="$(find "$dir" -maxdepth 1 -type f \( -iname 'LICENSE*' -o -iname 'COPYING*' \) | sort | sed -n 1p)"
    [ -n "$licence" ] || { echo "package.sh: warning: no licence file in $(basename "$dir")" >&2; continue; }
    echo "---- $(basename "$dir") ($(basename "$licence")) ----"
    cat "$licence"
    echo
  done
} > "$notices"

# ---- the staged files, shared by both packages ----
stage_binaries() {  # $1: destination directory
  install -d -m 755 "$1"
  install -m 755 "$bin/mediactl" "$bin/mediactl-emulator" "$1/"
  # Debug information only (function names stay, for backtraces); Debian's dh_strip does the same.
  if [ "$strip_debug" = 1 ]; then strip --strip-debug "$1/mediactl" "$1/mediactl-emulator"; fi
}
stage_completions() {  # $1: share directory; $2: zsh completion folder under it
  install -D -m 644 completions/mediactl.bash "$1/bash-completion/completions/mediactl"
  install -D -m 644 completions/mediactl.zsh "$1/$2/_mediactl"
  install -D -m 644 completions/mediactl.fish "$1/fish/vendor_completions.d/mediactl.fish"
}

# ---- tarball: a prefix tree ----
name="mediactl-$version-linux-$machine"
tree="$work/$name"
stage_binaries "$tree/bin"
install -D -m 644 docs/mediactl.1 "$tree/share/man/man1/mediactl.1"
stage_completions "$tree/share" zsh/site-functions
install -d -m 755 "$tree/share/doc/mediactl"
install -m 644 "$notices" "$tree/share/doc/mediactl/THIRD_PARTY_NOTICES"
install -m 644 /usr/share/common-licenses/GPL-3 "$tree/share/doc/mediactl/COPYING"
install -m 644 README.md "$tree/share/doc/mediactl/README.md"
tarball="$output/$name.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  -C "$work" -cf - "$name" | gzip "-${gzip_level}n" > "$tarball.tmp"
mv "$tarball.tmp" "$tarball"

# ---- Debian package ----
deb="$work/deb"
stage_binaries "$deb/usr/bin"
install -d -m 755 "$deb/usr/share/man/man1"
gzip -9n < docs/mediactl.1 > "$deb/usr/share/man/man1/mediactl.1.gz"
chmod 644 "$deb/usr/share/man/man1/mediactl.1.gz"
# Debian's zsh has vendor-completions on its $fpath; site-functions is for the local administrator.
stage_completions "$deb/usr/share" zsh/vendor-completions
install -d -m 755 "$deb/usr/share/doc/mediactl"
{
  cat <<EOF
mediactl $version

mediactl's repository has no licence file of its own. The mediactl binary links GNU readline
(GPL-3.0-or-later), so this package is distributed under the GNU General Public License version 3;
its text is in /usr/share/common-licenses/GPL-3.

EOF
  cat "$notices"
} > "$deb/usr/share/doc/mediactl/copyright"
chmod 644 "$deb/usr/share/doc/mediactl/copyright"

# Depends: what the binaries link (dpkg-shlibdeps reads their NEEDED entries and the libraries' symbols
# files), plus libcurl, which Sources/CCurl/loader.c dlopen()s so the linker never sees it.
mkdir -p "$work/shlibs/debian"
printf 'Source: mediactl\n\nPackage: mediactl\nArchitecture: any\n' > "$work/shlibs/debian/control"
linked="$(cd "$work/shlibs" && dpkg-shlibdeps -O "$deb/usr/bin/mediactl" "$deb/usr/bin/mediactl-emulator" 2>"$work/shlibdeps.err")" || {
  cat "$work/shlibdeps.err" >&2; echo "package.sh: dpkg-shlibdeps failed" >&2; exit 1; }
linked="${linked#shlibs:Depends=}"
# dpkg-shlibdeps counts the symbols a binary uses, not glibc version nodes it needs without a symbol: mediactl's
# packed relocations (Package.swift) need GLIBC_ABI_DT_RELR, glibc 2.36, while its symbols alone say 2.35.
libc_symbols="/var/lib/dpkg/info/libc6:$deb_arch.symbols"
if [ -f "$libc_symbols" ]; then
  libc_minimum=""
  for node in $(objdump -p "$deb/usr/bin/mediactl" "$deb/usr/bin/mediactl-emulator" \
      | awk '/^  required from libc\.so\.6:/ { f = 1; next } /^  required from/ { f = 0 } f && NF == 4 { print $4 }' | sort -u); do
    since="$(awk -v s="$node@$node" '$1 == s { print $2; exit }' "$libc_symbols")"
    [ -n "$since" ] || continue
    if [ -z "$libc_minimum" ] || dpkg --compare-versions "$since" gt "$libc_minimum"; then libc_minimum="$since"; fi
  done
  listed="$(grep -o 'libc6 (>= [^)]*)' <<<"$linked" | sed 's/libc6 (>= \(.*\))/\1/')"
  if [ -n "$libc_minimum" ] && [ -n "$listed" ] && dpkg --compare-versions "$libc_minimum" gt "$listed"; then
    linked="${linked/libc6 (>= $listed)/libc6 (>= $libc_minimum)}"
  fi
fi
multiarch="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)"
# awk reads all of ldconfig's output (no early exit): under pipefail, ldconfig killed by SIGPIPE would fail the script.
curl_library="$(ldconfig -p | awk -v dir="/$multiarch/" '$1 == "libcurl.so.4" && index($NF, dir) && found == "" { found = $NF } END { print found }')"
[ -n "$curl_library" ] || { echo "package.sh: libcurl.so.4 not found (ldconfig -p): install libcurl4" >&2; exit 1; }
curl_package="$( { dpkg-query -S "$(readlink -f "$curl_library")" 2>/dev/null || dpkg-query -S "$curl_library" 2>/dev/null || true; } \
  | sed -n 1p | cut -d: -f1)"
[ -n "$curl_package" ] || { echo "package.sh: no installed package owns $curl_library" >&2; exit 1; }
# The oldest libcurl with every function the loader resolves, from the package's symbols file.
curl_minimum=""
symbols="/var/lib/dpkg/info/$curl_package:$deb_arch.symbols"
[ -f "$symbols" ] || symbols="/var/lib/dpkg/info/$curl_package.symbols"
if [ -f "$symbols" ]; then
  for function in $(grep -o 'X(curl_[a-z_]*)' Sources/CCurl/loader.c | sed 's/^X(\(.*\))$/\1/'); do
    since="$(awk -v f="$function" 'index($1, f "@") == 1 { print $2; exit }' "$symbols")"
    [ -n "$since" ] || { echo "package.sh: $function is not in $symbols" >&2; exit 1; }
    if [ -z "$curl_minimum" ] || dpkg --compare-versions "$since" gt "$curl_minimum"; then curl_minimum="$since"; fi
  done
else
  echo "package.sh: warning: no symbols file for $curl_package; Depends names it without a version" >&2
fi
depends="$linked, $curl_package${curl_minimum:+ (>= $curl_minimum)}"

install -d -m 755 "$deb/DEBIAN"
cat > "$deb/DEBIAN/control" <<EOF
Package: mediactl
Version: $version
Architecture: $deb_arch
Maintainer: mediactl maintainers <maintainers@users.noreply.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$deb" | cut -f1)
Depends: $depends
Recommends: ffmpeg
Section: utils
Priority: optional
Description: OCI Media Services and OpenTok / Vonage Video from the command line
 mediactl runs OCI Media Flow workflows and jobs, Media Streams channels, CDN and packaging
 configurations, ingest, session tokens and playback URLs, and the OpenTok / Vonage Video server API,
 with JSON output and meaningful exit codes for scripts.
 .
 mediactl-emulator is a local Media Services, Media Streams and OpenTok server for offline work and
 CI; with ffmpeg installed it transcodes for real.
EOF
debfile="$output/mediactl_${version}_$deb_arch.deb"
# --root-owner-group: every file root:root, whoever builds it (no fakeroot needed).
dpkg-deb --root-owner-group "${deb_compression[@]}" --build "$deb" "$debfile.tmp" >&2
mv "$debfile.tmp" "$debfile"

echo "package.sh: Depends: $depends" >&2
echo "$tarball"
echo "$debfile"
