"""What someone running the Django admin, or reading the database, can learn about who
answered: the admin shows no person beside whether or when they answered, and opens and
deletes no response; and no stored row of a response says when it was written. (What the
admin lets be changed is in test_admin_changes.py.)"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape

from assessment.models import (
    Answer,
    DraftPage,
    Instrument,
    Invitation,
    InvitationStatus,
    Organisation,
    QuestionKind,
    ReportPart,
    Response,
    Round,
    Section,
    TextAnswer,
    WorkshopAnswer,
    WorkshopParticipant,
)
from assessment.selectors.answering import round_pages
from assessment.services.answering import draft_page_save, response_submit
from assessment.services.rounds import round_close, round_launch
from tests.support.factories import launched_round, round_for_people

pytestmark = pytest.mark.django_db


# Days after the round opened on which people answer: nothing else happens on them.
ANSWERING_DAYS = (2, 5, 9)
NOT_IN_ADMIN = (
    Invitation,
    Response,
    Answer,
    TextAnswer,
    DraftPage,
    WorkshopParticipant,
    WorkshopAnswer,
    ReportPart,
)


def page_data(section: Section, text: str) -> dict:
    """A complete page: the highest choice, two boxes ticked, `text` in every free-text
    box and comment."""
    data: dict = {}
    for question in section.questions.all():
        choices = [c.value for c in question.choices.all()]
        if question.kind == QuestionKind.TEXT:
            data[question.code] = text
        elif question.kind == QuestionKind.MULTI_CHOICE:
            data[question.code] = choices[:2]
        else:
            data[question.code] = choices[-1]
        if question.allows_comment:
            data[f"{question.code}-comment"] = text
    return data


def submit(invitation: Invitation, pages: list[Section], text: str = "We listen.") -> Response:
    for section in pages:
        draft_page_save(
            invitation=invitation, section=section, data=page_data(section, text), complete=True
        )
    return response_submit(invitation=invitation, pages=pages)


def on_day(monkeypatch, days: int, organisation: Organisation) -> set[datetime.date]:
    """Move the clock `days` ahead; returns the day it is then, wherever one looks from."""
    moment = timezone.now() + datetime.timedelta(days=days)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return {
        moment.astimezone(datetime.UTC).date(),
        timezone.localdate(moment),
        timezone.localdate(moment, timezone=organisation.zone),
    }


@pytest.fixture
def answered(open_round, pages, monkeypatch) -> dict:
    """Three people of the open round's Sales front line submit, each on a day of their
    own, and a fourth starts; returns their names (as a page writes them) and the days."""
    # All of one department and level: only a stored day could tell their responses apart.
    invitations = list(
        Invitation.objects.filter(round=open_round, department__name="Sales")
        .select_related("person")
        .order_by("pk")
    )
    days: set[datetime.date] = set()
    real_now = timezone.now
    for invitation, ahead in zip(invitations[:3], ANSWERING_DAYS, strict=True):
        days |= on_day(monkeypatch, ahead, open_round.organisation)
        submit(invitation, pages)
        monkeypatch.setattr(timezone, "now", real_now)
    started = invitations[len(ANSWERING_DAYS)]
    days |= on_day(monkeypatch, 11, open_round.organisation)
    draft_page_save(
        invitation=started, section=pages[0], data=page_data(pages[0], "x"), complete=True
    )
    monkeypatch.setattr(timezone, "now", real_now)
    names = [escape(i.person.name) for i in invitations[: len(ANSWERING_DAYS) + 1]]
    assert Invitation.objects.filter(status=InvitationStatus.SUBMITTED).count() == 3
    return {"names": names, "days": days, "round": open_round}


def day_texts(day: datetime.date) -> set[str]:
    return {
        day.isoformat(),
        formats.date_format(day),
        formats.date_format(day, "SHORT_DATE_FORMAT"),
    }


def every_admin_page(client: Client) -> dict[str, str]:
    """The admin index, and every registered model's list, and change and history pages
    of each of its objects, by address."""
    addresses = [reverse("admin:index")]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        addresses.append(reverse(f"{name}_changelist"))
        for pk in model._default_manager.values_list("pk", flat=True):
            addresses.append(reverse(f"{name}_change", args=[quote(pk)]))
            addresses.append(reverse(f"{name}_history", args=[quote(pk)]))
    pages = {}
    for address in addresses:
        page = client.get(address)
        assert page.status_code == 200, address
        pages[address] = page.content.decode()
    return pages


def test_no_admin_page_shows_a_person_beside_whether_or_when_they_answered(answered, superuser):
    pages = every_admin_page(superuser)

    states = [InvitationStatus.STARTED.label, InvitationStatus.SUBMITTED.label]
    states += ["completed", "answered"]
    days = set().union(*map(day_texts, answered["days"]))
    people_list = pages[reverse("admin:assessment_person_changelist")]
    # The names are there to be found: the roster is still the admin's to keep.
    assert all(name in people_list for name in answered["names"])
    for address, page in pages.items():
        if any(name in page for name in answered["names"]):
            assert not [s for s in states if s.lower() in page.lower()], address
        assert not [day for day in days if day in page], address


def test_responses_answers_drafts_and_invitations_have_no_admin_address(answered, superuser):
    for model in NOT_IN_ADMIN:
        assert not admin.site.is_registered(model), model
    response = Response.objects.first()
    answer = Answer.objects.first()
    text = TextAnswer.objects.first()
    draft = DraftPage.objects.first()
    invitation = Invitation.objects.first()
    for model, row in [
        (Response, response),
        (Answer, answer),
        (TextAnswer, text),
        (DraftPage, draft),
        (Invitation, invitation),
        (WorkshopParticipant, None),
        (WorkshopAnswer, None),
        (ReportPart, None),
    ]:
        base = f"/admin/assessment/{model._meta.model_name}/"
        pk = row.pk if row else 1
        for address in (base, f"{base}{pk}/change/", f"{base}{pk}/delete/", f"{base}add/"):
            assert superuser.get(address).status_code == 404, address
            assert superuser.post(address, {"post": "yes"}).status_code == 404, address
    assert Response.objects.filter(pk=response.pk).exists()
    assert DraftPage.objects.filter(pk=draft.pk).exists()


def stored_answers() -> tuple:
    return (
        sorted(Response.objects.values_list("pk", flat=True)),
        sorted(Answer.objects.values_list("pk", flat=True)),
        sorted(TextAnswer.objects.values_list("pk", flat=True)),
    )


def test_deleting_a_launched_or_closed_round_or_its_organisation_is_refused(
    answered, superuser, organisation, instruments
):
    launched = answered["round"]
    closed = round_close(round_=launched_round(organisation, instruments, "Ops"))
    before = stored_answers()
    assert before[0]

    for round_ in (launched, closed):
        delete = reverse("admin:assessment_round_delete", args=[round_.pk])
        assert superuser.post(delete, {"post": "yes"}).status_code == 403
    for model, pk in [(Round, launched.pk), (Organisation, organisation.pk)]:
        changelist = reverse(f"admin:assessment_{model._meta.model_name}_changelist")
        action = {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
        assert superuser.post(changelist, action).status_code == 403
    delete = reverse("admin:assessment_organisation_delete", args=[organisation.pk])
    assert superuser.post(delete, {"post": "yes"}).status_code == 403

    assert set(Round.objects.values_list("pk", flat=True)) >= {launched.pk, closed.pk}
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert stored_answers() == before

    # The same action deletes a draft round: the refusals are about the rounds' status.
    draft = round_for_people(organisation, instruments, {"Legal": 3}, name="Draft round")
    changelist = reverse("admin:assessment_round_changelist")
    action = {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"}
    assert superuser.post(changelist, action).status_code == 302
    assert not Round.objects.filter(pk=draft.pk).exists()


def test_no_delete_the_admin_offers_reaches_a_response(answered, superuser):
    before = stored_answers()

    # Every object of every model the admin lists, through the delete action, as far as
    # the admin lets it go: what it refuses or protects stays, the rest goes.
    for model in admin.site._registry:
        if model._meta.app_label != "assessment":
            continue
        changelist = reverse(f"admin:assessment_{model._meta.model_name}_changelist")
        for pk in model._default_manager.values_list("pk", flat=True):
            action = {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
            assert superuser.post(changelist, action).status_code in {200, 302, 403}

    assert stored_answers() == before
    assert Round.objects.filter(pk=answered["round"].pk).exists()


def every_value(*models) -> list:
    with connection.cursor() as cursor:
        values = []
        for model in models:
            cursor.execute(f'SELECT * FROM "{model._meta.db_table}"')  # noqa: S608 - model tables
            values += [value for row in cursor.fetchall() for value in row]
    return values


def test_after_people_submit_on_different_days_no_stored_row_says_which_day(answered):
    values = every_value(Response, Answer, TextAnswer, Invitation)

    assert values
    assert not [v for v in values if isinstance(v, datetime.date | datetime.time)]
    days = set().union(*map(day_texts, answered["days"]))
    days |= {day.strftime("%Y%m%d") for day in answered["days"]}
    assert not [v for v in values if isinstance(v, str) and any(d in v for d in days)]
    # The three responses of one department and level are the same row, but for the id.
    rows = Response.objects.filter(round=answered["round"]).values("round", "department", "level")
    assert len({tuple(row.values()) for row in rows}) == 1
    assert len(rows) == len(ANSWERING_DAYS)


def test_answer_and_text_ids_do_not_follow_the_order_answers_were_written_in(
    organisation, instruments
):
    trust = Instrument.objects.get(organisation=None, key="trust")
    round_ = round_launch(round_=round_for_people(organisation, [trust], {"Sales": 50}), send=False)
    pages = round_pages(round_)
    written = {}  # response id: its place in the order of writing
    for place, invitation in enumerate(Invitation.objects.filter(round=round_).order_by("pk")):
        written[submit(invitation, pages, text=f"Story {place}").pk] = place

    for model in (Response, Answer, TextAnswer):
        key = "pk" if model is Response else "response_id"
        places = [written[pk] for pk in model.objects.order_by("pk").values_list(key, flat=True)]
        assert len(set(places)) == 50, model
        # Serial ids would list the rows in the order they were written.
        assert places != sorted(places), model
        assert {pk.version for pk in model.objects.values_list("pk", flat=True)} == {4}, model
