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

missing=()
for pkg in $wanted; do
  # libasound2 became libasound2t64 on newer Ubuntu; either satisfies Qt.
  dpkg-query -W -f='${Status}' "$pkg" "${pkg}t64" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "  install them with: sudo apt-get install ${missing[*]}" >&2
  exit 0
fi

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
resolved=()
for pkg in "${missing[@]}"; do
  if apt-cache show "$pkg" >/dev/null 2>&1; then resolved+=("$pkg");
  elif apt-cache show "${pkg}t64" >/dev/null 2>&1; then resolved+=("${pkg}t64");
  else resolved+=("$pkg"); fi
done
apt-get install -y -q --no-install-recommends "${resolved[@]}" >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${resolved[@]}" >/dev/null
}
