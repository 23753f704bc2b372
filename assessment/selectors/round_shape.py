"""The departments and levels a round is about: those its invitations were frozen with at
launch (with the departments above them). Departments and levels created later never
appear in the round's participation or report, so later roster changes change nothing."""

from django.db.models import Q

from assessment.models import Department, Invitation, Level, Round


def round_departments(round: Round) -> list[Department]:
    used = set(
        Invitation.objects.filter(round=round).values_list("department__path", flat=True).distinct()
    )
    paths = set()
    for path in used:
        parts = path.split("/")
        paths.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    if not paths:
        return []
    return list(
        Department.objects.filter(organisation=round.organisation_id, path__in=paths).order_by(
            "path"
        )
    )


def round_levels(round: Round) -> list[Level]:
    used = Invitation.objects.filter(round=round).values("level_id")
    return list(
        Level.objects.filter(Q(pk__in=used), organisation=round.organisation_id).order_by(
            "position", "name"
        )
    )
