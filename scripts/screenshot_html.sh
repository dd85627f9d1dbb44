#!/usr/bin/env bash
# Render an acvnum HTML report in headless Chromium: save a screenshot and the rendered DOM,
# and fail when the page logs an error, asks for a network resource, or shows no chart.
#   scripts/screenshot_html.sh REPORT.html SHOT.png [--install]
# --install first installs Debian's chromium and chromium-driver when chromium is absent
# (needs root and apt). Writes SHOT.png and SHOT.dom.html; exit 3 when there is no browser.
set -euo pipefail
report="$(realpath "$1")"
shot="$(realpath -m "$2")"
dom="${shot%.png}.dom.html"
browser="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$browser" && "${3:-}" == "--install" ]]; then
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if [[ ! -x "$browser" ]]; then
    echo "screenshot_html: $browser not found (pass --install, or set CHROMIUM)" >&2
    exit 3
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile"
    --enable-logging=stderr --v=0)
rm -f "$shot" "$dom"
"$browser" "${flags[@]}" --screenshot="$shot" --window-size=1200,2400 "file://$report" \
    2>"$profile/shot.log" || { cat "$profile/shot.log" >&2; exit 1; }
"$browser" "${flags[@]}" --dump-dom "file://$report" >"$dom" 2>"$profile/dom.log" \
    || { cat "$profile/dom.log" >&2; exit 1; }
problems=$(grep -hE 'CONSOLE|Uncaught|net::ERR_' "$profile/shot.log" "$profile/dom.log" || true)
if [[ -n "$problems" ]]; then
    echo "screenshot_html: the page reported errors:" >&2
    echo "$problems" >&2
    exit 1
fi
if [[ ! -s "$shot" ]]; then
    echo "screenshot_html: no screenshot written" >&2
    exit 1
fi
charts=$(grep -o '<svg class="chart"' "$dom" | wc -l)
if [[ "$charts" -lt 3 ]]; then
    echo "screenshot_html: the rendered page shows $charts chart(s), expected 3 per service" >&2
    exit 1
fi
echo "$shot ($charts charts)"
