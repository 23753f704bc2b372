"""Recording what a room (in a workshop) or a leader (from the report) commits to, and
following it up."""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from assessment.free_text import cleaned
from assessment.models import (
    Commitment,
    CommitmentStatus,
    Department,
    Organisation,
    Question,
    Round,
    Workshop,
)

NOT_YOURS = "That does not belong to this organisation."
QUESTION_NOT_IN_WORKSHOP = "Link the commitment to one of the workshop's questions."
WHAT_NEEDED = "Say what is committed to."
WHO_NEEDED = "Say who: a name or a role."
DUE_IN_THE_PAST = "The day it is due cannot be in the past."
QUESTION_NOT_IN_ROUND = "Link the commitment to one of the round's questions."
SETTLED_IN_THE_FUTURE = "The day it was settled cannot be in the future."
SETTLED_BEFORE_MADE = "The day it was settled cannot be before the day it was made ({made})."
SETTLED_WHEN_OPEN = "An open commitment has no settled day: leave it empty."


@transaction.atomic
def commitment_create(
    *,
    organisation: Organisation,
    what: str,
    who: str,
    due_on: datetime.date,
    workshop: Workshop | None = None,
    question: Question | None = None,
    department: Department | None = None,
) -> Commitment:
    # Commitments are printed and downloaded with the report and the workshop's summary.
    what, who = cleaned(what).strip(), cleaned(who).strip()
    errors: dict[str, str] = {}
    if not what:
        errors["what"] = WHAT_NEEDED
    if not who:
        errors["who"] = WHO_NEEDED
    if workshop is not None and workshop.organisation_id != organisation.pk:
        errors["workshop"] = NOT_YOURS
    if department is not None and department.organisation_id != organisation.pk:
        errors["department"] = NOT_YOURS
    if (
        question is not None
        and workshop is not None
        and not workshop.questions.filter(question=question).exists()
    ):
        errors["question"] = QUESTION_NOT_IN_WORKSHOP
    if errors:
        raise ValidationError(errors)
    return Commitment.objects.create(
        organisation=organisation,
        workshop=workshop,
        round=workshop.round if workshop is not None else None,
        what=what,
        who=who,
        due_on=due_on,
        question=question,
        department=department,
        made_on=organisation.today(),
    )


@transaction.atomic
def commitment_record(
    *,
    round_: Round,
    recorded_by: User | None,
    what: str,
    who: str,
    due_on: datetime.date,
    question: Question | None = None,
    department: Department | None = None,
) -> Commitment:
    """A commitment a leader records from a round's report, about one of its items, one
    department, or both. It is due today or later; the next round's report shows it beside
    its item."""
    organisation = round_.organisation
    errors: dict[str, str] = {}
    if due_on < organisation.today():
        errors["due_on"] = DUE_IN_THE_PAST
    if question is not None and not round_.instruments.filter(pk=question.instrument_id).exists():
        errors["question"] = QUESTION_NOT_IN_ROUND
    if errors:
        raise ValidationError(errors)
    commitment = commitment_create(
        organisation=organisation,
        what=what,
        who=who,
        due_on=due_on,
        question=question,
        department=department,
    )
    commitment.round = round_
    commitment.recorded_by = recorded_by
    commitment.save(update_fields=["round", "recorded_by"])
    return commitment


def _settled_errors(
    commitment: Commitment, status: CommitmentStatus, settled_on: datetime.date | None
) -> dict[str, str]:
    if settled_on is None:
        return {}
    if status == CommitmentStatus.OPEN:
        return {"settled_on": SETTLED_WHEN_OPEN}
    if settled_on > commitment.organisation.today():
        return {"settled_on": SETTLED_IN_THE_FUTURE}
    if settled_on < commitment.made_on:
        return {"settled_on": SETTLED_BEFORE_MADE.format(made=f"{commitment.made_on:%-d %b %Y}")}
    return {}


@transaction.atomic
def commitment_status_set(
    *, commitment: Commitment, status: str, settled_on: datetime.date | None = None
) -> Commitment:
    """Mark a commitment kept, kept late or dropped (or open again), settled on the day
    given or, without one, today in the organisation's time zone."""
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=commitment.pk)
    )
    new_status = CommitmentStatus(status)
    errors = _settled_errors(commitment, new_status, settled_on)
    if errors:
        raise ValidationError(errors)
    commitment.status = new_status
    commitment.settled_on = (
        None
        if new_status == CommitmentStatus.OPEN
        else settled_on or commitment.organisation.today()
    )
    commitment.save(update_fields=["status", "settled_on"])
    return commitment
