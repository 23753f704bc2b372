"""The snapshot's JSON as types (docs/report-json.md names each shape in capitals).

A snapshot is read as it was stored (these are TypedDicts: the JSON itself, so a download
is the stored document), and whatever the gate suppressed is the one marker
`{"suppressed": true}`. A reader asks `shown()` for a group, item or list: what it may
show, or None where the report has nothing to show (suppressed, or not in the report).
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, NotRequired, TypedDict

if TYPE_CHECKING:
    from typing_extensions import TypeIs

# A document or part of one as stored, before it is read as one of the shapes below.
type JSON = dict[str, Any]
# A part of a stored document being read (the previous round's report, say).
type JSONView = Mapping[str, Any]


class Suppressed(TypedDict):
    suppressed: Literal[True]


def suppressed() -> Suppressed:
    """The one thing a report says about a group or item it may not show."""
    return {"suppressed": True}


def is_suppressed(view: object) -> "TypeIs[Suppressed]":
    return isinstance(view, dict) and view.get("suppressed") is True


def shown[View](view: View | Suppressed | None) -> View | None:
    """A group, item or list the report shows; None where it is suppressed or absent."""
    if view is None or is_suppressed(view):
        return None
    return view


class ChoiceView(TypedDict):
    value: int
    label: str
    score: int | None
    unfavourable: bool


class QuestionView(TypedDict):
    code: str
    instrument: str
    kind: str
    text: str
    reverse_scored: bool
    choices: list[ChoiceView]


class ItemView(TypedDict):
    n: int
    distribution: dict[str, int]
    shares: dict[str, float | None]
    mean: float | None
    score: float | None
    unfavourable: float | None
    smoke: bool
    change: float | None
    # Whole percentages of favourable, neutral and unfavourable answers (they add up to
    # 100); None where the question is not scored. Absent from reports built before it.
    split: NotRequired[dict[str, int] | None]


class ChecklistView(TypedDict):
    score: float | None
    change: float | None


class ObsessedView(TypedDict):
    code: str
    dimension: str
    mean: float
    position: str


class ObstacleView(TypedDict):
    code: str
    obstacle: str
    mean: float
    score: float | None
    unfavourable: float | None


class GapView(TypedDict):
    code: str
    executive: float
    front_line: float
    gap: float


class TrendPointView(TypedDict):
    round: str
    opens_on: str
    scores: dict[str, float]


class SummaryView(TypedDict):
    """SUMMARY: what needs attention in a WHOLE, each list largest first."""

    gaps: list[GapView]
    smoke: list[JSON]
    strongest_items: list[JSON]
    weakest_items: list[JSON]
    item_changes: list[JSON]
    strongest_departments: list[JSON]
    weakest_departments: list[JSON]
    department_changes: list[JSON]


class WordView(TypedDict):
    word: str
    count: int


class GroupView(TypedDict):
    """GROUP: a whole, or one level of it. A WHOLE (the organisation, or a department
    rolled up) also has its levels, gap, comments and words."""

    invited: int
    responded: int
    rate: float | None
    questions: dict[str, ItemView | Suppressed]
    checklist: ChecklistView | None
    obsessed: list[ObsessedView]
    obstacles: list[ObstacleView]
    smoke: list[str]
    levels: NotRequired[dict[str, "GroupView | Suppressed"]]
    gap: NotRequired[list[GapView]]
    comments: NotRequired[dict[str, list[str]] | Suppressed]
    words: NotRequired[list[WordView] | Suppressed]
    trend: NotRequired[list[TrendPointView]]
    compared_with: NotRequired[JSON | None]
    summary: NotRequired[SummaryView]


type GroupOrMarker = GroupView | Suppressed


class LevelInfoView(TypedDict):
    name: str
    kind: str


class TooFewInvitedView(TypedDict):
    department: str | None
    level: str | None


class HeatmapView(TypedDict):
    items: list[str]
    departments: dict[str, dict[str, float | Suppressed | None]]
    too_few_invited: NotRequired[list[TooFewInvitedView]]


class SnapshotView(TypedDict):
    """The whole document, as stored in ReportSnapshot.data."""

    schema: int
    round: JSON
    provisional: bool
    built_at: str
    responses: int
    held_back: int
    threshold: int
    comment_threshold: int
    levels: list[LevelInfoView]
    questions: list[QuestionView]
    previous_round: JSON | None
    # Code → the previous round's wording, where it differs (assessment/reporting/wording.py).
    wording_changed: dict[str, str]
    organisation: GroupOrMarker
    departments: dict[str, GroupOrMarker]
    heatmap: HeatmapView


def levels_of(view: GroupView | Suppressed | None) -> Mapping[str, GroupOrMarker]:
    """A group's levels by name; none where the group is not shown."""
    group = shown(view)
    return {} if group is None else group.get("levels", {})
