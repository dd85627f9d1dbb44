"""The terminal report (rich): as wide as the terminal (or COLUMNS), laid out for 80 columns
and up, and the same piped or with NO_COLOR.

A summary first (the three flagship figures, the warnings right under them, impacts, tiers
and phases, boundaries, the levers in words); what backs it (each lever's figures per
criterion, the assumptions, the bibliography) only with `details`. A portfolio is its
ranking and totals, one line per service, and each service's report only with `details`.
Bars use a distinct character per tier/phase so they stay legible without colour.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from acvnum.analysis.found import Assessed, Found
from acvnum.analysis.portfolio import build
from acvnum.calculation.results import ServiceResult, Uncertainty
from acvnum.escaping import terminal, terminal_line
from acvnum.i18n import Translator
from acvnum.reference.criteria import CRITERION_IDS
from acvnum.report import (
    blocks_section,
    coverage_section,
    lever_words,
    levers_section,
    portfolio_section,
    uncertainty_section,
)
from acvnum.report.common import (
    BOUNDARY_COLUMNS,
    IMPACT_COLUMNS,
    assumption_path,
    bibliography_entry,
    boundary_ids,
    boundary_rows,
    breakdown_labels,
    cited,
    factors_footer,
    flagship,
    impact_rows,
    population_note,
    readable_all,
    shares,
    source_cell,
    summary_line,
)
from acvnum.report.tables import rich_table

#: The report is laid out for this width and up; wider than MAX_WIDTH, lines get hard to
#: read and no table needs more.
MIN_WIDTH = 80
MAX_WIDTH = 120
#: Narrower than this, every table wraps whatever we do: the report keeps its 80-column form.
NARROWEST = 40
BAR_WIDTH = 40
#: (character, colour) per breakdown part, in order.
_GLYPHS = (("█", "cyan"), ("▒", "magenta"), ("░", "yellow"))


def report_width(environ: os._Environ[str] | dict[str, str] | None = None) -> int:
    """COLUMNS when set, else the terminal's width, else 80; at most MAX_WIDTH."""
    environ = os.environ if environ is None else environ
    columns = environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    else:
        width = shutil.get_terminal_size((MIN_WIDTH, 24)).columns
    return min(MAX_WIDTH, width if width >= NARROWEST else MIN_WIDTH)


def bar_width(width: int, t: Translator, labels: dict[str, str], narrow: bool | None = None) -> int:
    """The bars take what the criterion and percentage columns leave (10 to 40 cells).

    The percentage headers are measured as `_breakdown` lays them out: wrapped when
    `narrow`, by default below UNIT_COLUMN ('Data centre' takes 11 cells on one line, 6 on
    two)."""
    names = CRITERION_WIDTH  # the criterion column's minimum width, and where names wrap
    narrow = width < UNIT_COLUMN if narrow is None else narrow
    cells = [_header_cell(label, narrow).split("\n") for label in labels.values()]
    headers = sum(max(6, *map(len, lines)) for lines in cells)
    padding = 2 * (len(labels) + 2) + 4  # cell padding, the edges and a margin rich keeps
    return max(10, min(BAR_WIDTH, width - names - headers - padding))


def _bar(parts: dict[str, float], width: int = BAR_WIDTH) -> Text:
    """A stacked bar of the parts' shares; rounding never loses or adds a cell."""
    text, used, cumulative = Text(), 0, 0.0
    for (glyph, colour), share in zip(_GLYPHS, shares(parts).values(), strict=False):
        cumulative += share
        cells = round(cumulative * width) - used
        text.append(glyph * cells, style=colour)
        used += cells
    return text


def _legend(labels: dict[str, str]) -> Text:
    text = Text()
    for (glyph, colour), label in zip(_GLYPHS, labels.values(), strict=False):
        text.append(f"{glyph}{glyph} ", style=colour).append(f"{label}   ")
    return text


def _header(result: ServiceResult, t: Translator) -> RenderableType:
    f = flagship(result, t)
    lines = Text()
    lines.append(t.label(t("flagship.energy_per_visit")), style="bold").append(
        f"{f.energy_per_visit}\n"
    )
    lines.append(t.label(t("flagship.climate_per_visit")), style="bold").append(
        f"{f.climate_per_visit}\n"
    )
    lines.append(t.label(t("flagship.persons_equivalent")), style="bold")
    lines.append(
        t("flagship.persons_equivalent_value", value=f.persons_equivalent, criterion=f.dominant)
    )
    if result.functional_unit:
        lines.append("\n").append(t.label(t("flagship.functional_unit")), style="bold")
        lines.append(result.functional_unit)
    subtitle = summary_line(result, t)
    title = result.name + (f" — {result.description}" if result.description else "")
    return Panel(
        lines,
        title=Text(title, style="bold"),
        subtitle=Text(subtitle),  # a Text: rich reads a str as markup, emoji codes loaded
        box=box.ROUNDED,
        title_align="left",
        subtitle_align="left",
    )


#: Narrower than this, the impacts table shows each unit under its criterion, not beside it.
UNIT_COLUMN = 100
#: A criterion's name wraps only beyond this many characters ('Ressources minérales et
#: métaux' does at 80 columns).
CRITERION_WIDTH = 22


def _header_cell(text: str, narrow: bool) -> str:
    """A column header; narrow, on lines of about 10 characters (never splitting a word),
    so that the figures, not the header, set the column's width."""
    if not narrow:
        return text
    longest = max(len(word) for word in text.split())
    return "\n".join(textwrap.wrap(text, max(10, longest)))


def _impacts(result: ServiceResult, t: Translator, width: int) -> Fitted:
    """Units beside the criteria from UNIT_COLUMN on, under them narrower or when the
    headers (French ones are longer) leave no room beside; stacked when even that does not
    fit (see _fitting)."""
    rows = impact_rows(result, t)
    return _fitting(
        width,
        *([lambda: _impacts_table(rows, t, beside=True)] if width >= UNIT_COLUMN else []),
        lambda: _impacts_table(rows, t, beside=False),
        lambda: _stacked(
            t("section.impacts"),
            [t(f"column.{key}") for key in IMPACT_COLUMNS[2:]],
            [(_named(criterion, unit), figures) for criterion, unit, *figures in rows],
        ),
    )


def _impacts_table(rows: list[list[str]], t: Translator, beside: bool) -> Table:
    table = Table(title=t("section.impacts"), box=box.SIMPLE_HEAD, title_justify="left")
    for i, key in enumerate(IMPACT_COLUMNS):
        if key == "unit" and not beside:
            continue
        figures = key not in ("criterion", "unit")
        # Figures never wrap (their column is as wide as the longest); a long criterion
        # name wraps only below CRITERION_WIDTH.
        longest = max(len(row[i]) for row in rows)
        table.add_column(
            _header_cell(t(f"column.{key}"), not beside and figures),
            justify="right" if figures else "left",
            min_width=longest if figures else min(longest, CRITERION_WIDTH),
        )
    for criterion, unit, *figures in rows:
        table.add_row(
            criterion if beside else _named(criterion, unit), *([unit] if beside else []), *figures
        )
    return table


def _named(criterion: str, unit: str) -> Text:
    """A criterion's name with its unit under it, dimmed."""
    return Text(criterion).append("\n" + unit, style="dim")


def _fitted(table: Table, width: int) -> Fitted | None:
    """`table` laid out as a `width`-column report prints it, if it fits: every line within
    the width, every word of its cells whole (see _words_of).

    A table asked for more than the width holds (its columns' min_width, cells that may not
    wrap, headers longer in French) is laid out wider all the same, and the console then
    crops every line it prints: the last columns vanish, header and figures, without a word.
    Rendered here without the crop, such a table has a line longer than the width with
    more than spaces and rules beyond it (a table's edge, its last padding and the end of
    its header's rule, which the crop loses harmlessly)."""
    console = console_for(io.StringIO(), False, width)
    options = _printed(console)
    segments = list(console.render(table, options))
    lines = []
    for line in Segment.split_lines(segments):
        shown = "".join(segment.text for segment in line)
        if cell_len(shown) > width and shown[len(set_cell_size(shown, width)) :].strip(" ─"):
            return None
        lines.append(shown)
    if _words_of(table) - Counter("\n".join(lines).split()):
        return None
    return Fitted(table, segments, options)


def _printed(console: Console) -> ConsoleOptions:
    """The options `console.print` lays a renderable out with (rich's Console.print)."""
    return console.options.update(
        justify=None, overflow=None, height=None, no_wrap=None, markup=None, highlight=None
    )


class Fitted:
    """A table chosen by _fitting, with the lines its fit was checked on: printed with the
    same options (a report's width), those lines are printed, not laid out again (the check
    and the print were each half of a text report's time). Anywhere else (another width, a
    narrower place in a group) it is laid out anew."""

    def __init__(
        self,
        table: Table,
        segments: list[Segment] | None = None,
        options: ConsoleOptions | None = None,
    ) -> None:
        self.table = table
        self._segments = segments
        self._key = None if options is None else _layout_key(options)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self._segments is not None and _layout_key(options) == self._key:
            yield from self._segments
        else:
            yield self.table

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.table)


def _layout_key(options: ConsoleOptions) -> dict[str, object]:
    """What a layout depends on: the options but whether the output is a terminal (which
    only decides the styles' codes, written after the layout)."""
    return {name: value for name, value in vars(options).items() if name != "is_terminal"}


def _words_of(table: Table) -> Counter[str]:
    """Every word of `table`'s title, caption, headers and cells, as rich will show them
    (no-break spaces held, see _HOLD).

    A table asked for more than the width holds may also be laid out within it: rich then
    narrows every column, shortening cells that may not wrap ('3.75' shown '3…'), folding
    words and dropping the narrowest columns altogether. Each of these loses a word, which
    the rendered table then lacks (the title and caption count too, so that a word of theirs
    never stands for a cell's)."""
    words: Counter[str] = Counter()
    texts = [table.title, table.caption]
    texts += [cell for column in table.columns for cell in (column.header, *column.cells)]
    for text in texts:
        plain = text.plain if isinstance(text, Text) else text if isinstance(text, str) else ""
        words.update(plain.translate(_HOLD).split())
    return words


def _fitting(width: int, *layouts: Callable[[], Table]) -> Fitted:
    """The first of `layouts` (the widest first) that fits `width`, else the last, which
    must fit any width a report is laid out for: no figure is ever cropped."""
    for layout in layouts[:-1]:
        fitted = _fitted(layout(), width)
        if fitted is not None:
            return fitted
    return Fitted(layouts[-1]())


def _stacked(
    title: str,
    headers: list[str],
    rows: list[tuple[RenderableType, list[str]]],
    caption: RenderableType | None = None,
    beside: list[RenderableType] | None = None,
) -> Table:
    """A table too wide for the width, turned on its side: each row a block, its label
    (with `beside` it, a bar) then one line per figure, under its column's header. Labels
    and headers wrap, figures never do: it fits any width a report is laid out for."""
    table = Table(
        title=title,
        caption=caption,
        box=None,
        show_header=False,
        title_justify="left",
        caption_justify="left",
        padding=(0, 1, 0, 2),
    )
    table.add_column()
    table.add_column(justify="right", no_wrap=True)
    for i, (label, figures) in enumerate(rows):
        if i:
            table.add_row()  # a blank line between blocks
        table.add_row(label, beside[i] if beside else None)
        for header, figure in zip(headers, figures, strict=True):
            table.add_row("  " + header, figure)
    return table


def _coverage(result: ServiceResult, t: Translator) -> Table | None:
    """The criteria with activities lacking a factor, under the impacts they qualify."""
    return _coverage_table(coverage_section.lines(result, t), t)


def _section_grid(title: str, **options: Any) -> Table:
    """A section's lines as a borderless grid under its title, flush left: the layout the
    coverage, what-if, top levers and bibliography sections share."""
    return Table(title=title, title_justify="left", box=None, show_header=False, **options)


def _coverage_table(found: list[str], t: Translator) -> Table | None:
    if not found:
        return None
    table = _section_grid(t("section.coverage"), padding=(0, 1, 0, 2))
    table.add_column(overflow="fold")
    for line in found:
        table.add_row(line)
    return table


def _breakdown(result: ServiceResult, t: Translator, attribute: str, width: int) -> Fitted:
    """Each criterion's bar and its shares; the headers wrap below UNIT_COLUMN, or when they
    leave no room for the bars' narrowest; stacked when even that does not fit."""
    tiers, phases = breakdown_labels(t)
    labels = tiers if attribute == "by_tier" else phases
    title = t("section.by_tier") if attribute == "by_tier" else t("section.by_phase")
    rows = []
    for cid in CRITERION_IDS:
        parts = getattr(result.criteria[cid], attribute)
        percents = [t.percent(share) for share in shares(parts).values()]
        rows.append((t(f"criterion.{cid}"), parts, percents))

    def table(narrow: bool) -> Table:
        bars = bar_width(width, t, labels, narrow)
        grid = Table(
            title=title,
            caption=_legend(labels),
            box=box.SIMPLE_HEAD,
            title_justify="left",
            caption_justify="left",
        )
        grid.add_column(t("column.criterion"), min_width=CRITERION_WIDTH)
        grid.add_column("", width=bars, no_wrap=True)
        for label in labels.values():
            grid.add_column(_header_cell(label, narrow), justify="right")
        for name, parts, percents in rows:
            grid.add_row(name, _bar(parts, bars), *percents)
        return grid

    return _fitting(
        width,
        *([lambda: table(narrow=False)] if width >= UNIT_COLUMN else []),
        lambda: table(narrow=True),
        lambda: _stacked(
            title,
            list(labels.values()),
            [(name, percents) for name, _, percents in rows],
            caption=_legend(labels),
            beside=[_bar(parts, 10) for _, parts, _ in rows],
        ),
    )


def _blocks(result: ServiceResult, t: Translator) -> Table | None:
    """The optional blocks' shares turned: criteria as rows and blocks as columns, as six
    criterion names side by side do not fit in 80 columns and three block names do."""
    layout = blocks_section.table(result, t)
    if layout is None:
        return None
    header, rows = layout
    turned = [[header[i + 1], *(row[i + 1] for row in rows)] for i in range(len(CRITERION_IDS))]
    columns = [t("column.criterion"), *(row[0] for row in rows)]
    return rich_table(t("section.blocks"), (columns, turned), {0}, t("blocks.caption"))


def _boundaries(result: ServiceResult, t: Translator, width: int) -> Fitted:
    """Narrower than UNIT_COLUMN, or when the headers leave no room, each unit goes under its
    criterion, as in the impacts; stacked when even that does not fit."""
    named = [
        (_named(criterion, t.unit(result.criteria[cid].unit)), figures)
        for cid, (criterion, boundary, *figures) in zip(
            boundary_ids(result), boundary_rows(result, t), strict=True
        )
    ]
    per_person = [
        t.number(result.criteria[cid].boundary.per_person_year) for cid in boundary_ids(result)
    ]

    def table(beside: bool) -> Table:
        grid = Table(
            title=t("section.boundaries"),
            caption=population_note(result, t),
            box=box.SIMPLE_HEAD,
            title_justify="left",
            caption_justify="left",
        )
        for key in BOUNDARY_COLUMNS:
            left = key == "criterion"
            grid.add_column(
                _header_cell(t(f"column.{key}"), not beside and not left),
                justify="left" if left else "right",
                min_width=CRITERION_WIDTH if left else None,
            )
        if beside:
            for row in boundary_rows(result, t):
                grid.add_row(*row)
        else:
            for (name, figures), number in zip(named, per_person, strict=True):
                grid.add_row(name, number, *figures)
        return grid

    return _fitting(
        width,
        *([lambda: table(beside=True)] if width >= UNIT_COLUMN else []),
        lambda: table(beside=False),
        lambda: _stacked(
            t("section.boundaries"),
            [t(f"column.{key}") for key in BOUNDARY_COLUMNS[1:]],
            [
                (name, [number, *figures])
                for (name, figures), number in zip(named, per_person, strict=True)
            ],
            caption=population_note(result, t),
        ),
    )


def _assumptions(result: ServiceResult, t: Translator, width: int = MIN_WIDTH) -> Table:
    """Path, value, status and source of every value used. The path column takes what the
    others leave, so that no column is ever asked for more than the width holds (rich would
    then crop the last one, '[Boavizta-PCF' losing its bracket): values wrap within
    VALUE_WIDTH, each source key keeps its line, a path breaks before its dots."""
    rows = [
        (
            assumption_path(a, t),
            t.value(a.value),
            t(f"status.{a.status}"),
            a.status,
            source_cell(a.source, t),
        )
        for a in result.assumptions
    ]
    headers = [t(f"column.{key}") for key in ("value_path", "value", "status", "source")]
    status = max(len(headers[2]), *(len(row[2]) for row in rows))
    key = max(len(headers[3]), *(len(word) for row in rows for word in row[4].split()))
    key = min(key, KEY_WIDTH)
    value = min(VALUE_WIDTH, max(len(headers[1]), *(len(row[1]) for row in rows)))
    room = width - _FRAME  # what the four columns' text may take
    # the path as wide as it was laid out for (24 at 80 columns, one more per column), less
    # when the others need it; the source takes the rest
    fair = _PATH_WIDTH + width - MIN_WIDTH
    path_width = max(len(headers[0]), min(fair, room - status - key - value))
    paths = [path_lines(row[0], path_width) for row in rows]
    widest = max(len(headers[0]), *(len(line) for p in paths for line in p.split("\n")))
    widest = min(widest, path_width)  # a key longer than the column folds
    whole = max(len(headers[3]), *(len(row[4]) for row in rows))
    sources = min(whole, room - status - value - widest)  # takes the rest
    table = Table(
        title=t("section.assumptions"),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption=t("assumptions.caption"),
        caption_justify="left",
    )
    # every width set: rich has nothing to negotiate, and shrinks no column below its need
    table.add_column(headers[0], overflow="fold", width=widest)
    table.add_column(headers[1], overflow="fold", width=value)
    table.add_column(headers[2], no_wrap=True, width=status)
    table.add_column(headers[3], overflow="fold", width=sources)
    for path, (_, shown, said, kind, source) in zip(paths, rows, strict=True):
        style = "yellow" if kind == "default" else ""
        table.add_row(path, shown, Text(said, style=style), source)
    return table


#: What a four-column SIMPLE_HEAD table takes besides its text: an edge on each side, a
#: space either side of each cell and a separator between cells (2 + 8 + 3).
_FRAME = 13
#: The assumptions' value column at most: a range ('2 MB..4 MB (central 2.83 MB)') wraps.
VALUE_WIDTH = 22
#: A source key up to this long keeps its line ('[Hyperscaler-10K]'); a user's own source
#: text wraps at its spaces, and a word longer than this folds.
KEY_WIDTH = 20
#: The assumptions' path column at 80 columns (the default of `path_lines`).
_PATH_WIDTH = 24


def path_lines(path: str, width: int = _PATH_WIDTH) -> str:
    """A dotted path broken before its dots to fit the column ('hosting.servers[0]' then
    '.lifetime'), not in the middle of a key as a fold would; a key longer than the column
    still folds."""
    lines: list[str] = []
    for part in re.split(r"(?=\.)", path):
        if lines and len(lines[-1]) + len(part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return "\n".join(lines)


def _warnings(keys: list[str], t: Translator) -> RenderableType | None:
    if not keys:
        return None
    lines = Text()
    for key in keys:
        lines.append("! ", style="bold yellow").append(t(key) + "\n")
    lines.rstrip()
    return Panel(lines, title=Text(t("section.warnings")), title_align="left", box=box.ROUNDED)


def _footer(result: ServiceResult, t: Translator) -> Text:
    text = Text(factors_footer(result, t), style="dim")
    if result.user_factors:
        text.append(
            "\n" + t("footer.user_factors", ids=", ".join(result.user_factors)), style="dim"
        )
    return text


#: From this width on, the levers' figures table has room for the levers' titles.
TITLED_LEVERS = 110
#: Below this width the levers' figures are one space apart (two from it on).
NARROW_LEVERS = 90


def _levers(found: Found, t: Translator, width: int) -> RenderableType | None:
    """Ranked levers (persons-eq. saved, variation per criterion), then what each changes
    technically; narrower than TITLED_LEVERS the titles go with the changes (the summary
    above names them too), so the figures keep one line per lever; stacked (one block per
    lever, a figure per line) when even one space between the eight criteria leaves no room
    for every figure whole (rich would shorten them, '3…', or drop the first columns)."""
    if not found.levers:
        return None
    titled = width >= TITLED_LEVERS
    rows = levers_section.lever_rows(found, t)
    criteria = levers_section.criterion_headers(t)

    def table() -> Table:
        grid = Table(
            title=t("section.levers"),
            box=box.SIMPLE_HEAD,
            title_justify="left",
            pad_edge=False,
            collapse_padding=True,
            # eight criteria side by side need the narrow gaps below 90 columns
            padding=(0, 1) if width >= NARROW_LEVERS else (0, 0),
        )
        grid.add_column(t("column.rank"), justify="right")
        if titled:
            grid.add_column(t("column.lever"))
        grid.add_column(t("column.pe_saved"), justify="right", max_width=11)
        for header in criteria:
            grid.add_column(header, justify="right", no_wrap=True)
        for rank, title, _, *figures in rows:
            grid.add_row(rank or "∑", *([title] if titled else []), *figures)
        return grid

    figures = _fitting(
        width,
        table,
        lambda: _stacked(
            t("section.levers"),
            [t("column.pe_saved"), *criteria],
            [(f"{rank or '∑'}  {title}", figures) for rank, title, _, *figures in rows],
        ),
    )
    changes = Table(box=None, show_header=False)
    changes.add_column(justify="right", style="dim")
    changes.add_column(overflow="fold", style="dim")
    for rank, title, change, *_ in rows:
        changes.add_row(rank or "∑", change if titled else t.label(title) + change)
    # The caption is a paragraph of its own: as a caption of the changes table it would
    # wrap at that table's width, which is narrow when only one short change is listed.
    gap = [Text()] if figures.table.box is None else []  # a table's bottom edge is blank
    return Group(figures, *gap, changes, Text(t("levers.caption")))


def _what_if(found: Found, t: Translator, width: int) -> RenderableType | None:
    """The user's --what-if: each change in words with its technical change under it (as
    the levers are said), then before, after and saving per criterion; the units under the
    criteria, or stacked (one block per criterion), when the columns leave no room for
    every name and figure whole."""
    if found.what_if is None:
        return None
    changes = _section_grid(t("section.what_if"), pad_edge=False)
    changes.add_column(no_wrap=True)
    changes.add_column(overflow="fold")
    for change in found.what_if.changes:
        said, technical = lever_words.described(change, t)
        cell = Text(terminal_line(said))  # a server's name, a value the user wrote
        if technical is not None:
            cell.append("\n" + terminal_line(technical), style="dim")
        changes.add_row("•", cell)
    pe = t("what_if.pe_saved", value=t.number(found.what_if.effect.persons_equivalent))
    header = levers_section.what_if_headers(t)
    rows = levers_section.what_if_rows(found, t)
    table = _criteria_table(None, header, rows, f"{pe}. {t('what_if.caption')}", width)
    return Group(changes, table)


def _criteria_table(
    title: str | None, header: list[str], rows: list[list[str]], caption: str, width: int
) -> Fitted:
    """Criterion, unit, then figures: as is when every name and figure fits whole, else
    the unit under the criterion, else one block per criterion (a figure per line)."""

    def table(beside: bool) -> Table:
        grid = Table(
            title=title,
            caption=caption,
            box=box.SIMPLE_HEAD,
            title_justify="left",
            caption_justify="left",
        )
        for i, name in enumerate(header):
            if i == 1 and not beside:
                continue
            grid.add_column(name, justify="left" if i < 2 else "right")
        for criterion, unit, *figures in rows:
            named = [criterion, unit] if beside else [_named(criterion, unit)]
            grid.add_row(*named, *figures)
        return grid

    return _fitting(
        width,
        lambda: table(beside=True),
        lambda: table(beside=False),
        lambda: _stacked(
            title or "",
            header[2:],
            [(_named(criterion, unit), figures) for criterion, unit, *figures in rows],
            caption=caption,
        ),
    )


def _uncertainty(
    result: ServiceResult, u: Uncertainty | None, t: Translator, width: int
) -> list[RenderableType]:
    """The flagship intervals, the ranges per criterion and per tier, then the drivers
    (empty without --uncertainty); each table stacked (one block per criterion, per
    driver) when its columns leave no room for every name, figure and id whole."""
    if u is None:
        return []
    header, rows = uncertainty_section.interval_table(result, t)
    ranges = _criteria_table(
        t("uncertainty.section"), header, rows, uncertainty_section.caption(u, t), width
    )
    title = t("uncertainty.by_tier")
    tiers = uncertainty_section.tier_table(result, t)

    def ranges_table() -> Table:
        grid = rich_table(title, tiers, {0})
        for column in grid.columns[1:]:
            column.no_wrap = True  # a range on one line: its low and high side by side
        return grid

    by_tier = _fitting(
        width,
        ranges_table,
        lambda: _stacked(title, tiers[0][1:], [(name, cells) for name, *cells in tiers[1]]),
    )
    drivers = uncertainty_section.driver_table(u, t)
    note = t("uncertainty.drivers_caption") if drivers[1] else t("uncertainty.no_drivers")
    title = t("uncertainty.drivers")
    head = drivers[0]

    def drivers_table(whole: bool) -> Table:
        grid = rich_table(title, drivers, {1, 2, 3}, note)
        grid.columns[1].no_wrap = whole  # a factor's id whole; the criterion wraps instead
        if whole:  # down to its longest word, never shortened
            grid.columns[3].min_width = max(
                len(word) for row in drivers[1] for word in row[3].split()
            )
        return grid

    driving = _fitting(
        width,
        lambda: drivers_table(whole=False),
        lambda: drivers_table(whole=True),
        # the criterion goes under the quantity, where it may wrap (as a figure it would not)
        lambda: _stacked(
            title,
            [head[2], head[4]],
            [
                (
                    Text(f"{rank}  {name}\n").append(t.label(head[3]) + criterion, "dim"),
                    [kind, rho],
                )
                for rank, name, kind, criterion, rho in drivers[1]
            ],
            caption=note,
        ),
    )
    return [
        Text("\n".join(uncertainty_section.flagship_lines(result, t))),
        ranges,
        by_tier,
        driving,
    ]


def _top_levers(found: Found, t: Translator) -> RenderableType | None:
    """The proposed levers in words: what to do, what it saves, and how."""
    if not found.levers:
        return None
    grid = _section_grid(t("section.top_levers"), pad_edge=False)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for lever in found.levers:
        cell = Text(lever.title(t.lang), style="bold")
        cell.append(" — " + levers_section.saving_words(lever, t))
        said = lever_words.sentence(lever.changes, t)  # names the servers as the user did
        cell.append("\n" + terminal_line(said), style="dim")
        grid.add_row(f"{lever.rank}.", cell)
    return grid


def _bibliography(services: list[Assessed], t: Translator) -> RenderableType | None:
    """The publications the assumptions and levers cite, once each, by key."""
    publications = cited(services)
    if not publications:
        return None
    table = _section_grid(t("section.bibliography"))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(overflow="fold")
    for source in publications:
        # a citation as the table wrote it: control characters shown as escapes ('\x1b')
        table.add_row(terminal(source.label()), terminal(bibliography_entry(source, t)))
    return table


def _portfolio(services: list[Assessed], t: Translator, width: int, details: bool) -> list:
    """The ranking, one line per service (a long name wrapped), the services' warnings
    when their reports are not shown, then the totals; each stacked (one block per service,
    per criterion) when its columns leave no room for every figure whole."""
    portfolio = build(services)
    ranking = _ranking(services, portfolio, t, width)
    parts: list = [ranking]
    said = {id(s.result): s.warnings() for s in services}
    warned = [(r.name, key) for r in portfolio.ranking for key in said[id(r)]]
    if warned and not details:
        lines = Text()
        for name, key in warned:
            lines.append("! ", style="bold yellow").append(t.label(name) + t(key) + "\n")
        lines.rstrip()
        parts.append(
            Panel(lines, title=Text(t("section.warnings")), title_align="left", box=box.ROUNDED)
        )
    parts.append(_totals(portfolio, t, width))
    results = [s.result for s in services]
    parts.append(_coverage_table(coverage_section.portfolio_lines(results, t), t))
    return [p for p in parts if p is not None]


def _ranking(services: list[Assessed], portfolio: Any, t: Translator, width: int) -> Fitted:
    """Figures never wrap; the headers do, and the service's name and its criterion take
    what the other columns leave of the width: a name too long for it goes on a second
    line (wrapped at its spaces), never cut. Narrower, the criterion wraps down to its
    longest word; narrower still, stacked."""
    header, rows = portfolio_section.ranking_table(portfolio, t)
    title = portfolio_section.title(services, t)
    headers = [_header_cell(name, True) for name in header]
    sizes = [
        max(*(len(line) for line in name.split("\n")), *(len(row[i]) for row in rows))
        for i, name in enumerate(headers)
    ]
    if width < UNIT_COLUMN:
        sizes[3] = min(sizes[3], CRITERION_WIDTH)
    # the criterion's narrowest: its longest word (a header's or a row's)
    shortest = max(
        len(word) for text in (header[3], *(row[3] for row in rows)) for word in text.split()
    )

    def table(criterion: int) -> Table:
        widths = [*sizes[:3], criterion, *sizes[4:]]
        rest = sum(size for i, size in enumerate(widths) if i != 1) + 2 * len(widths) + 8
        widths[1] = max(10, min(widths[1], width - rest))
        grid = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
        for i, name in enumerate(headers):
            words = i in portfolio_section.WORD_COLUMNS
            grid.add_column(
                name,
                justify="left" if words else "right",
                no_wrap=not words,
                overflow="fold",
                width=widths[i],
            )
        for row in rows:
            grid.add_row(*row)
        return grid

    return _fitting(
        width,
        lambda: table(sizes[3]),
        *([lambda: table(shortest)] if shortest < sizes[3] else []),
        # the criterion goes under the name, where it may wrap (as a figure it would not)
        lambda: _stacked(
            title,
            [header[2], header[4]],
            [
                (
                    Text(f"{rank}  {name}\n").append(t.label(header[3]) + dominant, "dim"),
                    [pe, share],
                )
                for rank, name, pe, dominant, share in rows
            ],
        ),
    )


def _totals(portfolio: Any, t: Translator, width: int) -> Fitted:
    """The portfolio's totals per criterion; stacked when their columns do not fit."""
    header, rows = portfolio_section.totals_table(portfolio, t)
    title, caption = t("portfolio.totals"), t("portfolio.caption")
    return _fitting(
        width,
        lambda: rich_table(title, (header, rows), {0, 1}, caption),
        lambda: _stacked(
            title,
            header[2:],
            # a criterion without an interval has no p5 – p95 cells
            [
                (_named(name, unit), figures + [""] * (len(header) - 2 - len(figures)))
                for name, unit, *figures in rows
            ],
            caption=caption,
        ),
    )


def _details_hint(results: list[ServiceResult], t: Translator) -> Text:
    """What --details adds; for one service, how many of its values were defaulted."""
    if len(results) > 1:
        return Text(t("details.hint_portfolio"), style="dim")
    count = sum(a.status == "default" for a in results[0].assumptions)
    return Text(t("details.hint", count=count), style="dim")


def renderables(service: Assessed, t: Translator, width: int, details: bool) -> list:
    """One service's report: the summary, then what backs it when `details`."""
    result, found = service
    parts: list[RenderableType | None] = [
        _header(result, t),
        _warnings(service.warnings(), t),
        _impacts(result, t, width),
        _coverage(result, t),
        *_uncertainty(result, found.uncertainty, t, width),
        _breakdown(result, t, "by_tier", width),
        _breakdown(result, t, "by_phase", width),
        _blocks(result, t),
        _boundaries(result, t, width),
        _what_if(found, t, width),
        _top_levers(found, t),
    ]
    if details:
        parts += [
            _levers(found, t, width),
            _assumptions(result, t, width),
            _bibliography([service], t),
        ]
    parts.append(_footer(result, t))
    return [p for p in parts if p is not None]


#: rich breaks a line at any space, a no-break one too ('50 000' split into '50' and '000',
#: a French colon left alone): laid out, the no-break spaces are stood in for by private-use
#: characters of the same width that rich takes for letters, and put back as they are written.
_HOLD = str.maketrans({"\u00a0": "\ue000", "\u202f": "\ue001"})
_RELEASE = str.maketrans({"\ue000": "\u00a0", "\ue001": "\u202f"})
_NO_BREAK = ("\u00a0", "\u202f")


class _UnbreakableConsole(Console):
    """A console that never breaks a line at a no-break space (see _HOLD)."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(text.translate(_HOLD), **options)

    def render(self, renderable: RenderableType, options: Any = None) -> Iterable[Segment]:
        if isinstance(renderable, Text) and any(c in renderable.plain for c in _NO_BREAK):
            held = renderable.copy()
            held.plain = renderable.plain.translate(_HOLD)  # same length: styles kept
            renderable = held
        elif isinstance(renderable, str):
            renderable = renderable.translate(_HOLD)
        return super().render(renderable, options)


class _Released(io.TextIOBase):
    """Writes to `target` with the no-break spaces put back."""

    def __init__(self, target: TextIO):
        self.target = target

    def write(self, text: str) -> int:
        return self.target.write(text.translate(_RELEASE))

    def flush(self) -> None:
        self.target.flush()


def console_for(buffer: io.StringIO, color: bool, width: int = MIN_WIDTH) -> Console:
    """A `width`-column console writing to `buffer`, with ANSI styles only when `color`;
    a figure ('50\u202f000') or a French colon is never broken at its no-break space."""
    return _UnbreakableConsole(
        file=_Released(buffer),
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,  # a '[key]' citation or a user's '[name]' is text, never a style tag
    )


def render(
    services: list[Assessed],
    lang: str = "en",
    color: bool = False,
    width: int = MIN_WIDTH,
    details: bool = False,
) -> str:
    """The whole report as text (ANSI styles only when `color`)."""
    t = Translator(lang)
    buffer = io.StringIO()
    console = console_for(buffer, color, width)
    # no user-written control character reaches a tty: each shown as its escape ('\x1b')
    services = readable_all(services, terminal_line)
    several = len(services) > 1
    if details or not several:
        for service in services:
            for renderable in renderables(service, t, width, details):
                console.print(renderable)
                console.print()
    if several:
        for renderable in _portfolio(services, t, width, details):
            console.print(renderable)
            console.print()
    if not details:
        console.print(_details_hint([s.result for s in services], t))
    return buffer.getvalue()
