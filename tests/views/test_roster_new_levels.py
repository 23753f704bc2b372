"""Levels a roster names that the organisation has not got: the check lists them and an
organisation admin creates them there, choosing each one's kind, instead of the file being
refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from assessment.forms.roster import CHOOSE_KIND
from assessment.models import Department, Level, LevelKind, Person
from tests.support.roster_files import csv_file

pytestmark = pytest.mark.django_db

ROSTER = csv_file(
    ("Ana Silva", "ana@example.com", "Galley", "Crew"),
    ("Ben Okafor", "ben@example.com", "Galley", "Manager"),
    ("Cleo Marsh", "cleo@example.com", "Deck/Aft", "crew"),
    ("Dev Patel", "dev@example.com", "Bridge", "Captain"),
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def check(client, content: bytes = ROSTER):
    return client.post(reverse("roster:upload"), {"file": SimpleUploadedFile("r.csv", content)})


def kept(preview) -> str:
    return preview.context["confirm_form"].initial["upload"]


def test_the_check_lists_the_new_levels_with_their_lines_and_what_each_kind_means(staff):
    preview = check(staff["admin"])
    page = preview.content.decode()

    assert preview.status_code == 200
    assert "Check the import" in page
    assert "New levels" in page
    assert "The file names 2 levels the organisation has not got yet" in page
    assert "2 lines (2, 4)" in page  # Crew, however its case
    assert "1 line (5)" in page  # Captain
    assert escape("The report's gap compares them with the front line") in page
    assert "ana@example.com" in page
    assert Level.objects.filter(name__in=["Crew", "Captain"]).count() == 0


def test_importing_without_choosing_the_kinds_says_so_and_writes_nothing(staff):
    admin = staff["admin"]
    upload = kept(check(admin))

    refused = admin.post(
        reverse("roster:confirm"),
        {"upload": upload, "level_0": "Crew", "level_1": "Captain", "kind_0": "front_line"},
    )

    assert refused.status_code == 400
    assert escape(CHOOSE_KIND.format(name="Captain")) in refused.content.decode()
    assert Person.objects.count() == 0
    assert Department.objects.filter(name="Galley").count() == 0
    assert Level.objects.filter(name__in=["Crew", "Captain"]).count() == 0


def test_the_admin_chooses_the_kinds_and_the_levels_come_with_the_import(staff, organisation):
    admin = staff["admin"]
    upload = kept(check(admin))

    done = admin.post(
        reverse("roster:confirm"),
        {
            "upload": upload,
            "level_0": "Crew",
            "kind_0": LevelKind.FRONT_LINE,
            "level_1": "Captain",
            "kind_1": LevelKind.EXECUTIVE,
        },
        follow=True,
    )

    assert "Roster imported: 4 added" in done.content.decode()
    assert "2 new levels" in done.content.decode()
    levels = Level.objects.filter(organisation=organisation)
    assert [(level.name, level.kind) for level in levels] == [
        ("Executive", LevelKind.EXECUTIVE),
        ("Manager", LevelKind.MANAGER),
        ("Front line", LevelKind.FRONT_LINE),
        ("Crew", LevelKind.FRONT_LINE),
        ("Captain", LevelKind.EXECUTIVE),
    ]
    assert sorted(Person.objects.values_list("email", "level__name")) == [
        ("ana@example.com", "Crew"),
        ("ben@example.com", "Manager"),
        ("cleo@example.com", "Crew"),
        ("dev@example.com", "Captain"),
    ]


def test_a_facilitator_is_told_who_creates_levels_and_where_and_cannot_import(staff):
    facilitator = staff["facilitator"]
    preview = check(facilitator)
    page = preview.content.decode()

    assert "only an organisation admin creates them" in page
    assert "Organisation → Levels" in page
    # The page that fixes it for them: a file with existing levels.
    assert f'href="{reverse("roster:upload")}">Upload a corrected file' in page
    assert "Import</button>" not in page

    # Kinds sent anyway are not the facilitator's to give.
    refused = facilitator.post(
        reverse("roster:confirm"),
        {
            "upload": kept(preview),
            "level_0": "Crew",
            "kind_0": LevelKind.FRONT_LINE,
            "level_1": "Captain",
            "kind_1": LevelKind.EXECUTIVE,
        },
    )
    assert refused.status_code == 400
    assert "Levels shape every report" in refused.content.decode()
    assert Person.objects.count() == 0
    assert Level.objects.filter(name__in=["Crew", "Captain"]).count() == 0


def test_a_file_with_a_bad_line_and_a_new_level_imports_nobody_and_names_the_line(staff):
    content = csv_file(
        ("Ana Silva", "ana@example.com", "Galley", "Crew"),
        ("Ben Okafor", "not-an-email", "Galley", "Manager"),
    )
    page = check(staff["admin"], content).content.decode()

    assert "Nothing can be imported from this file" in page
    assert "Line 3:" in page
    assert "Line 2:" not in page
    assert "(“Crew”): that is not a problem" in page
    assert "Import</button>" not in page
    assert Person.objects.count() == 0
