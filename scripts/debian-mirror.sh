#!/usr/bin/env bash
# Prints the first Debian archive this machine's apt reads (not its security
# archive): the lanes fetch Debian's packages from the mirror the machine
# already uses. Sourced by windows-lane.sh and verifiers-lane.sh.
debian_mirror() {
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -v security | sed -E 's/^URIs: *//; s/^deb (\[[^]]*\] )?//' | awk '{print $1}' | grep '/debian' | head -n 1)
  [ -n "$uri" ] || { echo "$1: no Debian archive in this machine's apt sources" >&2; exit 1; }
  echo "$uri"
}
