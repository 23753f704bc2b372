"""Reads for the facilitator's round pages."""

from django.db.models import Count, Q, QuerySet

from assessment.models import Dispatch, InvitationStatus, Organisation, Round


def rounds_for(organisation: Organisation) -> QuerySet[Round]:
    return (
        Round.objects.filter(organisation=organisation)
        .annotate(
            invited=Count("invitations"),
            submitted=Count(
                "invitations", filter=Q(invitations__status=InvitationStatus.SUBMITTED)
            ),
        )
        .order_by("-opens_at", "-pk")
    )


def round_dispatches(round: Round) -> list[Dispatch]:
    return list(round.dispatches.order_by("created_at"))
