"""What needs attention in one group, for the first page an executive reads: the largest
gaps between the executives and the front line, the smoke, the strongest and weakest
items and departments, and the biggest changes since the previous round.

Pure, and made only of what the gate already let through: the group's own shown view
and the shown views of the departments below it. A suppressed item, level or department
is not in those views, so no sentence can name it."""

from collections.abc import Mapping, Sequence
from typing import Protocol

from .stats import mean_score
from .views import JSON, JSONView, is_suppressed

# How many of each kind the summary names: enough to act on, few enough to read in a
# screen or two.
SUMMARY_TOP = 3
# A change smaller than this many points is not news.
CHANGE_WORTH_NAMING = 1.0


class _Item(Protocol):
    """A question as the summary needs it (QuestionInfo)."""

    @property
    def code(self) -> str: ...

    @property
    def is_scored(self) -> bool: ...


def _ends[T](ranked: Sequence[T]) -> tuple[list[T], list[T]]:
    """The first and the last few of a ranking, best first and worst first, never the
    same one in both; nothing when fewer than two are ranked."""
    if len(ranked) < 2:
        return [], []
    half = min(SUMMARY_TOP, len(ranked) // 2)
    return list(ranked[:half]), list(reversed(ranked[-half:]))


def _shown_items(view: JSONView, items: Sequence[_Item]) -> list[tuple[str, JSONView]]:
    questions = view.get("questions", {})
    return [
        (q.code, questions[q.code])
        for q in items
        if q.is_scored
        and q.code in questions
        and not is_suppressed(questions[q.code])
        and questions[q.code].get("score") is not None
    ]


def department_score(view: JSONView, items: Sequence[_Item]) -> float | None:
    """A department's one score: its checklist score, or without a checklist the mean of
    its shown item scores."""
    checklist = view.get("checklist") or {}
    if checklist.get("score") is not None:
        return float(checklist["score"])
    return mean_score(s["score"] for _, s in _shown_items(view, items))


def department_change(view: JSONView) -> float | None:
    change = (view.get("checklist") or {}).get("change")
    return None if change is None else float(change)


def _items(view: JSONView, items: Sequence[_Item]) -> dict[str, list[JSON]]:
    shown = _shown_items(view, items)
    by_score = sorted(shown, key=lambda item: (-item[1]["score"], item[0]))
    changed = sorted(
        (
            (code, s)
            for code, s in shown
            if s.get("change") is not None and abs(s["change"]) >= CHANGE_WORTH_NAMING
        ),
        key=lambda item: (-abs(item[1]["change"]), item[0]),
    )
    strongest, weakest = _ends(by_score)
    return {
        "strongest_items": [{"code": code, "score": s["score"]} for code, s in strongest],
        "weakest_items": [{"code": code, "score": s["score"]} for code, s in weakest],
        "item_changes": [
            {"code": code, "change": s["change"], "score": s["score"]}
            for code, s in changed[:SUMMARY_TOP]
        ],
        "smoke": [
            {"code": code, "score": s["score"], "unfavourable": s["unfavourable"]}
            for code, s in shown
            if s.get("smoke")
        ],
    }


def _departments(below: Mapping[str, JSONView], items: Sequence[_Item]) -> dict[str, list[JSON]]:
    scored = sorted(
        (
            (path, score)
            for path, view in below.items()
            if (score := department_score(view, items)) is not None
        ),
        key=lambda d: (-d[1], d[0]),
    )
    changed = sorted(
        (
            (path, change)
            for path, view in below.items()
            if (change := department_change(view)) is not None
            and abs(change) >= CHANGE_WORTH_NAMING
        ),
        key=lambda d: (-abs(d[1]), d[0]),
    )
    strongest, weakest = _ends(scored)
    return {
        "strongest_departments": [{"path": p, "score": s} for p, s in strongest],
        "weakest_departments": [{"path": p, "score": s} for p, s in weakest],
        "department_changes": [{"path": p, "change": c} for p, c in changed[:SUMMARY_TOP]],
    }


def group_summary(view: JSONView, below: Mapping[str, JSONView], items: Sequence[_Item]) -> JSON:
    """SUMMARY of a shown WHOLE (docs/report-json.md); `below` holds the shown departments
    below it, by path."""
    return {
        "gaps": [
            {k: g[k] for k in ("code", "gap", "executive", "front_line")}
            for g in view.get("gap", [])[:SUMMARY_TOP]
        ],
        **_items(view, items),
        **_departments(below, items),
    }
