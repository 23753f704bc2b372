"""Tables that set the groups side by side: the heatmap (departments × scored items)
and one question across the levels and departments. Pure, like assessment/reporting/
tables.py, whose rows they are made of: a `ReportScope` in, rows out."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from .naming import instrument_title
from .scope import ReportScope
from .tables import HEAT_BUCKET_WIDTH, ItemRow, instruments, item_row, level_names
from .views import GroupOrMarker, ItemView, Suppressed, is_suppressed, levels_of, shown

# --- The heatmap ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    code: str
    score: float | None
    suppressed: bool

    @property
    def bucket(self) -> str:
        """The CSS class that colours the cell."""
        if self.suppressed:
            return "heat-suppressed"
        if self.score is None:
            return "heat-none"
        return f"heat-{min(int(self.score // HEAT_BUCKET_WIDTH), 100 // HEAT_BUCKET_WIDTH - 1)}"


@dataclass(frozen=True)
class HeatRow:
    label: str
    path: str
    depth: int
    url: str
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class HeatTable:
    """Departments × the scored items of one instrument."""

    instrument: str
    title: str
    items: tuple[ItemRow, ...]  # the columns (suppressed=True: only the wording is used)
    rows: tuple[HeatRow, ...] = field(default=())


def heatmap_tables(
    scope: ReportScope,
    urls: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[HeatTable]:
    """The heatmap of the departments in scope, one table per instrument."""
    top = 0 if scope.within is None else scope.within.count("/")
    tables = []
    for instrument in instruments(scope):
        codes = [
            code
            for code in scope.heatmap_items
            if scope.question_by_code[code]["instrument"] == instrument
        ]
        if not codes:
            continue
        rows = tuple(
            HeatRow(
                label=path.rsplit("/", 1)[-1] if path.count("/") > top else path,
                path=path,
                depth=path.count("/") - top,
                url=(urls or {}).get(path, ""),
                cells=tuple(_heat_cell(code, row.get(code)) for code in codes),
            )
            for path, row in scope.heatmap.items()
        )
        tables.append(
            HeatTable(
                instrument=instrument,
                title=instrument_title(instrument, names),
                items=tuple(item_row(scope.question_by_code[code], None) for code in codes),
                rows=rows,
            )
        )
    return tables


def _heat_cell(code: str, value: float | Suppressed | None) -> HeatCell:
    if is_suppressed(value):
        return HeatCell(code=code, score=None, suppressed=True)
    return HeatCell(code=code, score=value, suppressed=False)


# --- One question across the groups -----------------------------------------------------------


def question_rows(
    scope: ReportScope, code: str, urls: Mapping[str, str] | None = None
) -> tuple[list[ItemRow], list[ItemRow]]:
    """One question's numbers at each level of the root group, and in each department in
    scope: (by level, by department). The root's own row leads each list."""
    question = scope.question_by_code[code]
    root = scope.root

    def item_of(view: GroupOrMarker | None) -> ItemView | Suppressed | None:
        group = shown(view)
        return None if group is None else group["questions"].get(code)

    levels = levels_of(root)
    root_row = item_row(question, item_of(root), label=scope.root_label)
    by_level = [root_row] + [
        item_row(question, item_of(levels.get(name)), label=name, depth=1)
        for name in level_names(scope)
    ]
    top = 0 if scope.within is None else scope.within.count("/")
    by_department = [root_row] if scope.is_whole else []
    by_department += [
        item_row(
            question,
            item_of(view),
            label=path.rsplit("/", 1)[-1] if path.count("/") > top else path,
            depth=path.count("/") - top + (1 if scope.is_whole else 0),
            url=(urls or {}).get(path, ""),
        )
        for path, view in scope.departments.items()
    ]
    return by_level, by_department
