"""Creating and launching assessment rounds."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from assessment.models import (
    Department,
    Instrument,
    Invitation,
    Level,
    Organisation,
    Person,
    Round,
    RoundInstrument,
    RoundStatus,
)
from assessment.models.organisation import MIN_THRESHOLD

THRESHOLD_TOO_LOW = f"The anonymity threshold cannot be below {MIN_THRESHOLD}."
COMMENT_THRESHOLD_TOO_LOW = "The comment threshold cannot be below the anonymity threshold."
CLOSES_BEFORE_OPENS = "The round must close after it opens."
NO_INSTRUMENTS = "Choose at least one questionnaire."
ALREADY_LAUNCHED = "This round has already been launched."
NOBODY_TO_INVITE = "Nobody active on the roster matches this round's audience."

INVITATION_BATCH = 2000


@transaction.atomic
def round_create(
    *,
    organisation: Organisation,
    name: str,
    purpose: str,
    instruments: Iterable[Instrument],
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    threshold: int | None = None,
    comment_threshold: int | None = None,
    departments: Iterable[Department] = (),
    levels: Iterable[Level] = (),
    reminder_days_before: int | None = None,
) -> Round:
    instruments = list(instruments)
    departments = list(departments)
    levels = list(levels)
    threshold = organisation.threshold if threshold is None else threshold
    comment_threshold = (
        max(organisation.comment_threshold, threshold)
        if comment_threshold is None
        else comment_threshold
    )
    errors = {}
    if threshold < MIN_THRESHOLD:
        errors["threshold"] = THRESHOLD_TOO_LOW
    if comment_threshold < threshold:
        errors["comment_threshold"] = COMMENT_THRESHOLD_TOO_LOW
    if closes_at <= opens_at:
        errors["closes_at"] = CLOSES_BEFORE_OPENS
    if not instruments:
        errors["instruments"] = NO_INSTRUMENTS
    if errors:
        raise ValidationError(errors)
    round = Round.objects.create(
        organisation=organisation,
        name=name,
        purpose=purpose,
        opens_at=opens_at,
        closes_at=closes_at,
        threshold=threshold,
        comment_threshold=comment_threshold,
        audience_all=not (departments or levels),
        reminder_days_before=reminder_days_before,
    )
    RoundInstrument.objects.bulk_create(
        RoundInstrument(round=round, instrument=instrument, position=position)
        for position, instrument in enumerate(instruments)
    )
    round.audience_departments.set(departments)
    round.audience_levels.set(levels)
    return round


def round_audience(round: Round) -> QuerySet[Person]:
    """The active people a round invites: everyone, or the chosen departments (with the
    departments below them) and levels."""
    people = Person.objects.filter(organisation=round.organisation_id, is_active=True)
    if round.audience_all:
        return people
    departments = list(round.audience_departments.all())
    if departments:
        in_subtree = Q()
        for department in departments:
            in_subtree |= Q(department__path=department.path)
            in_subtree |= Q(department__path__startswith=f"{department.path}/")
        people = people.filter(in_subtree)
    level_ids = list(round.audience_levels.values_list("pk", flat=True))
    if level_ids:
        people = people.filter(level_id__in=level_ids)
    return people


@transaction.atomic
def round_launch(*, round: Round) -> Round:
    """Freeze the audience into invitations, each keeping the department and level the
    person has now: a later roster change never moves an answer. Sending happens later."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.status != RoundStatus.DRAFT:
        raise ValidationError(ALREADY_LAUNCHED)
    audience = round_audience(round).values_list("pk", "department_id", "level_id")
    invitations = [
        Invitation(round=round, person_id=pk, department_id=department_id, level_id=level_id)
        for pk, department_id, level_id in audience.iterator(chunk_size=INVITATION_BATCH)
    ]
    if not invitations:
        raise ValidationError(NOBODY_TO_INVITE)
    Invitation.objects.bulk_create(invitations, batch_size=INVITATION_BATCH)
    round.status = RoundStatus.LAUNCHED
    round.launched_at = timezone.now()
    round.save(update_fields=["status", "launched_at"])
    return round
