"""Reads of commitments: the organisation's list, and the summary the culture report
shows (made, kept, kept late, dropped, overdue)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from assessment.models import (
    Commitment,
    CommitmentStatus,
    Department,
    Organisation,
    Round,
    Workshop,
)

# The list's filter: a status, or "overdue" (open after the day it was due).
OVERDUE = "overdue"


@dataclass(frozen=True)
class CommitmentsSummary:
    made: int
    open: int
    kept: int  # kept on time
    late: int  # kept, but late
    dropped: int
    overdue: int  # still open after the day they were due
    as_of: datetime.date
    commitments: list[Commitment]

    @property
    def kept_total(self) -> int:
        return self.kept + self.late


def commitments_for(
    organisation: Organisation,
    *,
    made_from: datetime.date | None = None,
    made_until: datetime.date | None = None,
    department: Department | None = None,
    workshop: Workshop | None = None,
    status: str | None = None,
) -> QuerySet[Commitment]:
    """An organisation's commitments, made between the two days (inclusive), for a
    department and those below it, from one workshop, or of one status."""
    commitments = Commitment.objects.filter(organisation=organisation)
    if made_from is not None:
        commitments = commitments.filter(made_on__gte=made_from)
    if made_until is not None:
        commitments = commitments.filter(made_on__lte=made_until)
    if department is not None:
        commitments = commitments.filter(
            Q(department__path=department.path)
            | Q(department__path__startswith=f"{department.path}/")
        )
    if workshop is not None:
        commitments = commitments.filter(workshop=workshop)
    if status == OVERDUE:
        commitments = commitments.filter(
            status=CommitmentStatus.OPEN, due_on__lt=organisation.today()
        )
    elif status is not None:
        commitments = commitments.filter(status=status)
    return commitments.select_related(
        "workshop", "question", "department", "round", "recorded_by"
    ).order_by("due_on", "pk")


def commitments_summary(
    organisation: Organisation,
    *,
    made_from: datetime.date | None = None,
    made_until: datetime.date | None = None,
    department: Department | None = None,
    workshop: Workshop | None = None,
    as_of: datetime.date | None = None,
) -> CommitmentsSummary:
    """What the culture report shows about commitments, counted in one query.

    The report of a round calls it with the days since the previous round (`made_from`,
    `made_until`) and the day of its snapshot (`as_of`, by default today in the
    organisation's time zone): a commitment still open after its due day is overdue."""
    as_of = as_of or organisation.today()
    commitments = commitments_for(
        organisation,
        made_from=made_from,
        made_until=made_until,
        department=department,
        workshop=workshop,
    )
    counts = commitments.aggregate(
        made=Count("pk"),
        open=Count("pk", filter=Q(status=CommitmentStatus.OPEN)),
        kept=Count("pk", filter=Q(status=CommitmentStatus.KEPT)),
        late=Count("pk", filter=Q(status=CommitmentStatus.LATE)),
        dropped=Count("pk", filter=Q(status=CommitmentStatus.DROPPED)),
        overdue=Count("pk", filter=Q(status=CommitmentStatus.OPEN, due_on__lt=as_of)),
    )
    return CommitmentsSummary(**counts, as_of=as_of, commitments=list(commitments))


def commitments_by_item(
    round_: Round, department: Department | None = None
) -> dict[str, list[Commitment]]:
    """The commitments about the items of a round's report, by question code: those made
    from an earlier round (its report or its workshops), to follow up, then those recorded
    from this round. Matched by code, which stays the same across an instrument's versions.
    With `department`, only that department's and those below it."""
    commitments = commitments_for(round_.organisation, department=department).filter(
        question__isnull=False, round__isnull=False, round__opens_at__lte=round_.opens_at
    )
    by_code: dict[str, list[Commitment]] = {}
    for commitment in commitments.order_by("-round__opens_at", "due_on", "pk"):
        if commitment.question is not None:
            by_code.setdefault(commitment.question.code, []).append(commitment)
    return by_code
