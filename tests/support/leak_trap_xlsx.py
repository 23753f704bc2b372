"""The spreadsheet check of tests/views/test_leak_trap_surfaces.py: every sheet's row about a
suppressed group or item holds the marker alone, and comments are listed only for groups
that may read them."""

from collections import Counter

from tests.support.leak_trap_crawl import Output
from tests.support.leak_trap_gate import CODE, MARKER, Gate, about, marker_only, row_problem

# (group column, level column or None, code column or None, first value column)
XLSX_LAYOUT = {
    "Participation": (0, 1, None, 2),
    "Heatmap": (0, None, None, 1),
    "Questions by department": (0, None, 1, 3),
    "Questions by level": (0, 1, 2, 4),
    "Words": (0, None, None, 1),
}


def xlsx_problems(out: Output, gate: Gate, root: str | None, checked: Counter) -> list[str]:
    problems = []
    for title, rows in out.sheets.items():
        problems += _sheet_problems(out, gate, root, checked, (title, rows))
    return problems


def _sheet_problems(
    out: Output, gate: Gate, root: str | None, checked: Counter, sheet: tuple[str, list]
) -> list[str]:
    title, rows = sheet
    if title == "Overview":
        return _overview_problems(out, gate, root, checked, rows)
    if title == "Gap":
        return [
            f"{out.name} Gap: {row}"
            for row in rows[1:]
            if (group := gate.group(row[0], root))
            and (any(gate.hidden(group[0], level) for level in rows[0][3:5]))
        ]
    if title == "Comments":
        return [
            f"{out.name} Comments: {row[3]!r} listed for {row[0]}"
            for row in rows[1:]
            if (group := gate.group(row[0], root)) and row[3] not in gate.readable_texts(group[0])
        ]
    if title == "Commitments":
        return []
    if title not in XLSX_LAYOUT:
        return [f"{out.name}: a sheet this test cannot read, {title}"]
    problems = []
    for row in rows[1:]:
        problems += _layout_row_problems(out, gate, root, checked, (title, rows[0], row))
    return problems


def _overview_problems(
    out: Output, gate: Gate, root: str | None, checked: Counter, rows: list
) -> list[str]:
    problems = []
    for row in rows:
        hidden = bool(CODE.fullmatch(row[0])) and gate.hidden(root, code=row[0])
        checked["xlsx", row[0]] += hidden
        if hidden and not marker_only(row[2:]):
            problems.append(row_problem(f"{out.name} Overview", row, row[0]))
    return problems


def _row_place(gate: Gate, root: str | None, title: str, row: list) -> tuple | None:
    """(department path, level or None) of a row of a sheet of XLSX_LAYOUT, or None for
    the heading or a note."""
    group_at, level_at, _, _ = XLSX_LAYOUT[title]
    group = gate.group(row[group_at], root) if row else None
    if group is None:
        return None
    level = row[level_at] if level_at is not None else None
    return group[0], None if level == "All levels" else level


def _layout_row_problems(
    out: Output, gate: Gate, root: str | None, checked: Counter, place: tuple[str, list, list]
) -> list[str]:
    """A row of a sheet of XLSX_LAYOUT: the marker alone for a suppressed group, in a
    suppressed item's values, and in the heatmap's suppressed cells."""
    title, head, row = place
    group_at, level_at, code_at, values_at = XLSX_LAYOUT[title]
    found = _row_place(gate, root, title, row)
    if found is None:
        return []  # the heading, a note
    path, level = found
    values = row[values_at:]
    labels = 2 if level_at is not None else 1
    hidden = gate.hidden_texts(path, "words") if title == "Words" else gate.hidden(path, level)
    if hidden:
        checked["xlsx", about((path, level))] += 1
        if not marker_only(row[labels:]):
            return [row_problem(f"{out.name} {title}", row, row[group_at])]
        return []
    problems = []
    item_hidden = code_at is not None and gate.hidden(path, level, row[code_at])
    checked["xlsx", row[code_at] if item_hidden else ""] += item_hidden
    if item_hidden and not marker_only(values):
        problems.append(row_problem(f"{out.name} {title}", row, row[code_at]))
    if title == "Heatmap":
        problems += _heatmap_cell_problems(out, gate, checked, (head, row, path))
    return problems


def _heatmap_cell_problems(
    out: Output, gate: Gate, checked: Counter, place: tuple[list, list, str | None]
) -> list[str]:
    head, row, path = place
    problems = []
    for code, cell in zip(head[1:], row[1:], strict=False):
        hidden = gate.hidden(path, code=code)
        checked["xlsx", code] += hidden
        if hidden and cell != MARKER:
            problems.append(f"{out.name} Heatmap: {code} of {row[0]} is {cell!r}")
    return problems
