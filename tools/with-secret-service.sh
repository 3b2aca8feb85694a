#!/usr/bin/env bash
# Runs a command with a real, unlocked Secret Service (gnome-keyring) on a private session
# bus and a throw-away keyring, so tests never touch the developer's own keychain.
set -euo pipefail

if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-secret-service: no dbus-run-session/gnome-keyring-daemon;" \
       "keychain tests against the Secret Service will be skipped." >&2
  exec "$@"
fi

if [ -z "${O365DESK_IN_TEST_BUS:-}" ]; then
  export O365DESK_IN_TEST_BUS=1
  exec dbus-run-session -- "$0" "$@"
fi

keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/o365desk-keyring-XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT
# The daemon keeps its keyring under XDG_DATA_HOME; a fresh one is created and unlocked
# with this throw-away password.
printf %s o365desk-test | HOME="$keyring_home" XDG_DATA_HOME="$keyring_home" \
  gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null
export O365DESK_REQUIRE_SECRET_SERVICE=1
"$@"
