"""The demo's two rounds: a closed one in spring, answered in bulk, whose report the open
autumn round is compared with."""

import datetime
import random

from django.db import transaction

from assessment.models import Instrument, Invitation, Organisation, Round
from assessment.services.invitations import invitation_url
from assessment.services.rounds import round_close, round_create, round_launch

from .answers import simulate_in_bulk
from .data import PURPOSE


def spring_round_create(
    organisation: Organisation,
    instruments: list[Instrument],
    now: datetime.datetime,
    cultures: dict[int, float],
    rng: random.Random,
) -> Round:
    """Launched, answered and closed, which builds its report. Call it inside a transaction:
    the caller sets its closing time once the transaction is over."""
    spring = round_create(
        organisation=organisation,
        name="Customer-centricity baseline (spring)",
        purpose=PURPOSE,
        instruments=instruments,
        opens_at=now - datetime.timedelta(days=200),
        closes_at=now - datetime.timedelta(days=186),
    )
    round_launch(round_=spring, send=False)
    _invitations_sent(spring)
    simulate_in_bulk(spring, cultures, rng, answering=0.74, better_by=-0.07)
    # Closing builds the spring report, the one the autumn round is compared with.
    round_close(round_=spring)
    return spring


@transaction.atomic
def autumn_round_create(
    organisation: Organisation, instruments: list[Instrument], now: datetime.datetime
) -> Round:
    """Open now, launched without sending a message."""
    autumn = round_create(
        organisation=organisation,
        name="Customer-centricity check-in (autumn)",
        purpose=PURPOSE,
        instruments=instruments,
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=18),
        reminder_days_before=3,
    )
    round_launch(round_=autumn, send=False)
    _invitations_sent(autumn)
    return autumn


def _invitations_sent(round_: Round) -> None:
    """The demo sends no e-mail, but its people were invited as a real round's would be:
    counted as e-mailed when the round opened, so that a reminder reaches those who have
    not answered."""
    Invitation.objects.filter(round=round_).update(sent_at=round_.opens_at)


def demo_links(round_: Round | None, count: int = 3) -> list[tuple[str, str]]:
    """Links of a few people who have not started, to try answering as them."""
    waiting = Invitation.objects.filter(round=round_, status="invited").select_related("person")
    return [
        (i.person.name if i.person else "", invitation_url(i))
        for i in waiting.order_by("pk")[:count]
    ]
