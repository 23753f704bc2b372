"""Who is taking part in a round: invited / started / submitted by department (rolled up
the tree) × level. Counted with one GROUP BY; what is shown passes the anonymity gate,
with invitations as the group size (a unit with fewer invited than the threshold is not
shown, nor is anything that would reveal it by subtraction)."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count

from assessment.anonymity import OrganisationShape, cell_key, is_shown
from assessment.anonymity.decide import Table, hidden_groups
from assessment.models import (
    Department,
    Invitation,
    InvitationStatus,
    Level,
    Organisation,
    Round,
    RoundStatus,
)
from assessment.selectors.round_shape import round_departments, round_levels


@dataclass
class Counts:
    invited: int = 0
    started: int = 0
    submitted: int = 0

    def add(self, other: "Counts") -> None:
        self.invited += other.invited
        self.started += other.started
        self.submitted += other.submitted

    @property
    def rate(self) -> int:
        return round(100 * self.submitted / self.invited) if self.invited else 0


@dataclass
class Row:
    label: str
    depth: int
    counts: Counts | None  # None: not shown
    cells: list[Counts | None] = field(default_factory=list)
    is_total: bool = False
    department_id: int | None = None  # None: the whole organisation


@dataclass
class Participation:
    levels: list[Level]
    rows: list[Row]
    total: Counts | None


@lru_cache(maxsize=256)
def _hidden(
    parents: tuple[tuple[int, int | None], ...],
    levels: tuple[int, ...],
    cells: tuple[tuple[str, int], ...],
    threshold: int,
) -> frozenset[str]:
    """The gate's decision for a round's invitations. They are frozen at launch, so the
    page (which refreshes itself every few seconds) asks the gate once per round and
    threshold, not once per refresh."""
    shape = OrganisationShape(parents=dict(parents), levels=list(levels), counts={})
    table = Table(
        members=shape.members,
        partitions=shape.partitions(),
        never_shown=frozenset(shape.never_shown()),
    )
    return frozenset(hidden_groups(table, dict(cells), threshold))


def _direct_counts(round_: Round) -> dict[tuple[int, int], Counts]:
    """Who was invited, started and submitted, by (department, level), below nobody."""
    direct: dict[tuple[int, int], Counts] = defaultdict(Counts)
    grouped = (
        Invitation.objects.filter(round=round_)
        .values("department_id", "level_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        counts = direct[(row["department_id"], row["level_id"])]
        counts.invited += row["n"]
        if row["status"] in (InvitationStatus.STARTED, InvitationStatus.SUBMITTED):
            counts.started += row["n"]
        if row["status"] == InvitationStatus.SUBMITTED:
            counts.submitted += row["n"]
    return direct


def _rolled_up(
    direct: dict[tuple[int, int], Counts], shape: OrganisationShape, level_ids: list[int]
) -> dict[str, dict[int, Counts]]:
    """Each department's counts by level with those of the departments below it, by node."""
    rolled: dict[str, dict[int, Counts]] = {}

    def roll(department_id: int | None) -> dict[int, Counts]:
        per_level = {level_id: Counts() for level_id in level_ids}
        for level_id in level_ids:
            per_level[level_id].add(direct.get((department_id, level_id), Counts()))  # type: ignore[arg-type]
        for child in shape.children(department_id):
            for level_id, counts in roll(child).items():
                per_level[level_id].add(counts)
        rolled[shape.node(department_id)] = per_level
        return per_level

    roll(None)
    return rolled


def round_participation(round_: Round) -> Participation:
    levels = round_levels(round_)
    departments = round_departments(round_)
    direct = _direct_counts(round_)
    shape = OrganisationShape(
        parents={d.pk: d.parent_id for d in departments},
        levels=[lv.pk for lv in levels],
        counts={key: c.invited for key, c in direct.items()},
    )
    sizes = shape.sizes()
    hidden = _hidden(
        tuple(sorted(shape.parents.items(), key=lambda item: item[0])),
        tuple(shape.levels),
        tuple(sorted(shape.cell_sizes().items())),
        round_.threshold,
    )

    rolled = _rolled_up(direct, shape, [lv.pk for lv in levels])

    def shown(key: str) -> bool:
        return is_shown(key, hidden, sizes)

    def row_for(department_id: int | None, label: str, depth: int) -> Row:
        node = shape.node(department_id)
        per_level = rolled[node]
        total = Counts()
        for counts in per_level.values():
            total.add(counts)
        return Row(
            label=label,
            depth=depth,
            counts=total if shown(node) else None,
            cells=[per_level[lv.pk] if shown(cell_key(node, lv.pk)) else None for lv in levels],
            is_total=department_id is None,
            department_id=department_id,
        )

    rows = [row_for(None, "Whole organisation", 0)]
    for department in sorted(departments, key=lambda d: d.path):
        if sizes.get(shape.node(department.pk), 0):  # departments nobody was invited from
            rows.append(
                row_for(department.pk, department.path.split("/")[-1], department.depth + 1)
            )
    # None when the whole round is too small to show, never a made-up 0 of 0.
    return Participation(levels=levels, rows=rows, total=rows[0].counts)


def round_participation_within(round_: Round, within: Department | None) -> Counts | None:
    """The one row of a round's participation a reader may follow: the whole organisation,
    or a department lead's department with those below it (as the report's scope reads
    it). None when the gate does not show that row or nobody in it was invited."""
    participation = round_participation(round_)
    if within is None:
        return participation.total
    row = next((row for row in participation.rows if row.department_id == within.pk), None)
    return row.counts if row is not None else None


@dataclass
class RoundAnswered:
    round: Round
    answered: Counts | None  # None: not shown (or a draft, with nobody invited yet)


def rounds_answered(
    organisation: Organisation, within: Department | None, limit: int = 10
) -> list[RoundAnswered]:
    """The newest rounds, each with how many of the reader's part of it have answered
    (`round_participation_within`)."""
    rounds = Round.objects.filter(organisation=organisation).order_by("-opens_at", "-pk")
    return [
        RoundAnswered(
            round=round_,
            answered=None
            if round_.status == RoundStatus.DRAFT
            else round_participation_within(round_, within),
        )
        for round_ in rounds[:limit]
    ]
