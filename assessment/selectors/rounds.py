"""Reads for the facilitator's round pages."""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from assessment.anonymity.thresholds import reaches_in_database
from assessment.models import (
    Dispatch,
    Invitation,
    InvitationStatus,
    Organisation,
    Person,
    Round,
)


def rounds_for(organisation: Organisation) -> QuerySet[Round]:
    return (
        Round.objects.filter(organisation=organisation)
        .annotate(
            invited=Count("invitations"),
            submitted=Count(
                "invitations", filter=Q(invitations__status=InvitationStatus.SUBMITTED)
            ),
        )
        # The whole round's "X of Y answered", as the participation page's gate shows
        # its whole-organisation row: only with at least the threshold invited.
        .annotate(
            total_shown=ExpressionWrapper(
                reaches_in_database("invited", "threshold"), output_field=BooleanField()
            )
        )
        .order_by("-opens_at", "-pk")
    )


def round_dispatches(round_: Round) -> list[Dispatch]:
    return list(round_.dispatches.order_by("created_at"))


def round_audience(round_: Round) -> QuerySet[Person]:
    """The active people a round invites: everyone, or the chosen departments (with the
    departments below them) and levels."""
    people = Person.objects.filter(organisation=round_.organisation_id, is_active=True)
    if round_.audience_all:
        return people
    departments = list(round_.audience_departments.all())
    if departments:
        in_subtree = Q()
        for department in departments:
            in_subtree |= Q(department__path=department.path)
            in_subtree |= Q(department__path__startswith=f"{department.path}/")
        people = people.filter(in_subtree)
    level_ids = list(round_.audience_levels.values_list("pk", flat=True))
    if level_ids:
        people = people.filter(level_id__in=level_ids)
    return people


@dataclass(frozen=True)
class LaunchPreview:
    """What launching a round will do: invite these people, e-mail those who can be."""

    invited: int
    emailed: int


def round_launch_preview(round_: Round) -> LaunchPreview:
    audience = round_audience(round_)
    return LaunchPreview(invited=audience.count(), emailed=audience.exclude(email="").count())


@dataclass(frozen=True)
class WaitingCounts:
    """Those invited who have not submitted: how many, how many have started (a draft),
    and how many a reminder reaches (e-mailed an invitation, still on the roster)."""

    waiting: int
    started: int
    reachable: int


def round_waiting(round_: Round) -> WaitingCounts:
    waiting = Invitation.objects.filter(
        round=round_, status__in=[InvitationStatus.INVITED, InvitationStatus.STARTED]
    )
    counts = waiting.aggregate(
        waiting=Count("pk"),
        started=Count("pk", filter=Q(status=InvitationStatus.STARTED)),
        reachable=Count("pk", filter=Q(sent_at__isnull=False, person__isnull=False)),
    )
    return WaitingCounts(**counts)
