#!/usr/bin/env bash
# Install an unpacked CARMM Desktop bundle for the current user (no admin rights needed):
#   tar xzf carmm-desktop-<version>-linux-x86_64.tar.gz && carmm-desktop/install-linux.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${XDG_DATA_HOME:-$HOME/.local/share}/carmm-desktop"
bin="$HOME/.local/bin"
mkdir -p "$target" "$bin" "${XDG_DATA_HOME:-$HOME/.local/share}/applications" \
  "${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps"
if [ "$here" != "$target" ]; then
  rm -rf "$target"
  cp -a "$here" "$target"
fi
ln -sf "$target/carmm-desktop" "$bin/carmm-desktop"
sed "s|^Exec=.*|Exec=$target/carmm-desktop|" "$target/_internal/resources/carmm-desktop.desktop" \
  > "${XDG_DATA_HOME:-$HOME/.local/share}/applications/carmm-desktop.desktop"
cp "$target/_internal/resources/carmm-desktop.svg" "${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps/"
echo "Installed to $target; start it from your applications menu or with: $bin/carmm-desktop"
