#!/usr/bin/env bash
# Run a command the way CI runs the tests: a throwaway HOME, a private D-Bus session with an
# unlocked gnome-keyring (a real Secret Service), and an Xvfb display. Nothing here touches
# the user's real keyring, settings or screen.
set -euo pipefail
if [ -z "${VIDU_HEADLESS_INNER:-}" ]; then
  export VIDU_HEADLESS_INNER=1
  repo=$(cd "$(dirname "$0")/.." && pwd)
  export VIDU_TEST_ARTIFACTS="${VIDU_TEST_ARTIFACTS:-$repo/test-artifacts}"
  mkdir -p "$VIDU_TEST_ARTIFACTS"
  scratch=$(mktemp -d /tmp/vidu-headless.XXXXXX)
  trap 'rm -rf "$scratch"' EXIT
  export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run"
  export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
  export XDG_CACHE_HOME="$HOME/.cache" XDG_STATE_HOME="$HOME/.local/state"
  mkdir -p "$HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
  unset NOVITA_API_KEY NOVITA_API_BASE_URL DISPLAY WAYLAND_DISPLAY
  dbus-run-session -- xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" "$0" "$@"
  exit $?
fi
# A non-empty password: with an empty one the login collection cannot be created.
printf 'vidu-test-keyring' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
export VIDU_REQUIRE_KEYRING=1
"$@"
