"""`manage.py create_organisation NAME --admin-email EMAIL`: an organisation, its three
levels and its first admin, with a set-password link that works once and runs out; or, on a
wrong value, a clear error and nothing created."""

import datetime
import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessment.management.commands.create_organisation import Command as CreateOrganisation
from assessment.models import Level, LevelKind, Membership, Organisation, Role
from assessment.services.organisation import ACCOUNT_EXISTS, SLUG_TAKEN

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://\S+/accounts/reset/\S+/")
PASSWORD = "a long and new password 2026"


def create(*args: str, **kwargs) -> str:
    out = StringIO()
    call_command("create_organisation", *args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def nothing_created() -> bool:
    return not (
        Organisation.objects.exists()
        or Level.objects.exists()
        or get_user_model().objects.exists()
        or Membership.objects.exists()
    )


def test_it_creates_the_organisation_its_levels_and_an_admin_with_a_link(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        out = create("Harbour & Vine", "--admin-email", "Chef@Harbour-Vine.example")

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.slug) == ("Harbour & Vine", "harbour-vine")
    assert (organisation.time_zone, organisation.threshold, organisation.comment_threshold) == (
        "Europe/London",
        5,
        10,
    )
    assert [(level.name, level.kind) for level in organisation.levels.all()] == [
        ("Executive", LevelKind.EXECUTIVE),
        ("Manager", LevelKind.MANAGER),
        ("Front line", LevelKind.FRONT_LINE),
    ]
    membership = Membership.objects.get()
    assert (membership.organisation, membership.role) == (organisation, Role.ADMIN)
    assert membership.user.email == "chef@harbour-vine.example"
    assert not membership.user.has_usable_password()
    printed = LINK.findall(out)
    [message] = mail.outbox
    assert message.to == ["chef@harbour-vine.example"]
    assert printed and LINK.findall(message.body) == printed


def test_the_options_set_slug_time_zone_and_thresholds():
    create(
        "Harbour & Vine",
        "--admin-email=a@b.example",
        "--slug=hv",
        "--time-zone=Pacific/Auckland",
        "--threshold=7",
        "--comment-threshold=12",
    )

    organisation = Organisation.objects.get()
    assert (organisation.slug, organisation.time_zone) == ("hv", "Pacific/Auckland")
    assert (organisation.threshold, organisation.comment_threshold) == (7, 12)


def test_the_help_shows_each_default():
    help_text = " ".join(
        CreateOrganisation().create_parser("manage.py", "create_organisation").format_help().split()
    )

    assert "(default: Europe/London)" in help_text
    assert "at least 3 (default: 5)" in help_text
    assert "not below --threshold (default: 10)" in help_text
    assert "“Harbour & Vine” → harbour-vine" in help_text


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--admin-email", "not-an-address"], "“not-an-address” is not a valid e-mail address."),
        (["--admin-email", "a@b.example", "--time-zone", "Mars/Olympus"], "--time-zone: “Mars/"),
        (["--admin-email", "a@b.example", "--threshold", "2"], "--threshold: The anonymity"),
        (
            ["--admin-email", "a@b.example", "--comment-threshold", "4"],
            "--comment-threshold: The comment threshold cannot be below",
        ),
        (["--admin-email", "a@b.example", "--slug", "no spaces"], "--slug: Enter a valid"),
    ],
)
def test_a_wrong_value_is_named_and_nothing_is_created(options, said):
    with pytest.raises(CommandError) as refused:
        create("Harbour & Vine", *options)

    assert said in str(refused.value)
    assert str(refused.value).endswith("Nothing was created.")
    assert nothing_created()
    assert mail.outbox == []


def test_a_slug_or_an_account_taken_already_is_refused_and_nothing_more_is_created():
    create("Harbour & Vine", "--admin-email", "a@b.example")

    with pytest.raises(CommandError, match=re.escape(SLUG_TAKEN.format(slug="harbour-vine"))):
        create("Harbour & Vine", "--admin-email", "c@d.example")
    with pytest.raises(CommandError, match=re.escape(ACCOUNT_EXISTS.format(email="a@b.example"))):
        create("Other Place", "--admin-email", "A@B.example")

    assert Organisation.objects.count() == 1
    assert Level.objects.count() == 3
    assert get_user_model().objects.count() == 1


def test_the_link_sets_the_password_once_then_says_it_has_been_used(client):
    out = create("Harbour & Vine", "--admin-email", "a@b.example")
    [link] = LINK.findall(out)
    path = urlsplit(link).path

    form = client.get(path, follow=True)
    assert "Save the new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )
    assert done.status_code == 200
    signed_in = client.post(
        reverse("login"), {"username": "a@b.example", "password": PASSWORD}, follow=True
    )
    assert "Signed in as organisation admin" in signed_in.content.decode()
    client.post(reverse("logout"))

    again = client.get(path, follow=True).content.decode()
    assert "This link has already been used or has expired." in again
    assert "Save the new password" not in again


def test_the_link_runs_out(client, settings, monkeypatch):
    out = create("Harbour & Vine", "--admin-email", "a@b.example")
    [link] = LINK.findall(out)
    later = datetime.datetime.now() + datetime.timedelta(  # noqa: DTZ005 (as _now() is)
        seconds=settings.PASSWORD_RESET_TIMEOUT + 60
    )
    # The token generator reads the clock (naive, local) through its _now().
    monkeypatch.setattr(
        "django.contrib.auth.tokens.PasswordResetTokenGenerator._now", lambda self: later
    )

    page = client.get(urlsplit(link).path, follow=True).content.decode()

    assert "This link has already been used or has expired." in page


def test_the_output_says_where_to_sign_in_and_what_comes_next():
    out = create("Harbour & Vine", "--admin-email", "a@b.example")

    assert "Created Harbour & Vine (slug harbour-vine)" in out
    assert "works once, within 3 days" in out
    assert reverse("login") in out
    assert "Roster → Import a roster" in out
