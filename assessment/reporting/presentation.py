"""One group of the report (the organisation, or a department with those below it) put
together for reading: its tables and the charts drawn from them. The pages and the PDF
show the same `GroupReport`, so a chart in print is the chart on the screen.

Pure, like the rest of assessment/reporting: a scope in, rows and SVG out.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from django.utils.safestring import SafeString, mark_safe

from . import charts
from .heatmap import HeatTable, heatmap_tables
from .naming import instrument_title
from .parts import comment_counts, first_words
from .scope import WHOLE_ORGANISATION, ReportScope
from .stats import MULTI_CHOICE, OBSESSED_INSTRUMENT, OBSTACLES_INSTRUMENT
from .tables import (
    GapRow,
    GroupRow,
    ItemRow,
    department_rows,
    gap_levels,
    gap_rows,
    group_row,
    instruments,
    item_rows,
    level_rows,
    obstacle_rows,
    smoke_rows,
)
from .trend_chart import TrendRow, trend_lines, trend_rows
from .views import ChecklistView, GroupOrMarker, GroupView, WordView, shown

SCORES = "scores"
OBSESSED = "obsessed"
OBSTACLES = "obstacles"


@dataclass(frozen=True)
class Chart:
    """A chart and the rows it was drawn from (its table)."""

    svg: SafeString
    rows: Sequence[ItemRow | GapRow]
    legend: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class InstrumentSection:
    key: str
    title: str
    kind: str  # SCORES, OBSESSED or OBSTACLES: which chart draws it
    rows: list[ItemRow]  # every question but free-text ones, in the order asked
    chart: Chart | None  # the scored questions
    options: list[tuple[ItemRow, Chart]]  # several-choice questions, each its own chart

    @property
    def has_change(self) -> bool:
        return any(row.change is not None for row in self.rows)


@dataclass(frozen=True)
class Trend:
    """The group's scores over the rounds: the chart (None with too few rounds to draw a
    line) and its table."""

    svg: SafeString | None
    keys: list[str]
    titles: list[str]
    rows: list[TrendRow]


def _trend(group: GroupView, label: str, names: Mapping[str, str] | None) -> Trend | None:
    points = group.get("trend") or []
    if len(points) < 2:
        return None
    keys = list(dict.fromkeys(k for p in points for k in p["scores"]))
    rows = trend_rows(points, keys)
    svg = trend_lines(rows, keys, f"Scores over the rounds: {label}", names)
    return Trend(svg, keys, [instrument_title(k, names) for k in keys], rows)


@dataclass(frozen=True)
class GroupReport:
    label: str
    path: str | None  # None: the scope's root (the organisation, or a lead's department)
    suppressed: bool
    whole: GroupRow
    levels: list[GroupRow] = field(default_factory=list)
    checklist: ChecklistView | None = None
    smoke: list[ItemRow] = field(default_factory=list)
    sections: list[InstrumentSection] = field(default_factory=list)
    gap: Chart | None = None
    executive: str | None = None
    front_line: str | None = None
    departments: list[GroupRow] = field(default_factory=list)
    heatmap: list[HeatTable] = field(default_factory=list)
    words: list[WordView] | None = None
    comments: int | None = None  # how many comments and stories are listed; None: not shown
    trend: "Trend | None" = None
    compared_with: str | None = None  # the earlier round the changes are since

    @property
    def name(self) -> str:
        """The group as a sentence names it."""
        return "the whole organisation" if self.label == WHOLE_ORGANISATION else self.label

    @property
    def has_gap_levels(self) -> bool:
        return self.executive is not None and self.front_line is not None


# A printed chart is drawn in pieces of at most this many rows, one image each: WeasyPrint
# never splits an image across pages and cuts one taller than the page (a gap chart of 40
# items lost its last ones). Six rows with two-line labels are at most 6 × 54 = 324 px of
# the 986 px of an A4 page within the print margins: at most a third of a page is left
# blank where the next piece does not fit.
PRINT_PIECE_ROWS = 6


def in_pieces[Row](
    draw: Callable[[Sequence[Row], str, bool], SafeString],
    rows: Sequence[Row],
    title: str,
    size: int | None = None,
) -> SafeString:
    """The chart of `rows`, drawn whole (size None) or as one image per `size` rows:
    consecutive images that a page may break between, the legend on the first, and each
    titled with which part it is. `draw(rows, title, legend)`."""
    if size is None or len(rows) <= size:
        return draw(rows, title, True)
    count = math.ceil(len(rows) / size)
    return mark_safe(  # noqa: S308 - each piece is a chart whose texts were escaped
        "".join(
            draw(
                rows[index * size : (index + 1) * size],
                f"{title} (part {index + 1} of {count})",
                index == 0,
            )
            for index in range(count)
        )
    )


@dataclass(frozen=True)
class Drawing:
    """How a group's charts are drawn: label lines of `chars` characters, and at most
    `piece_rows` rows per image (None: each chart one image)."""

    chars: int
    piece_rows: int | None


SCREEN = Drawing(charts.LABEL_CHARS, None)
# The PDF's column is wider, and a page breaks only between images (in_pieces).
PRINT = Drawing(charts.PRINT_LABEL_CHARS, PRINT_PIECE_ROWS)


def _section(
    scope: ReportScope,
    view: GroupOrMarker | None,
    key: str,
    label: str,
    names: Mapping[str, str] | None,
    drawing: Drawing,
) -> InstrumentSection:
    title = instrument_title(key, names)
    rows = item_rows(scope, view, instrument=key)
    scored = [row for row in rows if row.kind != MULTI_CHOICE and _is_scored(scope, row.code)]
    if key == OBSESSED_INSTRUMENT:
        kind, svg = OBSESSED, charts.obsessed_line(scored, f"{title}: {label}, mean of 1–7")
    elif key == OBSTACLES_INSTRUMENT:
        scored = obstacle_rows(scope, view)
        kind = OBSTACLES
        svg = in_pieces(
            lambda part, title, legend: charts.score_bars(part, title, legend=legend),
            scored,
            f"{title}: {label}, ranked by how much each holds us back (score 100: not at all)",
            drawing.piece_rows,
        )
    else:
        kind = SCORES
        svg = in_pieces(
            lambda part, title, legend: charts.score_bars(part, title, drawing.chars, legend),
            scored,
            f"{title}: {label}, score and unfavourable share",
            drawing.piece_rows,
        )
    options = [
        (row, Chart(charts.option_bars(row, f"{row.text} ({label})", drawing.chars), [row]))
        for row in rows
        if row.kind == MULTI_CHOICE
    ]
    return InstrumentSection(
        key=key,
        title=title,
        kind=kind,
        rows=rows,
        chart=Chart(svg, scored) if scored else None,
        options=options,
    )


def _is_scored(scope: ReportScope, code: str) -> bool:
    return any(c["score"] is not None for c in scope.question_by_code[code]["choices"])


def group_report(
    scope: ReportScope,
    path: str | None = None,
    *,
    urls: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    printed: bool = False,
    gap_limit: int | None = None,
    level: str | None = None,
) -> GroupReport:
    """The scope's root (path None) or one department in it, with everything its page
    shows. The departments listed and mapped are those below it within the scope.
    `printed`: for the PDF's wider column, where a label fits on one line; `gap_limit`:
    only the largest gaps (a department's page in the PDF); `level`: the heatmap at that
    level only."""
    drawing = PRINT if printed else SCREEN
    view = scope.root if path is None else scope.department(path)
    label = scope.root_label if path is None else path
    whole = group_row(label, view)
    group = shown(view)
    if group is None:
        return GroupReport(label=label, path=path, suppressed=True, whole=whole)
    below = scope if path is None else ReportScope(scope.data, path)
    executive, front_line = gap_levels(scope)
    gaps: list[GapRow] = gap_rows(scope, view)[:gap_limit]
    gap = None
    if gaps and executive and front_line:
        gap = Chart(
            in_pieces(
                lambda part, title, legend: charts.gap_bars(
                    part, title, executive, front_line, drawing.chars, legend
                ),
                gaps,
                f"{executive} against {front_line}: {label}",
                drawing.piece_rows,
            ),
            gaps,
        )
    counts = comment_counts(group)
    comments = None if counts is None else sum(counts.values())
    return GroupReport(
        label=label,
        path=path,
        suppressed=False,
        whole=whole,
        levels=level_rows(scope, view),
        checklist=group["checklist"],
        smoke=smoke_rows(scope, view),
        sections=[_section(scope, view, key, label, names, drawing) for key in instruments(scope)],
        gap=gap,
        executive=executive,
        front_line=front_line,
        departments=[row for row in department_rows(below, urls) if row.path != below.within],
        heatmap=heatmap_tables(below, urls, names, level),
        words=cast(list[WordView] | None, first_words(group)),
        comments=comments,
        trend=_trend(group, label, names),
        compared_with=(group.get("compared_with") or {}).get("name"),
    )
