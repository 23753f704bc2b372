"""A table that sets the groups side by side: one question across the levels and
departments (the heatmap is assessment/reporting/heatmap.py). Pure, like assessment/reporting/
tables.py, whose rows they are made of: a `ReportScope` in, rows out."""

from collections.abc import Mapping

from .scope import ReportScope
from .tables import ItemRow, item_row, level_names
from .views import GroupOrMarker, ItemView, Suppressed, levels_of, shown

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
