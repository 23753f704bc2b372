"""Building the demo organisation from nothing."""

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from assessment.models import Instrument, Organisation, Round

from .answers import simulate_through_the_pages
from .data import DEMO_SLUG
from .people import people_create, staff_create
from .rounds import autumn_round_create, demo_links, spring_round_create
from .workshops import workshops_and_commitments


@dataclass
class DemoResult:
    organisation: Organisation
    round: Round
    logins: list[tuple[str, str, str]]
    links: list[tuple[str, str]]


def demo_organisation_create(*, seed: int = 7, people_scale: float = 1.0) -> DemoResult:
    """Build the demo organisation from nothing. Deterministic for a given seed."""
    rng = random.Random(seed)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name="Northwind Outfitters", slug=DEMO_SLUG, time_zone="Europe/London"
        )
        tops, cultures = people_create(organisation, rng, people_scale)
        logins = staff_create(organisation, tops)
        now = timezone.now()
        instruments = list(Instrument.objects.filter(organisation=None).order_by("pk"))
        spring = spring_round_create(organisation, instruments, now, cultures, rng)
    Round.objects.filter(pk=spring.pk).update(closed_at=spring.closes_at)
    autumn = autumn_round_create(organisation, instruments, now)
    simulate_through_the_pages(autumn, cultures, rng)
    workshops_and_commitments(organisation, tops, {"spring": spring, "autumn": autumn}, rng)
    return DemoResult(
        organisation=organisation, round=autumn, logins=logins, links=demo_links(autumn)
    )
