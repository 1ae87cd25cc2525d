#!/usr/bin/env bash
# Renders the screenshots of the README, the user guide and the AppStream metainfo into this
# folder (or the folder given): builds tests/ui/render_screenshots if needed and runs it on a
# private X server (Xvfb, through xvfb-run), so the pictures are drawn by the real xcb platform
# at a fixed size, font and palette, whatever the desktop of the machine. `make screenshots`.
#
#   docs/screenshots/render.sh [OUTPUT_DIR]      PRESET=dev by default (build/$PRESET)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
preset=${PRESET:-dev}
build=$root/build/$preset
out=${1:-$here}

for tool in xvfb-run Xvfb xauth; do
    command -v "$tool" >/dev/null || { echo "render.sh: $tool is missing (Debian packages xvfb and xauth)" >&2; exit 1; }
done
[[ -f $build/CMakeCache.txt ]] || (cd "$root" && cmake --preset "$preset")
cmake --build "$build" --target render_screenshots -j2

# Nothing from the user's session: no style or theme override, no scaling.
env -u QT_STYLE_OVERRIDE -u QT_QPA_PLATFORMTHEME -u QT_SCALE_FACTOR -u QT_SCREEN_SCALE_FACTORS \
    QT_QPA_PLATFORM=xcb LC_ALL=C.UTF-8 TZ=UTC \
    xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$build/tests/ui/render_screenshots" --port 4567 "$out"
