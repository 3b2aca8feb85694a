#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Qt, QtWebEngine and the test keychain need.
# Only as root on Debian or Ubuntu, and only what is missing; elsewhere it says what to do.
set -euo pipefail

purpose=${1:-run}
qt_libs="libnss3 libasound2 libgbm1 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1 libdbus-1-3
  fontconfig fonts-dejavu-core"
keychain="gnome-keyring dbus dbus-x11 libsecret-tools"

wanted=$qt_libs
[ "$purpose" = test ] && wanted="$wanted $keychain"

if [ ! -f /etc/debian_version ]; then
  echo "install-system-deps: not Debian/Ubuntu; see README.md for macOS and Windows." >&2
  exit 0
fi

# Some libraries were renamed with a "t64" suffix (libasound2 -> libasound2t64 on Ubuntu
# 24.04 and Debian 13); either name installed is enough. dpkg-query fails for a name the
# system has never heard of, which is expected here, so each name is asked on its own.
installed() {
  local name status
  for name in "$1" "${1}t64"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$name" 2>/dev/null) || continue
    [ "$status" = installed ] && return 0
  done
  return 1
}

missing=()
for pkg in $wanted; do
  installed "$pkg" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

# The name this system's archive has: the t64 one where it exists.
resolved=()
for pkg in "${missing[@]}"; do
  if apt-cache show "${pkg}t64" >/dev/null 2>&1; then resolved+=("${pkg}t64");
  else resolved+=("$pkg"); fi
done

if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps: missing Debian packages: ${resolved[*]}" >&2
  echo "  install them with: sudo apt-get install ${resolved[*]}" >&2
  exit 0
fi

echo "install-system-deps: installing ${resolved[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${resolved[@]}" >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${resolved[@]}" >/dev/null
}
