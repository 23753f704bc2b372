"""Editing an instrument through its pages: the live preview saves nothing, Save does."""

import pytest
from django.urls import reverse

from assessment.models import Question, Round
from assessment.services.instruments import instrument_copy
from tests.support.instruments import answered_round, builtin, labels_of

pytestmark = pytest.mark.django_db

REWORDED = "Does our mission mention our members at all?"


def posted(copy, **changes) -> dict:
    labels = labels_of(copy, "checklist-03")
    return {
        "text": copy.questions.get(code="checklist-03").text,
        "help_text": "",
        "comment_prompt": "",
        **{f"label-{n}": label for n, label in enumerate(labels, start=1)},
        **changes,
    }


def test_the_preview_shows_unsaved_wording_and_saves_nothing(organisation, instruments, staff):
    copy = instrument_copy(organisation=organisation, source=builtin("checklist"))
    url = reverse("instruments:question", kwargs={"key": "checklist", "code": "checklist-03"})
    before = copy.questions.get(code="checklist-03").text

    button = staff["facilitator"].post(url, posted(copy, text=REWORDED, action="preview"))
    live = staff["facilitator"].post(
        url,
        posted(copy, text=REWORDED, **{"label-1": "Yes, clearly"}),
        headers={"HX-Request": "true"},
    )

    assert REWORDED in button.text
    assert REWORDED in live.text and "Yes, clearly" in live.text
    assert "<html" not in live.text  # only the preview, swapped into the page
    assert copy.questions.get(code="checklist-03").text == before


def test_saving_a_question_of_a_launched_version_says_which_version_it_made(
    organisation, instruments, staff
):
    copy = instrument_copy(organisation=organisation, source=builtin("checklist"))
    launched = answered_round(organisation, [copy], "Sales")
    url = reverse("instruments:question", kwargs={"key": "checklist", "code": "checklist-03"})

    response = staff["facilitator"].post(
        url, posted(copy, text=REWORDED, action="save"), follow=True
    )

    assert "Saved as version 2: the rounds launched with version 1 keep the wording" in (
        response.text
    )
    assert Question.objects.get(instrument__version=2, code="checklist-03").text == REWORDED
    assert Round.objects.get(pk=launched.pk).instruments.get().version == 1


def test_a_builtin_instrument_has_no_edit_page_and_its_copy_is_offered_to_rounds(
    organisation, instruments, staff
):
    instrument_copy(organisation=organisation, source=builtin("checklist"))

    form = staff["facilitator"].get(reverse("rounds:create"))

    assert "Customer-centricity checklist (your own, version 1)" in form.text
    assert "Customer-centricity checklist (built-in)" in form.text
    assert (
        staff["facilitator"]
        .get(reverse("instruments:edit", kwargs={"key": "obsessed"}))
        .status_code
        == 404
    )
