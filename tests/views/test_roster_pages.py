"""A facilitator imports the roster through the page: check, then confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Department, Person
from assessment.services.roster_uploads import roster_upload_keep
from assessment.views.staff.roster import UPLOAD_EXPIRED
from tests.support.roster_files import csv_file, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, content: bytes, name: str = "staff.csv"):
    return client.post(reverse("roster:upload"), {"file": SimpleUploadedFile(name, content)})


def test_a_file_with_bad_lines_is_checked_names_every_line_and_imports_nothing(staff):
    content = csv_file(
        ("Ana Silva", "ana@example.com", "Ops/Yard", "Front line"),
        ("Ben", "not-an-email", "Ops", "Front line"),
        ("Cy", "cy@example.com", "", "Manager"),
        ("Di", "di@example.com", "Ops", "Wizard"),
        ('=HYPERLINK("http://evil")', "ed@example.com", "Ops", "Manager"),
        ("Flo", "flo@example.com", "Ops", "=Boss"),
    )
    page = upload(staff["facilitator"], content).content.decode()

    assert "Nothing can be imported from this file" in page
    for line in (3, 4, 6, 7):
        assert f"Line {line}:" in page
    assert "Line 2:" not in page
    assert "Line 5:" not in page
    # The level that does not exist is offered for creation once the file is fixed.
    assert "names 1 level the organisation has not got yet (“Wizard”)" in page
    assert Person.objects.count() == 0
    assert Department.objects.filter(path__startswith="Ops").count() == 0


def test_a_good_file_is_previewed_then_imported_when_confirmed(staff):
    facilitator = staff["facilitator"]
    content = xlsx_file(
        ("Ana Silva", "ana@example.com", "Ops/Yard", "Front line"),
        ("Ben Okafor", "ben@example.com", "Sales", "Manager"),
    )
    preview = upload(facilitator, content, "staff.xlsx")
    body = preview.content.decode()
    assert "Check the import" in body
    assert "ana@example.com" in body
    assert Person.objects.count() == 0  # nothing written by the preview

    kept = preview.context["confirm_form"].initial["upload"]
    done = facilitator.post(reverse("roster:confirm"), {"upload": kept}, follow=True)

    assert "Roster imported: 2 added" in done.content.decode()
    assert set(Person.objects.values_list("email", flat=True)) == {
        "ana@example.com",
        "ben@example.com",
    }
    assert Department.objects.filter(path="Ops/Yard").exists()


def test_deactivating_most_of_the_roster_needs_the_box_ticked(staff, organisation):
    facilitator = staff["facilitator"]
    first = csv_file(*[(f"P{i}", f"p{i}@example.com", "Ops", "Front line") for i in range(5)])
    kept = upload(facilitator, first).context["confirm_form"].initial["upload"]
    facilitator.post(reverse("roster:confirm"), {"upload": kept})
    assert Person.objects.filter(is_active=True).count() == 5

    second = csv_file(("P0", "p0@example.com", "Ops", "Front line"))
    preview = upload(facilitator, second)
    assert "would deactivate 4 of the 5 people active now (80%)" in preview.content.decode()
    kept = preview.context["confirm_form"].initial["upload"]

    refused = facilitator.post(reverse("roster:confirm"), {"upload": kept})
    assert refused.status_code == 400
    assert Person.objects.filter(is_active=True).count() == 5

    facilitator.post(reverse("roster:confirm"), {"upload": kept, "confirm_deactivation": "on"})
    assert Person.objects.filter(is_active=True).count() == 1
    assert Person.objects.count() == 5  # deactivated, never deleted


def test_an_upload_of_another_organisation_cannot_be_confirmed(staff, organisation):
    other_org_file = roster_upload_keep(
        organisation_id=organisation.pk + 1000,
        filename="x.csv",
        content=csv_file(("A", "a@example.com", "Ops", "Front line")),
    )
    response = staff["facilitator"].post(
        reverse("roster:confirm"), {"upload": other_org_file}, follow=True
    )
    assert UPLOAD_EXPIRED in response.content.decode()
    assert Person.objects.count() == 0
