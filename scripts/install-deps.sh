#!/usr/bin/env bash
# Installs the Debian packages `make test` and `make demo` need (the list: scripts/deps/debian-packages), only
# the missing ones. Quiet when every one is there; otherwise says exactly what it installs. Not root, or not
# Debian: stops before doing anything, naming what is missing and the command that would install it.
# Environment (for the tests of this script): AZURE_CNI_OS_RELEASE, the os-release file (default /etc/os-release).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list=$here/deps/debian-packages
os_release=${AZURE_CNI_OS_RELEASE:-/etc/os-release}

mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$list")
install_command="apt-get install -y --no-install-recommends"

is_debian() {
  [ -r "$os_release" ] || return 1
  local id id_like
  id=$(sed -n 's/^ID=//p' "$os_release" | tr -d '"')
  id_like=$(sed -n 's/^ID_LIKE=//p' "$os_release" | tr -d '"')
  [ "$id" = debian ] || [[ " $id_like " == *" debian "* ]]
}

stop() { # reason missing...
  local reason=$1; shift
  echo "install-deps: $reason" >&2
  if [ $# -gt 0 ]; then
    echo "install-deps: missing Debian packages: $*" >&2
    echo "install-deps: to install them, as root: apt-get update && $install_command $*" >&2
  else
    echo "install-deps: every package of scripts/deps/debian-packages is installed" >&2
  fi
  command -v dotnet >/dev/null || echo "install-deps: also missing: the .NET 10 SDK (dotnet)" >&2
  exit 1
}

if ! is_debian || ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  stop "not a Debian system (no Debian $os_release, dpkg-query or apt-get): install the equivalents of these by hand" "${packages[@]}"
fi

# One dpkg-query for the whole list; a package it does not know prints nothing (and an error we drop).
declare -A installed=()
while read -r package status; do
  [ "$status" = installed ] && installed[$package]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null || true)
missing=()
for package in "${packages[@]}"; do
  [ -n "${installed[$package]:-}" ] || missing+=("$package")
done

if [ "$(id -u)" != 0 ]; then
  stop "needs root (the tests and the demo build network namespaces; installing packages needs it too)" ${missing[@]+"${missing[@]}"}
fi
command -v dotnet >/dev/null || { echo "install-deps: the .NET 10 SDK (dotnet) is missing: it is not a Debian 12 package; install it first" >&2; exit 1; }
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${#missing[@]} missing Debian package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_log=$(mktemp)
trap 'rm -f "$apt_log"' EXIT
# apt's own chatter (debconf notes) only when it fails.
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
  cat "$apt_log" >&2
  echo "install-deps: apt-get failed (above)" >&2
  exit 1
fi
echo "install-deps: installed ${missing[*]}"
