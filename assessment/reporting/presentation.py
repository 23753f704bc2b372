"""One group of the report (the organisation, or a department with those below it) put
together for reading: its tables and the charts drawn from them. The pages and the PDF
show the same `GroupReport`, so a chart in print is the chart on the screen.

Pure, like the rest of assessment/reporting: a scope in, rows and SVG out.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from django.utils.safestring import SafeString

from . import charts
from .comparisons import HeatTable, heatmap_tables
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
from .views import ChecklistView, GroupOrMarker, WordView, shown

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

    @property
    def name(self) -> str:
        """The group as a sentence names it."""
        return "the whole organisation" if self.label == WHOLE_ORGANISATION else self.label

    @property
    def has_gap_levels(self) -> bool:
        return self.executive is not None and self.front_line is not None


def _section(
    scope: ReportScope,
    view: GroupOrMarker | None,
    key: str,
    label: str,
    names: Mapping[str, str] | None,
    chars: int,
) -> InstrumentSection:
    title = instrument_title(key, names)
    rows = item_rows(scope, view, instrument=key)
    scored = [row for row in rows if row.kind != MULTI_CHOICE and _is_scored(scope, row.code)]
    if key == OBSESSED_INSTRUMENT:
        kind, svg = OBSESSED, charts.obsessed_line(scored, f"{title}: {label}, mean of 1–7")
    elif key == OBSTACLES_INSTRUMENT:
        scored = obstacle_rows(scope, view)
        kind = OBSTACLES
        svg = charts.score_bars(
            scored,
            f"{title}: {label}, ranked by how much each holds us back (score 100: not at all)",
        )
    else:
        kind = SCORES
        svg = charts.score_bars(scored, f"{title}: {label}, score and unfavourable share", chars)
    options = [
        (row, Chart(charts.option_bars(row, f"{row.text} ({label})", chars), [row]))
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
) -> GroupReport:
    """The scope's root (path None) or one department in it, with everything its page
    shows. The departments listed and mapped are those below it within the scope.
    `printed`: for the PDF's wider column, where a label fits on one line; `gap_limit`:
    only the largest gaps (a department's page in the PDF)."""
    chars = charts.PRINT_LABEL_CHARS if printed else charts.LABEL_CHARS
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
            charts.gap_bars(
                gaps, f"{executive} against {front_line}: {label}", executive, front_line, chars
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
        sections=[_section(scope, view, key, label, names, chars) for key in instruments(scope)],
        gap=gap,
        executive=executive,
        front_line=front_line,
        departments=[row for row in department_rows(below, urls) if row.path != below.within],
        heatmap=heatmap_tables(below, urls, names),
        words=cast(list[WordView] | None, first_words(group)),
        comments=comments,
    )
