#!/usr/bin/env bash
# The verifiers lane's programs: cosign and sigstore-go's verification
# program (the library OpenSSF Scorecard verifies release bundles with), from
# Debian's own packages in the sid suite. They are fetched with a private apt
# state and unpacked into a folder: nothing is installed on the system, and
# the machine's own apt lists are left as they are. A machine that has them
# reuses them.
#
#   scripts/verifiers-lane.sh setup   fetch what is missing, print the versions
#   scripts/verifiers-lane.sh bin     print the folder that holds the programs
#
# The Debian mirror is the one this machine's apt already uses.
# SIGN_RELEASE_VERIFIERS_ROOT moves the folder (default
# /var/cache/sign-release-verifiers). Where cosign and
# sigstore-go-verification come from elsewhere (GitHub's runners), set
# SIGN_RELEASE_VERIFIERS_BIN to the folder that holds both instead.
set -euo pipefail
# shellcheck source=scripts/debian-mirror.sh
source "$(dirname "$0")/debian-mirror.sh"
HOME_DIR="${SIGN_RELEASE_VERIFIERS_ROOT:-/var/cache/sign-release-verifiers}"
BIN="${SIGN_RELEASE_VERIFIERS_BIN:-$HOME_DIR/root/usr/bin}"
PACKAGES=(cosign sigstore-go)

have() { [ -x "$BIN/cosign" ] && [ -x "$BIN/sigstore-go-verification" ]; }

# Debian's builds report their version as "devel": the packages' versions are kept beside them.
versions() {
  local known
  known=$(cat "$HOME_DIR/versions" 2>/dev/null || echo "cosign and sigstore-go from elsewhere")
  [ -z "${SIGN_RELEASE_VERIFIERS_BIN:-}" ] || known="cosign and sigstore-go from elsewhere"
  echo "verifiers-lane: $known ($BIN)"
}

setup() {
  local started=$SECONDS
  if ! have; then
    [ -z "${SIGN_RELEASE_VERIFIERS_BIN:-}" ] || {
      echo "verifiers-lane: SIGN_RELEASE_VERIFIERS_BIN=$BIN lacks cosign or sigstore-go-verification" >&2
      exit 1
    }
    local state="$HOME_DIR/apt"
    rm -rf "$state" "$HOME_DIR/root" "$HOME_DIR/root.partial"
    mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/debs" "$HOME_DIR/root.partial"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror verifiers-lane) sid main" >"$state/sources.list"
    local apt=(apt-get -q
      -o "Dir::Etc::sourcelist=$state/sources.list" -o Dir::Etc::sourceparts=/dev/null
      -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache"
      -o Dir::State::status=/dev/null -o APT::Sandbox::User=root)
    "${apt[@]}" update >"$HOME_DIR/apt-update.log"
    (cd "$state/debs" && "${apt[@]}" download "${PACKAGES[@]}" >"$HOME_DIR/apt-download.log")
    : >"$HOME_DIR/versions.partial"
    for deb in "$state"/debs/*.deb; do
      dpkg-deb -x "$deb" "$HOME_DIR/root.partial"
      dpkg-deb --showformat='${Package} ${Version}\n' --show "$deb" >>"$HOME_DIR/versions.partial"
    done
    mv "$HOME_DIR/root.partial" "$HOME_DIR/root"
    paste -sd',' "$HOME_DIR/versions.partial" | sed 's/,/, /g' >"$HOME_DIR/versions"
    rm -rf "$state" "$HOME_DIR/versions.partial"
  fi
  have || { echo "verifiers-lane: cosign or sigstore-go-verification missing in $BIN" >&2; exit 1; }
  echo "$(versions), ready in $((SECONDS - started)) s"
}

case "${1:-}" in
  setup) setup ;;
  bin) echo "$BIN" ;;
  *)
    echo "usage: $0 setup|bin" >&2
    exit 2
    ;;
esac
