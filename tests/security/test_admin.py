"""What someone running the Django admin, or reading the database, can learn about who
answered: the admin shows no person beside whether or when they answered, opens and
deletes no response, and lets no launched round be changed; the demo's organisation admin
is not a Django superuser; and no stored row of a response says when it was written."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape

from assessment.admin import AUDIENCE_ELSEWHERE
from assessment.anonymity.thresholds import COMMENT_THRESHOLD_TOO_LOW, THRESHOLD_TOO_LOW
from assessment.models import (
    Answer,
    DraftPage,
    Instrument,
    Invitation,
    InvitationStatus,
    Membership,
    Organisation,
    QuestionKind,
    ReportPart,
    Response,
    Role,
    Round,
    RoundStatus,
    Section,
    TextAnswer,
    WorkshopAnswer,
    WorkshopParticipant,
)
from assessment.selectors.answering import round_pages
from assessment.services.answering import draft_page_save, response_submit
from assessment.services.demo import DEMO_PASSWORD, demo_organisation_create
from assessment.services.rounds import round_close, round_create, round_launch
from tests.support.factories import (
    DepartmentFactory,
    OrganisationFactory,
    open_window,
    round_for_people,
)

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


@pytest.fixture
def superuser() -> Client:
    user = get_user_model().objects.create_superuser(username="root", password="pw")
    client = Client()
    client.force_login(user)
    return client


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


def launched_round(organisation: Organisation, instruments, department: str) -> Round:
    round_ = round_for_people(organisation, instruments, {department: 3}, name=department)
    return round_launch(round=round_, send=False)


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
    closed = round_close(round=launched_round(organisation, instruments, "Ops"))
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


def round_post(round_: Round, **changes) -> dict:
    """The admin's change form of a round, filled as it is now, with `changes`."""
    data = {
        "name": round_.name,
        "purpose": round_.purpose,
        "audience_all": "on" if round_.audience_all else "",
        "threshold": round_.threshold,
        "comment_threshold": round_.comment_threshold,
        "reminder_days_before": round_.reminder_days_before or "",
        "_save": "Save",
    }
    for field in ("opens_at", "closes_at"):
        moment = timezone.localtime(getattr(round_, field))
        data[f"{field}_0"] = moment.date().isoformat()
        data[f"{field}_1"] = moment.time().isoformat(timespec="seconds")
    links = list(round_.round_instruments.order_by("pk"))
    prefix = "round_instruments"
    data |= {
        f"{prefix}-TOTAL_FORMS": len(links),
        f"{prefix}-INITIAL_FORMS": len(links),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for i, link in enumerate(links):
        data |= {
            f"{prefix}-{i}-id": link.pk,
            f"{prefix}-{i}-round": round_.pk,
            f"{prefix}-{i}-instrument": link.instrument_id,
            f"{prefix}-{i}-position": link.position,
        }
    return {**data, **changes}


def stored(round_: Round) -> dict:
    return Round.objects.filter(pk=round_.pk).values().get()


def test_a_launched_or_closed_round_cannot_be_changed_in_the_admin(
    open_round, organisation, instruments, superuser
):
    closed = round_close(round=launched_round(organisation, instruments, "Ops"))
    draft = round_for_people(organisation, instruments, {"Legal": 3}, name="Draft round")
    assert (open_round.threshold, closed.threshold) == (5, 5)

    attempts = [
        (open_round, {"threshold": 3}),
        (open_round, {"threshold": 3, "comment_threshold": 3, "status": "draft"}),
        (closed, {"status": "launched"}),
        (closed, {"status": "draft", "threshold": 3}),
        (closed, {"name": "Renamed"}),
    ]
    for round_, changes in attempts:
        before = stored(round_)
        address = reverse("admin:assessment_round_change", args=[round_.pk])
        assert superuser.post(address, round_post(round_, **changes)).status_code == 403
        assert stored(round_) == before
    # Read-only, not hidden: the page shows the round, with no field to change.
    page = superuser.get(reverse("admin:assessment_round_change", args=[open_round.pk]))
    assert page.status_code == 200
    assert 'name="threshold"' not in page.content.decode()

    # The same form changes a draft round: the refusals above are about the round's status.
    address = reverse("admin:assessment_round_change", args=[draft.pk])
    saved = superuser.post(address, round_post(draft, name="Renamed", status="launched"))
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.status, draft.launched_at) == ("Renamed", RoundStatus.DRAFT, None)


def test_a_draft_round_is_changed_in_the_admin_only_within_the_rounds_rules(
    organisation, instruments, superuser
):
    draft = round_for_people(organisation, instruments, {"Legal": 3}, name="Draft round")
    elsewhere = DepartmentFactory(organisation=OrganisationFactory(slug="elsewhere"))
    address = reverse("admin:assessment_round_change", args=[draft.pk])
    before = stored(draft)

    cases = [
        ({"threshold": 2, "comment_threshold": 2}, "threshold", THRESHOLD_TOO_LOW),
        ({"threshold": 8, "comment_threshold": 6}, "comment_threshold", COMMENT_THRESHOLD_TOO_LOW),
        (
            {"closes_at_0": (draft.opens_at - datetime.timedelta(days=1)).date().isoformat()},
            "closes_at",
            "The round must close after it opens.",
        ),
        (
            {"audience_all": "", "audience_departments": [elsewhere.pk]},
            "audience_departments",
            AUDIENCE_ELSEWHERE,
        ),
    ]
    for changes, field, message in cases:
        page = superuser.post(address, round_post(draft, **changes))
        assert page.status_code == 200
        assert message in page.context["adminform"].form.errors[field]
        assert stored(draft) == before


def test_the_demos_organisation_admin_is_no_superuser_and_sees_no_other_organisation(
    instruments,
):
    result = demo_organisation_create(people_scale=0.1)
    other = OrganisationFactory(name="Other Ltd", slug="other")
    other_round = round_create(
        organisation=other,
        name="Rival round",
        purpose="Theirs.",
        instruments=instruments[:1],
        opens_at=open_window()[0],
        closes_at=open_window()[1],
    )
    user = get_user_model().objects.get(username="admin")
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (result.organisation, Role.ADMIN)
    assert not user.is_superuser
    assert not user.is_staff
    assert not get_user_model().objects.filter(is_superuser=True).exists()

    client = Client()
    signed_in = client.post(reverse("login"), {"username": "admin", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302

    # The round pages show the demo's own rounds, and another organisation's is not found.
    own = client.get(reverse("rounds:detail", args=[result.round.pk]))
    assert own.status_code == 200
    assert client.get(reverse("rounds:detail", args=[other_round.pk])).status_code == 404
    assert "Rival round" not in client.get(reverse("rounds:list")).content.decode()
    # The Django admin, which sees every organisation, sends them to its own sign-in.
    for address in (
        reverse("admin:index"),
        reverse("admin:assessment_organisation_changelist"),
        reverse("admin:assessment_round_change", args=[other_round.pk]),
    ):
        page = client.get(address)
        assert page.status_code == 302
        assert urlsplit(page["Location"]).path == reverse("admin:login")


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
    round_ = round_launch(round=round_for_people(organisation, [trust], {"Sales": 50}), send=False)
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
