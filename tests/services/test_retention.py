"""Forgetting who was invited: the retention period, erasing a person, and roster changes
after launch. The report never changes by a single number."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import DraftPage, Invitation, Person, Round
from assessment.services.retention import person_erase, rounds_retention_apply
from assessment.services.rounds import round_close
from tests.support.answers import save_all_pages
from tests.support.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def numbers(report: dict) -> dict:
    """The report without the moment it was built."""
    return {k: v for k, v in report.items() if k != "built_at"}


@pytest.fixture
def answered_round(open_round, pages, settings):
    """Everyone but two has submitted; one has a draft; the round is closed."""
    settings.RETENTION_DAYS = 30
    invitations = list(Invitation.objects.filter(round=open_round).order_by("pk"))
    for invitation in invitations[:8]:
        save_all_pages(invitation, pages)
        from assessment.services.answering import response_submit

        response_submit(invitation=invitation, pages=pages)
    save_all_pages(invitations[8], pages[:1])
    round_close(round_=open_round)
    return open_round


def test_the_retention_period_removes_links_drafts_and_names_and_no_report_number(
    answered_round, report_of
):
    before = numbers(report_of(answered_round))
    Round.objects.filter(pk=answered_round.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=31)
    )

    assert rounds_retention_apply() == [answered_round]

    invitations = Invitation.objects.filter(round=answered_round)
    assert invitations.count() == 10
    assert not invitations.filter(person__isnull=False).exists()
    assert not invitations.exclude(token_salt="").exists()
    assert not invitations.filter(token_hash__isnull=False).exists()
    assert DraftPage.objects.count() == 0
    assert numbers(report_of(answered_round)) == before
    assert Person.objects.count() == 10  # the roster itself is the organisation's


def test_a_round_inside_its_retention_period_keeps_everything(answered_round):
    assert rounds_retention_apply() == []
    assert Invitation.objects.filter(round=answered_round, person__isnull=True).count() == 0


def test_erasing_a_person_removes_them_everywhere_but_their_answers_and_the_report_stay(
    answered_round, report_of, client, invitation_link
):
    before = numbers(report_of(answered_round))
    invitation, link = invitation_link(0)
    person = invitation.person

    person_erase(person=person)

    assert not Person.objects.filter(pk=person.pk).exists()
    invitation.refresh_from_db()
    assert invitation.person is None and invitation.token_hash is None
    assert client.get(link).status_code == 404
    assert numbers(report_of(answered_round)) == before


def test_an_admin_erases_a_person_from_the_roster_page(staff, open_round):
    person = open_round.organisation.people.first()
    page = staff["admin"].get(reverse("roster:erase", kwargs={"pk": person.pk}))
    assert "This cannot be undone" in page.content.decode()
    staff["admin"].post(reverse("roster:erase", kwargs={"pk": person.pk}))
    assert not Person.objects.filter(pk=person.pk).exists()
    assert Invitation.objects.filter(round=open_round).count() == 10


def test_roster_changes_after_launch_leave_the_report_identical(answered_round, report_of):
    before = numbers(report_of(answered_round))
    elsewhere = DepartmentFactory(organisation=answered_round.organisation, name="Elsewhere")
    answered_round.organisation.people.update(department=elsewhere, is_active=False)

    after = report_of(answered_round)
    assert numbers(after) == before
    assert "Elsewhere" not in after["departments"]
