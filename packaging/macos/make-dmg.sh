#!/usr/bin/env bash
# Put dist/Vidu Desktop.app (from `python packaging/build.py` on macOS) into a compressed disk
# image with an Applications shortcut to drag it onto.
#   packaging/macos/make-dmg.sh VERSION   ->  dist/vidu-desktop-VERSION-macos-ARCH.dmg
# The app is only ad-hoc signed: without a Developer ID and notarisation, Gatekeeper asks the
# user to allow it (right-click > Open) the first time.
set -euo pipefail
version=${1:?usage: make-dmg.sh VERSION}
cd "$(dirname "$0")/../.."
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
ditto "dist/Vidu Desktop.app" "$stage/Vidu Desktop.app"   # ditto keeps symlinks and signatures
ln -s /Applications "$stage/Applications"
hdiutil create -volname "Vidu Desktop" -srcfolder "$stage" -fs HFS+ -format UDZO -ov \
  "dist/vidu-desktop-$version-macos-$(uname -m).dmg"
