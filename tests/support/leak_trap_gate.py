"""The gate's verdicts on the leak-trap organisation, read from an admin's JSON download,
and the patterns the checks of tests/support/leak_trap_checks.py read outputs with."""

import re
from collections.abc import Iterable
from typing import Any

from assessment.reporting.scope import WHOLE_ORGANISATION
from assessment.reporting.tables import SUPPRESSED_MARKER
from tests.fixtures.leak_trap import LeakTrap
from tests.support.report_checks import SUPPRESSED

MARKER = SUPPRESSED_MARKER
ALL_LEVELS = ", all levels"
# Words that would mean a second marker for what the gate suppressed.
OTHER_MARKERS = re.compile(r"not shown|suppressed|hidden|n/a", re.IGNORECASE)
CODE = re.compile(r"\b[a-z]+-\d{2}(?:-words)?\b")
# The numbers a PDF part of a suppressed department may hold: the thresholds, its pages.
FIXED_NUMBERS = re.compile(r"(?:fewer than|at least) \d+ responses|Page \d+ of \d+")
N_EQUALS = re.compile(r"(?:\bn\s*=\s*|\"n\": )(\d+)")


class Gate:
    """The gate's verdicts as an admin's JSON download records them."""

    def __init__(self, data: dict, trap: LeakTrap) -> None:
        self.data = data
        self.trap = trap
        self.paths = {d.name: d.path for d in trap.departments.values()}
        self.paths |= {d.path: d.path for d in trap.departments.values()}
        self.levels = {level["name"] for level in data["levels"]}

    def group(self, label: str, root: str | None) -> tuple[str | None, str | None] | None:
        """(department path or None for the organisation, level or None) that a row's
        label names on a page about `root`."""
        label = label.removesuffix(ALL_LEVELS)
        if label == WHOLE_ORGANISATION:
            return None, None
        if label in self.paths:
            return self.paths[label], None
        if label in self.levels:
            return root, label
        return None

    def view(self, path: str | None, level: str | None = None) -> Any:
        if path is None:
            view = self.data["organisation"]
        else:
            view = self.data["departments"].get(path, SUPPRESSED)
        if level is not None and view != SUPPRESSED:
            view = view["levels"].get(level, SUPPRESSED)
        return view

    def hidden(self, path: str | None, level: str | None = None, code: str | None = None) -> bool:
        view = self.view(path, level)
        if view == SUPPRESSED:
            return True
        return code is not None and view["questions"].get(code, SUPPRESSED) == SUPPRESSED

    def hidden_texts(self, path: str | None, key: str = "comments") -> bool:
        view = self.view(path)
        return view == SUPPRESSED or view[key] == SUPPRESSED

    def readable_texts(self, path: str | None) -> set[str]:
        """The comments and words a list of this group may hold: its members' own, if
        the group reaches the comment threshold, else none."""
        if self.hidden_texts(path):
            return set()
        inside = {d.name for d in self.trap.departments.values() if within(d.path, path)}
        return {t for name in inside for t in self.trap.texts.get(name, [])}

    def hidden_paths(self) -> set[tuple]:
        """Where the JSON holds the marker: each as the keys that lead to it."""
        found: set[tuple] = set()

        def walk(value: Any, keys: tuple) -> None:
            if value == SUPPRESSED:
                found.add(keys)
            elif isinstance(value, dict):
                for key, inner in value.items():
                    walk(inner, (*keys, key))

        walk(self.data, ())
        return found


def within(path: str, root: str | None) -> bool:
    return root is None or path == root or path.startswith(f"{root}/")


def marker_only(cells: Iterable[str]) -> bool:
    """The one marker, and nothing else but empty cells."""
    cells = [cell.strip() for cell in cells]
    return MARKER in cells and all(cell in ("", MARKER) for cell in cells)


def row_problem(where: str, row: list[str], about: str) -> str:
    return f"{where}: the row of {about} shows {row}"


def about(group: tuple[str | None, str | None]) -> str:
    """How `checked` counts a group: a level or a department by name."""
    path, level = group
    return level or (path.rsplit("/", 1)[-1] if path else WHOLE_ORGANISATION)
