"""Recording a commitment, at the service level."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessment.models import Commitment
from assessment.services.commitments import WHAT_NEEDED, WHO_NEEDED, commitment_create

pytestmark = pytest.mark.django_db


def test_a_commitment_of_nothing_but_control_characters_is_refused_and_nothing_kept(
    organisation,
):
    with pytest.raises(ValidationError) as refused:
        commitment_create(
            organisation=organisation,
            what="\x01\x02\x7f \u2028",
            who="\x1b\x9f",
            due_on=datetime.date(2030, 6, 30),
        )

    assert refused.value.message_dict == {"what": [WHAT_NEEDED], "who": [WHO_NEEDED]}
    assert not Commitment.objects.exists()


def test_a_commitment_is_kept_cleaned(organisation):
    commitment = commitment_create(
        organisation=organisation,
        what="\x01 Call\x7f back\r\nevery customer ",
        who="Head\x85of sales",
        due_on=datetime.date(2030, 6, 30),
    )

    commitment.refresh_from_db()
    assert (commitment.what, commitment.who) == ("Call back\nevery customer", "Head\nof sales")
