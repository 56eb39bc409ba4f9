#!/usr/bin/env bash
# Install the system libraries Qt 6 (PySide6 wheels) needs on Debian/Ubuntu, if any are missing.
#   tools/system-deps.sh offscreen   what tests need (QT_QPA_PLATFORM=offscreen)
#   tools/system-deps.sh gui         a real window (xcb), plus Xvfb for screenshots
# As root or with sudo it installs them with apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

mode="${1:-offscreen}"
offscreen=(libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0 fonts-dejavu-core)
xcb=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-render0
     libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0 libxcb-randr0 libxcb-xfixes0 libxcb-sync1
     libxcb-shm0 libxcb-xinerama0 libx11-xcb1 xvfb xauth)
case "$mode" in
  offscreen) wanted=("${offscreen[@]}") ;;
  gui) wanted=("${offscreen[@]}" "${xcb[@]}") ;;
  *) echo "usage: $0 offscreen|gui" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  if [ "$(uname -s)" = "Linux" ]; then
    echo "system-deps: not a Debian/Ubuntu system; make sure Qt 6's runtime libraries are installed:" >&2
    echo "  EGL, OpenGL, fontconfig, freetype, xkbcommon, glib, dbus (and xcb-cursor for a window)." >&2
  fi
  exit 0
fi

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  # Ubuntu 24.04 renamed some libraries with a t64 suffix.
  [ "$status" = "install ok installed" ] || status=$(dpkg-query -W -f='${Status}' "${package}t64" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

command_line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "system-deps: Qt needs these system packages, which are missing:" >&2
  echo "  sudo apt-get update && sudo $command_line" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null || true
if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "system-deps: apt-get failed; run: sudo apt-get update && sudo $command_line" >&2
  exit 1
fi
