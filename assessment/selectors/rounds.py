"""Reads for the facilitator's round pages."""

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from assessment.anonymity.thresholds import reaches_in_database
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
