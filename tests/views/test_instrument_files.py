"""Sharing an instrument between organisations as a JSON file, through the Instruments page."""

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Instrument, Organisation
from assessment.services.instrument_edits import question_add, question_edit
from assessment.services.instrument_files import instrument_file_problems
from assessment.services.instruments import instrument_copy
from tests.support.instruments import builtin, labels_of

pytestmark = pytest.mark.django_db


def upload(client, content: bytes):
    return client.post(
        reverse("instruments:import"),
        {"file": SimpleUploadedFile("shared.json", content, content_type="application/json")},
    )


def test_an_instrument_exported_and_imported_into_another_organisation_is_identical(
    organisation, instruments, staff
):
    other = Organisation.objects.get(slug="other")
    original = instrument_copy(organisation=other, source=builtin("checklist"))
    question_edit(
        instrument=original,
        code="checklist-03",
        labels=["Yes, clearly", *labels_of(original, "checklist-03")[1:]],
        text="Does our mission speak of members?",
        comment_prompt="Where?",
    )
    question_add(
        instrument=original,
        page=1,
        kind="rating_5",
        text="Do we listen?",
        low_label="No",
        high_label="Yes",
    )
    file = staff["other_admin"].get(reverse("instruments:export", kwargs={"key": "checklist"}))

    response = upload(staff["facilitator"], file.content)

    imported = Instrument.objects.get(organisation=organisation, key="checklist")
    assert response.status_code == 302
    assert response["Location"] == reverse("instruments:edit", kwargs={"key": "checklist"})
    again = staff["facilitator"].get(reverse("instruments:export", kwargs={"key": "checklist"}))
    assert json.loads(again.content) == json.loads(file.content)
    assert imported.questions.get(code="checklist-own-01").text == "Do we listen?"
    assert file["Content-Disposition"] == 'attachment; filename="checklist.json"'


def test_a_malformed_file_is_refused_naming_each_problem_and_changes_nothing(
    organisation, instruments, staff
):
    other = Organisation.objects.get(slug="other")
    instrument_copy(organisation=other, source=builtin("checklist"))
    export = reverse("instruments:export", kwargs={"key": "checklist"})
    data = json.loads(staff["other_admin"].get(export).content)
    data["sections"][0]["questions"][2]["kind"] = "email"
    data["sections"][0]["questions"][4]["choices"][0]["score"] = 150
    del data["name"]

    response = upload(staff["facilitator"], json.dumps(data).encode())

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was changed." in page
    assert "The file: “name” is missing or empty." in page
    assert "Page 1, question 3 (checklist-03): “kind” must be one of" in page
    assert (
        "Page 1, question 5 (checklist-05), answer 1: “score” must be a whole number from 0 to 100."
        in page
    )
    assert not Instrument.objects.filter(organisation=organisation).exists()


def test_a_file_that_is_not_json_is_refused_and_changes_nothing(organisation, instruments, staff):
    response = upload(staff["facilitator"], b"name,email\nAna,ana@example.com\n")

    assert response.status_code == 400
    assert "The file is not JSON" in response.content.decode()
    assert not Instrument.objects.filter(organisation=organisation).exists()


def test_a_file_whose_key_the_organisation_already_has_is_refused(organisation, instruments, staff):
    copy = instrument_copy(organisation=organisation, source=builtin("checklist"))
    file = staff["facilitator"].get(reverse("instruments:export", kwargs={"key": "checklist"}))

    response = upload(staff["facilitator"], file.content)

    assert response.status_code == 400
    assert "already has a questionnaire “checklist”" in response.content.decode()
    assert list(Instrument.objects.filter(organisation=organisation)) == [copy]


def test_an_executive_cannot_open_the_instruments_pages_and_another_organisations_is_a_404(
    organisation, instruments, staff
):
    instrument_copy(organisation=organisation, source=builtin("checklist"))
    edit = reverse("instruments:edit", kwargs={"key": "checklist"})

    assert staff["facilitator"].get(edit).status_code == 200
    assert staff["admin"].get(edit).status_code == 200
    assert staff["executive"].get(edit).status_code == 403
    assert staff["other_admin"].get(edit).status_code == 404


def test_the_documented_example_file_is_one_an_import_accepts():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "instruments.md").read_text()
    example = re.search(r"```json\n(.*?)```", docs, flags=re.S).group(1)

    assert instrument_file_problems(json.loads(example)) == []
