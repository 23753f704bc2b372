"""What one reader may read of a published report.

Executives, admins and facilitators read the whole organisation; a department lead reads
their department and the departments below it, and nothing else: not the organisation's
totals, levels, gap or comments, nor another department's row of the heatmap. Every page,
chart, table and download is drawn from a `ReportScope`, never from the snapshot itself,
so that no view can reach past what its reader may see.

The snapshot already holds only what the anonymity gate let through (docs/report-json.md);
a scope only ever leaves things out, so it can never show a group the gate suppressed.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import cast

from .parts import first_words
from .views import (
    JSON,
    GroupOrMarker,
    QuestionView,
    SnapshotView,
    Suppressed,
    TooFewInvitedView,
    WordView,
    shown,
)

WHOLE_ORGANISATION = "Whole organisation"


def is_within(path: str, department: str) -> bool:
    """Whether `path` is `department` or a department below it."""
    return path == department or path.startswith(f"{department}/")


@dataclass(frozen=True)
class ReportScope:
    """A snapshot's data as one reader sees it. `within` is the path of a lead's
    department; None is the whole organisation."""

    data: SnapshotView
    within: str | None = None

    @property
    def is_whole(self) -> bool:
        return self.within is None

    @property
    def root(self) -> GroupOrMarker | None:
        """The organisation, or the lead's department rolled up with those below it:
        a WHOLE, the suppressed marker, or None when the department is not in the report
        (created, or renamed, after it was built)."""
        if self.within is None:
            return self.data["organisation"]
        return self.data["departments"].get(self.within)

    @property
    def root_label(self) -> str:
        return WHOLE_ORGANISATION if self.within is None else self.within

    @cached_property
    def departments(self) -> dict[str, GroupOrMarker]:
        """Every department the reader may see, by path, in path order (parents first)."""
        return {
            path: view
            for path, view in sorted(self.data["departments"].items())
            if self.within is None or is_within(path, self.within)
        }

    def department(self, path: str) -> GroupOrMarker | None:
        """One department, or None when it is unknown or outside the scope."""
        return self.departments.get(path)

    def below(self, path: str | None) -> dict[str, GroupOrMarker]:
        """The departments directly below a department (None: the top-level ones)."""
        depth = 0 if path is None else path.count("/") + 1
        return {
            p: view
            for p, view in self.departments.items()
            if p.count("/") == depth and (path is None or p.startswith(f"{path}/"))
        }

    @cached_property
    def questions(self) -> list[QuestionView]:
        return self.data["questions"]

    @cached_property
    def question_by_code(self) -> dict[str, QuestionView]:
        return {q["code"]: q for q in self.questions}

    @property
    def heatmap_items(self) -> list[str]:
        return self.data["heatmap"]["items"]

    @cached_property
    def heatmap(self) -> dict[str, dict[str, float | Suppressed | None]]:
        return {
            path: row
            for path, row in sorted(self.data["heatmap"]["departments"].items())
            if path in self.departments
        }

    def comments(self, path: str | None = None) -> dict[str, list[str]] | None:
        """Comments by question code of the root (path None) or of one department in
        scope; None where they are not shown. Only a whole document's scope
        (report_scope) holds the texts: a page's (report_page_scope) holds their counts,
        and a page reads the texts a page at a time (assessment/selectors/report_parts.py)."""
        group = shown(self.root if path is None else self.department(path))
        return None if group is None else shown(group.get("comments"))

    def words(self, path: str | None = None) -> list[WordView] | None:
        """The words of the root or of one department in scope (a page's scope: the
        first `FIRST_WORDS`); None where they are not shown."""
        group = self.root if path is None else self.department(path)
        return cast(list[WordView] | None, first_words(group))

    def json(self) -> JSON:
        """The report as the reader may download it (docs/report-json.md, "Scope")."""
        if self.within is None:
            return cast(JSON, self.data)
        return {
            **self.data,
            "scope": self.within,
            # The organisation's totals are other departments' numbers too.
            "responses": None,
            "organisation": None,
            "departments": self.departments,
            "heatmap": {
                "items": self.heatmap_items,
                "departments": self.heatmap,
                "too_few_invited": self.too_few_invited,
            },
        }

    @property
    def too_few_invited(self) -> list[TooFewInvitedView]:
        """The groups in scope with fewer invited than the threshold (docs/report-json.md):
        another department's roster is not the lead's to read."""
        return [
            entry
            for entry in self.data["heatmap"].get("too_few_invited", [])
            if self.within is None
            or (entry["department"] is not None and entry["department"] in self.departments)
        ]
