"""Commitments recorded from the report: from an item, a department or a smoke flag, into
the commitments list, and beside the item in the next round's report; a department lead
follows up their own department's only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Commitment, CommitmentStatus
from assessment.services.commitments import (
    DUE_IN_THE_PAST,
    SETTLED_IN_THE_FUTURE,
    commitment_record,
)
from assessment.views.staff.commitments import COMMITMENT_RECORDED, STATUS_CHANGED
from tests.support.report_data import make_round
from tests.support.report_pages import build_report, executive, lead, page_text

pytestmark = pytest.mark.django_db


def _words(response) -> str:
    return " ".join(page_text(response).split())


def _record(client, round_, **data):
    fields = {
        "what": "Read one customer complaint aloud at every Monday huddle",
        "who": "Head of Operations",
        "due_on": "2099-03-31",
        "question": "checklist-01",
        "department": "",
    }
    fields.update(data)
    return client.post(
        reverse("reports:commitment-new", kwargs={"pk": round_.pk}), fields, follow=True
    )


def test_an_item_offers_a_prefilled_commitment_form(tree, organisation):
    round_, departments = tree
    build_report(round_)
    client = executive(organisation)

    question_page = client.get(
        reverse("reports:question", kwargs={"pk": round_.pk, "code": "checklist-01"})
    )
    link = reverse("reports:commitment-new", kwargs={"pk": round_.pk}) + "?question=checklist-01"
    form = client.get(link).content.decode()
    department_link = (
        reverse("reports:commitment-new", kwargs={"pk": round_.pk})
        + f"?department={departments['operations'].pk}"
    )
    department_form = client.get(department_link).content.decode()

    assert link in question_page.content.decode()
    assert '<option value="checklist-01" selected>' in form
    assert f'<option value="{departments["operations"].pk}" selected>' in department_form


def test_an_executive_records_a_commitment_from_an_item_and_finds_it_in_the_list(
    tree, organisation
):
    round_, _ = tree
    build_report(round_)
    client = executive(organisation)

    listed = _record(client, round_)

    commitment = Commitment.objects.get()
    text = _words(listed)
    assert COMMITMENT_RECORDED in text
    assert "Read one customer complaint aloud at every Monday huddle" in text
    assert "Head of Operations" in text
    assert (commitment.round, commitment.question.code) == (round_, "checklist-01")
    assert commitment.recorded_by.username.startswith("executive")
    assert commitment.made_on == organisation.today()


def test_a_commitment_due_in_the_past_is_refused_and_nothing_is_kept(tree, organisation):
    round_, _ = tree
    client = executive(organisation)
    yesterday = organisation.today() - datetime.timedelta(days=1)

    refused = _record(client, round_, due_on=yesterday.isoformat())
    nothing = _record(client, round_, what="  ", who="")

    assert DUE_IN_THE_PAST in refused.content.decode()
    assert nothing.status_code == 200
    assert "This field is required." in nothing.content.decode()
    assert not Commitment.objects.exists()


def test_the_next_rounds_report_shows_the_commitment_beside_its_item(
    tree, organisation, instruments
):
    round_, departments = tree
    build_report(round_)
    client = executive(organisation)
    _record(client, round_, department=departments["logistics"].pk)
    next_round = make_round(
        organisation,
        instruments,
        name="Autumn round",
        closed=False,
        opens_at=timezone.now() - datetime.timedelta(days=1),
    )
    build_report(next_round)

    question = _words(
        client.get(
            reverse("reports:question", kwargs={"pk": next_round.pk, "code": "checklist-01"})
        )
    )
    # The round it came from shows it in the item's row, as the next one's rows would.
    overview = _words(client.get(reverse("reports:overview", kwargs={"pk": round_.pk})))
    other_item = _words(
        client.get(
            reverse("reports:question", kwargs={"pk": next_round.pk, "code": "checklist-02"})
        )
    )

    beside = "Committed in Spring round for Operations/Logistics: Read one customer complaint"
    assert beside in question
    assert "due 31 Mar 2099, open" in question
    assert "Committed from this report for Operations/Logistics: Read one" in overview
    assert beside not in other_item


def test_a_lead_sees_and_follows_up_only_their_own_departments_commitments(tree, organisation):
    round_, departments = tree
    ours = commitment_record(
        round_=round_,
        recorded_by=None,
        what="Visit two customers",
        who="Logistics lead",
        due_on=organisation.today(),
        department=departments["logistics"],
    )
    theirs = commitment_record(
        round_=round_,
        recorded_by=None,
        what="Rewrite the treasury letters",
        who="CFO",
        due_on=organisation.today(),
        department=departments["treasury"],
    )
    client = lead(organisation, departments["operations"])

    listed = _words(client.get(reverse("commitments:list")))
    kept = client.post(
        reverse("commitments:status", kwargs={"pk": ours.pk}),
        {"status": CommitmentStatus.LATE, "settled_on": organisation.today().isoformat()},
        follow=True,
    )
    refused = client.post(
        reverse("commitments:status", kwargs={"pk": theirs.pk}), {"status": "dropped"}
    )

    assert "Visit two customers" in listed
    assert "Rewrite the treasury letters" not in listed
    assert STATUS_CHANGED.format(status="kept late") in _words(kept)
    assert refused.status_code == 404
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.status, ours.settled_on) == (CommitmentStatus.LATE, organisation.today())
    assert (theirs.status, theirs.settled_on) == (CommitmentStatus.OPEN, None)


def test_a_lead_cannot_record_a_commitment_for_another_department(tree, organisation):
    round_, departments = tree
    client = lead(organisation, departments["operations"])

    form = client.get(reverse("reports:commitment-new", kwargs={"pk": round_.pk}))
    refused = _record(client, round_, department=departments["treasury"].pk)
    recorded = _record(client, round_, department=departments["warehouse"].pk)

    assert "Treasury" not in form.content.decode()
    assert "Select a valid choice" in refused.content.decode()
    assert list(Commitment.objects.values_list("department", flat=True)) == [
        departments["warehouse"].pk
    ]
    assert COMMITMENT_RECORDED in _words(recorded)


def test_a_settled_day_in_the_future_is_refused_and_nothing_changes(tree, organisation):
    round_, _ = tree
    commitment = commitment_record(
        round_=round_, recorded_by=None, what="Call", who="COO", due_on=organisation.today()
    )
    tomorrow = organisation.today() + datetime.timedelta(days=1)

    response = executive(organisation).post(
        reverse("commitments:status", kwargs={"pk": commitment.pk}),
        {"status": CommitmentStatus.KEPT, "settled_on": tomorrow.isoformat()},
        follow=True,
    )

    assert SETTLED_IN_THE_FUTURE in _words(response)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.settled_on) == (CommitmentStatus.OPEN, None)


def test_the_list_filters_open_and_overdue_commitments(tree, organisation):
    round_, _ = tree
    for what, due in (("Overdue one", -3), ("Due later", 30)):
        commitment = commitment_record(
            round_=round_, recorded_by=None, what=what, who="COO", due_on=organisation.today()
        )
        Commitment.objects.filter(pk=commitment.pk).update(
            due_on=organisation.today() + datetime.timedelta(days=due)
        )
    client = executive(organisation)

    overdue = _words(client.get(reverse("commitments:list") + "?status=overdue"))
    still_open = _words(client.get(reverse("commitments:list") + "?status=open"))

    assert "Overdue one" in overdue
    assert "Due later" not in overdue
    assert "Overdue one" in still_open
    assert "Due later" in still_open
