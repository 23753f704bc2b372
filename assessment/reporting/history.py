"""Earlier rounds' reports, compared like with like: a group is compared only with the
same group of an earlier round that asked the same people — the same levels, and a
department whose whole subtree was invited then. A round of one department is compared
with that department's earlier results, never with the whole organisation's.

Pure: the earlier rounds' published snapshots (which hold only what the gate let through)
in, views and trend points out. A group suppressed in the earlier version gives no change
and no trend point; one suppressed in this version has no view to show either."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .scope import is_within
from .stats import mean_score
from .views import JSON, JSONView, is_suppressed


@dataclass(frozen=True)
class Audience:
    """Who a round asked: the departments invited with those below them (paths in the
    round's tree; None: everyone) and the levels (names; None: every level)."""

    departments: tuple[str, ...] | None = None
    levels: frozenset[str] | None = None

    def covers(self, path: str) -> bool:
        """Whether everyone of the department `path` (and below it) was asked."""
        return self.departments is None or any(is_within(path, d) for d in self.departments)

    @property
    def root(self) -> str | None:
        """The one department a round of one department is about; None otherwise."""
        if self.departments is not None and len(self.departments) == 1:
            return self.departments[0]
        return None


@dataclass(frozen=True)
class EarlierReport:
    """An earlier round's published report and whom it asked."""

    id: int
    name: str
    opens_on: str  # ISO date, in the organisation's time zone
    provisional: bool
    built_at: str
    audience: Audience
    data: JSONView


def _shown(view: object) -> JSONView:
    return view if isinstance(view, Mapping) and not is_suppressed(view) else {}


def _target(audience: Audience, path: str | None) -> tuple[bool, str | None]:
    """Which group of an earlier round a group of this round is to be compared with: the
    organisation (None), or a department; (False, None) when nothing compares."""
    if path is not None:
        return audience.covers(path), path
    if audience.departments is None:
        return True, None
    return audience.root is not None, audience.root


def comparable(earlier: EarlierReport, audience: Audience, path: str | None) -> JSONView | None:
    """The group of `earlier` that compares with this round's group at `path` (None: the
    report's root): {} where it was suppressed, None where it does not compare."""
    if earlier.audience.levels != audience.levels:
        return None
    ok, target = _target(audience, path)
    if not ok:
        return None
    if target is None:
        if earlier.audience.departments is not None:
            return None
        return _shown(earlier.data.get("organisation"))
    if not earlier.audience.covers(target):
        return None
    return _shown(earlier.data.get("departments", {}).get(target))


def previous_of(
    history: Sequence[EarlierReport], audience: Audience, path: str | None
) -> tuple[EarlierReport | None, JSONView]:
    """The latest earlier round that compares with the group, and its view of the group
    ({} when there is none, or it was suppressed then)."""
    for earlier in history:
        view = comparable(earlier, audience, path)
        if view is not None:
            return earlier, view
    return None, {}


def instrument_scores(view: JSONView, questions: Iterable[JSONView]) -> dict[str, float]:
    """Each instrument's score in a group: the mean of its shown item scores."""
    by_instrument: dict[str, list[float]] = {}
    items = view.get("questions", {})
    for question in questions:
        score = _shown(items.get(question["code"])).get("score")
        if isinstance(score, int | float):
            by_instrument.setdefault(question["instrument"], []).append(score)
    return {
        key: score
        for key, scores in by_instrument.items()
        if (score := mean_score(scores)) is not None
    }


def trend_point(name: str, opens_on: str, view: JSONView, questions: Iterable[JSONView]) -> JSON:
    return {"round": name, "opens_on": opens_on, "scores": instrument_scores(view, questions)}


def trend(
    history: Sequence[EarlierReport], audience: Audience, path: str | None, now: JSON
) -> list[JSON]:
    """The group's scores over the rounds that compare with it, oldest first, ending with
    `now` (this round's point); a round where the group was suppressed gives no point."""
    points = []
    for earlier in reversed(history):
        view = comparable(earlier, audience, path)
        if view:
            points.append(
                trend_point(earlier.name, earlier.opens_on, view, earlier.data.get("questions", []))
            )
    return [*points, now]
