"""Forgetting who was invited, once it is no longer needed. Answers never pointed at a
person, so reports stay exactly as they were: invitations keep their department and level
(the report's "invited" counts) and lose everything that names or reaches a person."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assessment.models import DraftPage, Invitation, Person, Round, RoundStatus


def _forget(invitations) -> int:
    DraftPage.objects.filter(invitation__in=invitations).delete()
    return invitations.update(person=None, token_salt="", token_hash=None)


@transaction.atomic
def round_personal_data_remove(*, round_: Round) -> int:
    """Remove the round's links, unsent drafts and the link from each invitation to the
    person invited. Returns the number of invitations forgotten."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    forgotten = _forget(Invitation.objects.filter(round=round_))
    round_.personal_data_removed_at = timezone.now()
    round_.save(update_fields=["personal_data_removed_at"])
    return forgotten


def rounds_retention_apply(*, now: datetime.datetime | None = None) -> list[Round]:
    """Apply the retention period to every closed round that has reached it."""
    now = now or timezone.now()
    due = Round.objects.filter(
        status=RoundStatus.CLOSED,
        closed_at__lte=now - datetime.timedelta(days=settings.RETENTION_DAYS),
        personal_data_removed_at__isnull=True,
    )
    done = []
    for round_ in due:
        round_personal_data_remove(round_=round_)
        done.append(round_)
    return done


@transaction.atomic
def person_erase(*, person: Person) -> None:
    """Erase a person: off the roster, out of every invitation, their unsubmitted drafts
    deleted. Their submitted answers were never theirs by name, and stay."""
    _forget(Invitation.objects.filter(person=person))
    person.delete()
