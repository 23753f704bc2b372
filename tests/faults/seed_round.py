"""Migrate the database of DATABASE_URL and make an open round there whose invitees have
answered every page and only have to submit: for tests/faults/test_postgres_outage.py,
whose database lives on a PostgreSQL cluster of its own, out of pytest-django's reach.

    DATABASE_URL=postgres://… python -m tests.faults.seed_round PEOPLE

Prints one JSON object: the round's id, the number of answers a response holds, and the
invitations as [id, path of the personal link]."""

import json
import os
import sys
from urllib.parse import urlsplit

import django


def main(people: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.core.management import call_command

    from assessment.forms.answering import SectionForm
    from assessment.models import Instrument, Invitation, Level, LevelKind
    from assessment.selectors.answering import round_pages
    from assessment.services.answering import draft_page_save
    from assessment.services.invitations import invitation_url
    from assessment.services.rounds import round_create, round_launch
    from tests.support.answers import valid_post
    from tests.support.factories import (
        DepartmentFactory,
        OrganisationFactory,
        PersonFactory,
        open_window,
    )

    call_command("migrate", verbosity=0)
    organisation = OrganisationFactory(name="Acme Outfitters", slug="acme")
    front = Level.objects.create(
        organisation=organisation, name="Front line", kind=LevelKind.FRONT_LINE, position=0
    )
    departments = [
        DepartmentFactory(organisation=organisation, name=name)
        for name in ("Sales", "Support", "Finance", "Logistics")
    ]
    for number in range(people):
        PersonFactory(
            organisation=organisation,
            department=departments[number % len(departments)],
            level=front,
            email=f"person{number}@acme.example",
        )
    opens_at, closes_at = open_window()
    round_ = round_create(
        organisation=organisation,
        name="Spring round",
        purpose="-",
        instruments=[Instrument.objects.get(key="checklist", organisation=None)],
        opens_at=opens_at,
        closes_at=closes_at,
    )
    round_launch(round_=round_, send=False)
    pages = round_pages(round_)
    invitations = list(Invitation.objects.filter(round=round_).order_by("pk"))
    answers = 0
    for section in pages:
        form = SectionForm(valid_post(section), section=section)
        assert form.is_valid(), form.errors
        data = form.merged_draft({})
        answers += len(data)
        for invitation in invitations:
            draft_page_save(invitation=invitation, section=section, data=data, complete=True)
    return {
        "round": round_.pk,
        "answers": answers,
        "invitations": [[i.pk, urlsplit(invitation_url(i)).path] for i in invitations],
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
