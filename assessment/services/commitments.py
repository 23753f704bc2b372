"""Recording what a room commits to, and following it up."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from assessment.free_text import cleaned
from assessment.models import (
    Commitment,
    CommitmentStatus,
    Department,
    Organisation,
    Question,
    Workshop,
)

NOT_YOURS = "That does not belong to this organisation."
QUESTION_NOT_IN_WORKSHOP = "Link the commitment to one of the workshop's questions."
WHAT_NEEDED = "Say what is committed to."
WHO_NEEDED = "Say who: a name or a role."


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
        what=what,
        who=who,
        due_on=due_on,
        question=question,
        department=department,
        made_on=organisation.today(),
    )


@transaction.atomic
def commitment_status_set(*, commitment: Commitment, status: str) -> Commitment:
    """Mark a commitment kept, kept late or dropped (or open again)."""
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=commitment.pk)
    )
    commitment.status = CommitmentStatus(status)
    commitment.settled_on = (
        None if commitment.status == CommitmentStatus.OPEN else commitment.organisation.today()
    )
    commitment.save(update_fields=["status", "settled_on"])
    return commitment
