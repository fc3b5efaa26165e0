#!/usr/bin/env bash
# Renders resources/icons/redwire.svg into the committed PNGs (hicolor sizes), the Windows .ico and
# the macOS .icns. Run by hand after editing the SVG and commit the results: the build never renders.
# Needs rsvg-convert (Debian: librsvg2-bin) and python3.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
res="$(dirname "$here")"
command -v rsvg-convert >/dev/null || { echo "render-icons: needs rsvg-convert (apt-get install librsvg2-bin)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for size in 16 22 24 32 48 64 128 256 512; do
    mkdir -p "$here/hicolor/${size}x${size}/apps"
    rsvg-convert -w "$size" -h "$size" "$here/redwire.svg" -o "$here/hicolor/${size}x${size}/apps/redwire.png"
    cp "$here/hicolor/${size}x${size}/apps/redwire.png" "$tmp/redwire-$size.png"
done
rsvg-convert -w 1024 -h 1024 "$here/redwire.svg" -o "$tmp/redwire-1024.png"
python3 "$here/make-icon-containers.py" "$tmp" "$res/windows/redwire.ico" "$res/macos/redwire.icns"
echo "render-icons: done"
