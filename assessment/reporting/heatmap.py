"""The heatmap that compares: one table per instrument, the root group (the organisation,
or a lead's department) on top and each department in scope below it, every cell coloured
by its difference from the top row, at every level or at one.

Pure, like assessment/reporting/tables.py: a `ReportScope` in, rows out. A difference is
that of two numbers the page shows anyway. A hidden row says why only in words that give
nothing away: "too few invited" where the roster alone says so (docs/report-json.md,
`too_few_invited`), and otherwise that it is hidden to protect a small group — the same
words whether it had too few answers itself or would give another away, since telling
the two apart would say which of two hidden groups is the small one.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from .naming import instrument_title, short_code, short_label
from .scope import ReportScope
from .tables import instruments
from .views import GroupOrMarker, QuestionView, levels_of, shown

TOO_FEW_INVITED = "too few invited"
PROTECTS_A_SMALLER_GROUP = "hidden to protect a small group"

# Differences from the top row, in points of score, that change a cell's colour: within
# CLOSE_TO of it a cell is "about the same"; from FAR_FROM on it is far above or below.
CLOSE_TO = 3.0
FAR_FROM = 10.0
# (CSS class, what the legend says), from far below to far above.
HEAT_LEGEND = (
    ("heat-below-far", f"{FAR_FROM:g} or more below"),
    ("heat-below", f"{CLOSE_TO:g}–{FAR_FROM:g} below"),
    ("heat-same", f"within {CLOSE_TO:g}"),
    ("heat-above", f"{CLOSE_TO:g}–{FAR_FROM:g} above"),
    ("heat-above-far", f"{FAR_FROM:g} or more above"),
)


@dataclass(frozen=True)
class HeatColumn:
    code: str
    number: str  # "3": the question's number in its instrument
    label: str  # a few words of the question
    text: str  # the whole question


@dataclass(frozen=True)
class HeatCell:
    code: str
    score: float | None
    suppressed: bool
    difference: float | None = None  # from the top row; None on the top row itself

    @property
    def bucket(self) -> str:
        """The CSS class that colours the cell."""
        if self.suppressed:
            return "heat-suppressed"
        if self.score is None:
            return "heat-none"
        if self.difference is None:
            return "heat-top"
        index = 2
        if abs(self.difference) >= CLOSE_TO:
            index += 1 if self.difference > 0 else -1
        if abs(self.difference) >= FAR_FROM:
            index += 1 if self.difference > 0 else -1
        return HEAT_LEGEND[index][0]


@dataclass(frozen=True)
class HeatRow:
    label: str
    path: str | None
    depth: int
    url: str
    cells: tuple[HeatCell, ...]
    hidden: str = ""  # why the row is hidden: TOO_FEW_INVITED or PROTECTS_A_SMALLER_GROUP


@dataclass(frozen=True)
class HeatTable:
    """The root group and the departments × the scored items of one instrument."""

    instrument: str
    title: str
    columns: tuple[HeatColumn, ...]
    top: HeatRow
    rows: tuple[HeatRow, ...] = field(default=())


def _column(question: QuestionView) -> HeatColumn:
    return HeatColumn(
        code=question["code"],
        number=short_code(question["code"]),
        label=short_label(question["text"]),
        text=question["text"],
    )


def _at_level(view: GroupOrMarker | None, level: str | None) -> GroupOrMarker | None:
    return view if level is None else levels_of(view).get(level)


def _too_few(scope: ReportScope) -> set[tuple[str | None, str | None]]:
    return {(entry["department"], entry["level"]) for entry in scope.too_few_invited}


def _reason(scope: ReportScope, path: str | None, level: str | None) -> str:
    few = _too_few(scope)
    if (path, level) in few or (path is not None and (path, None) in few):
        return TOO_FEW_INVITED
    return PROTECTS_A_SMALLER_GROUP


def _row(
    scope: ReportScope,
    label: str,
    path: str | None,
    codes: list[str],
    level: str | None,
    top: Mapping[str, float | None] | None,
) -> HeatRow:
    group = shown(_at_level(_department(scope, path), level))
    depth = 0
    if path is not None and path != scope.within:
        depth = path.count("/") - (0 if scope.within is None else scope.within.count("/"))
    if group is None:
        cells = tuple(HeatCell(code=c, score=None, suppressed=True) for c in codes)
        return HeatRow(label, path, depth, "", cells, hidden=_reason(scope, path, level))
    shown_cells = []
    for code in codes:
        item = shown(group["questions"].get(code))
        if item is None:
            shown_cells.append(HeatCell(code=code, score=None, suppressed=True))
            continue
        score = item["score"]
        base = None if top is None else top.get(code)
        difference = None
        if top is not None and score is not None and base is not None:
            difference = round(score - base, 1)
        shown_cells.append(
            HeatCell(code=code, score=score, suppressed=False, difference=difference)
        )
    return HeatRow(label, path, depth, "", tuple(shown_cells))


def _department(scope: ReportScope, path: str | None) -> GroupOrMarker | None:
    return scope.root if path is None else scope.department(path)


def heatmap_tables(
    scope: ReportScope,
    urls: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    level: str | None = None,
) -> list[HeatTable]:
    """The heatmap of the departments in scope, one table per instrument, at every level
    (None) or at the level named."""
    urls = urls or {}
    top_depth = 0 if scope.within is None else scope.within.count("/")
    tables = []
    for instrument in instruments(scope):
        codes = [
            code
            for code in scope.heatmap_items
            if scope.question_by_code[code]["instrument"] == instrument
        ]
        if not codes:
            continue
        top = _row(scope, scope.root_label, scope.within, codes, level, None)
        scores = {c.code: c.score for c in top.cells if not c.suppressed}
        rows = tuple(
            _with_url(
                _row(
                    scope,
                    path.rsplit("/", 1)[-1] if path.count("/") > top_depth else path,
                    path,
                    codes,
                    level,
                    scores,
                ),
                urls.get(path, ""),
            )
            for path in scope.departments
            if path != scope.within
        )
        tables.append(
            HeatTable(
                instrument=instrument,
                title=instrument_title(instrument, names),
                columns=tuple(_column(scope.question_by_code[code]) for code in codes),
                top=top,
                rows=rows,
            )
        )
    return tables


def _with_url(row: HeatRow, url: str) -> HeatRow:
    return HeatRow(row.label, row.path, row.depth, url, row.cells, row.hidden)
