#!/usr/bin/env bash
# Regenerate the pictures in docs/ that show what acvnum prints:
#   docs/report-pdf-page1.png  the HTML report of examples/ecommerce.yaml printed to PDF by
#                              headless Chromium (A4), first page, via pdftoppm (poppler-utils)
#   docs/terminal-80.svg       the text report in an 80-column terminal (rich's SVG export)
# Needs chromium and poppler-utils (Debian packages) for the first; run from the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(date +%s)}" \
    acvnum estimate examples/ecommerce.yaml --format html --output "$work/report.html"
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$work/report.pdf" "file://$work/report.html" 2>/dev/null
pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$work/report.pdf" docs/report-pdf-page1
python - <<'PY'
import io

from rich.console import Console
from rich.text import Text

from acvnum.assessment import Settings, assess
from acvnum.commands.levers_options import DEFAULT_LEVERS
from acvnum.report import text

# what `COLUMNS=80 acvnum estimate examples/ecommerce.yaml` prints, in colour
# (tests/report/test_text.py holds this picture and the README's example to that output)
services = assess(["examples/ecommerce.yaml"], Settings(levers=DEFAULT_LEVERS)).services()
report = text.render(services, "en", color=True, width=80)
console = Console(
    record=True, width=80, force_terminal=True, color_system="standard", file=io.StringIO()
)
console.print(Text.from_ansi(report))
console.save_svg("docs/terminal-80.svg", title="COLUMNS=80 acvnum estimate examples/ecommerce.yaml")
PY
echo "wrote docs/report-pdf-page1.png and docs/terminal-80.svg"
