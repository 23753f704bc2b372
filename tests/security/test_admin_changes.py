"""What the Django admin lets be changed: no launched or closed round, a draft round only
within the rounds' own rules; and the demo's organisation admin is not a Django superuser
and sees no other organisation."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.admin import AUDIENCE_ELSEWHERE
from assessment.anonymity.thresholds import COMMENT_THRESHOLD_TOO_LOW, THRESHOLD_TOO_LOW
from assessment.models import Membership, Role, Round, RoundStatus
from assessment.services.demo import DEMO_PASSWORD, demo_organisation_create
from assessment.services.rounds import round_close, round_create
from tests.support.factories import (
    DepartmentFactory,
    OrganisationFactory,
    launched_round,
    open_window,
    round_for_people,
)

pytestmark = pytest.mark.django_db


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
    closed = round_close(round_=launched_round(organisation, instruments, "Ops"))
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
