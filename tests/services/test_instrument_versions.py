"""An organisation's own instrument: copying, editing, and the versions that keep every
launched round exactly as it was asked."""

import pytest
from django.core.exceptions import ValidationError

from assessment.models import Answer, Instrument, Question
from assessment.selectors.answering import round_pages
from assessment.services.instrument_edits import (
    LAST_QUESTION,
    question_add,
    question_edit,
    question_move,
    question_remove,
    section_edit,
)
from assessment.services.instruments import (
    ALREADY_COPIED,
    BUILTIN_READ_ONLY,
    instrument_copy,
)
from assessment.services.rounds import SAME_QUESTIONNAIRE_TWICE, round_close
from tests.conftest import snapshot_of
from tests.support.factories import round_for_people
from tests.support.instruments import answered_round, builtin, labels_of

pytestmark = pytest.mark.django_db

REWORDED = "Does our mission say anything about the people we serve?"


def wording(round_) -> list[tuple[str, str, list[str]]]:
    return [
        (q.code, q.text, [c.label for c in q.choices.all()])
        for section in round_pages(round_)
        for q in section.questions.all()
    ]


def test_a_copy_keeps_every_code_of_the_builtin_instrument(organisation, instruments):
    copy = instrument_copy(organisation=organisation, source=builtin("checklist"))

    codes = list(Question.objects.filter(instrument=copy).values_list("code", flat=True))
    assert sorted(codes) == [f"checklist-{n:02d}" for n in range(1, 11)]
    assert (copy.organisation, copy.key, copy.version) == (organisation, "checklist", 1)


def test_a_second_copy_of_the_same_builtin_instrument_is_refused(organisation, instruments):
    instrument_copy(organisation=organisation, source=builtin("checklist"))

    with pytest.raises(ValidationError) as refused:
        instrument_copy(organisation=organisation, source=builtin("checklist"))

    assert refused.value.messages == [ALREADY_COPIED.format(name=builtin("checklist").name)]
    assert Instrument.objects.filter(organisation=organisation).count() == 1


def test_a_builtin_instrument_cannot_be_edited(organisation, instruments):
    before = builtin("checklist").questions.get(code="checklist-03").text

    with pytest.raises(ValidationError) as refused:
        question_edit(
            instrument=builtin("checklist"),
            code="checklist-03",
            labels=labels_of(builtin("checklist"), "checklist-03"),
            text=REWORDED,
        )

    assert refused.value.messages == [BUILTIN_READ_ONLY]
    assert builtin("checklist").questions.get(code="checklist-03").text == before


def test_editing_a_draft_only_version_changes_it_in_place(organisation, instruments):
    copy = instrument_copy(organisation=organisation, source=builtin("checklist"))
    draft = round_for_people(organisation, [copy], {"Sales": 3})

    edited = question_edit(
        instrument=copy, code="checklist-03", labels=labels_of(copy, "checklist-03"), text=REWORDED
    )

    assert edited.pk == copy.pk
    assert list(draft.instruments.all()) == [copy]
    assert copy.questions.get(code="checklist-03").text == REWORDED


def test_editing_an_instrument_a_launched_round_asked_makes_a_new_version_and_changes_nothing_in_that_round(  # noqa: E501
    organisation, instruments, report_of, django_capture_on_commit_callbacks
):
    copy = instrument_copy(organisation=organisation, source=builtin("checklist"))
    launched = answered_round(organisation, [copy], "Sales")
    asked = wording(launched)
    answers = sorted(Answer.objects.filter(question__instrument=copy).values_list("pk", "value"))
    report = report_of(launched)
    draft = round_for_people(organisation, [copy], {"Support": 3}, name="Next round")

    labels = ["Yes, fully", "Partly", "No", "Don't know"]
    version = question_edit(instrument=copy, code="checklist-03", labels=labels, text=REWORDED)
    section_edit(instrument=copy, position=1, title="Our checklist", intro="")
    added = question_add(instrument=copy, page=1, kind="yes_partly_no", text="Do we listen?")
    question_remove(instrument=copy, code="checklist-09")
    question_move(instrument=copy, code="checklist-01", step=1)

    assert (version.version, version.based_on) == (2, copy)
    assert Instrument.objects.filter(organisation=organisation, key="checklist").count() == 2
    assert version.questions.get(code="checklist-03").text == REWORDED
    assert labels_of(version, "checklist-03") == labels
    assert added.instrument == version
    # The launched round: the same version, questions, answers and report.
    assert list(launched.instruments.all()) == [copy]
    assert wording(launched) == asked
    assert sorted(Answer.objects.filter(question__instrument=copy).values_list("pk", "value")) == (
        answers
    )
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round_=launched)  # the final report is built from these rows
    rebuilt = snapshot_of(launched)
    assert rebuilt["provisional"] is False
    assert rebuilt["questions"] == report["questions"]
    assert rebuilt["organisation"] == report["organisation"]
    # A round still in draft asks the newest version.
    assert list(draft.instruments.all()) == [version]


def test_an_added_question_gets_a_code_no_version_of_the_family_has_used(organisation, instruments):
    copy = instrument_copy(organisation=organisation, source=builtin("checklist"))
    answered_round(organisation, [copy], "Sales")

    first = question_add(instrument=copy, page=1, kind="text", text="Anything else?")
    second = question_add(
        instrument=copy,
        page=1,
        kind="multi_choice",
        text="Who do we serve?",
        options=["Members", "Visitors"],
    )

    assert (first.code, second.code) == ("checklist-own-01", "checklist-own-02")
    assert first.required is False  # a comment is never compulsory
    assert [c.label for c in second.choices.all()] == ["Members", "Visitors"]


def test_the_last_question_cannot_be_removed(organisation, instruments):
    copy = instrument_copy(organisation=organisation, source=builtin("trust"))
    question_remove(instrument=copy, code="trust-01")
    question_remove(instrument=copy, code="trust-02")

    with pytest.raises(ValidationError) as refused:
        question_remove(instrument=copy, code="trust-03")

    assert refused.value.messages == [LAST_QUESTION]
    assert list(copy.questions.values_list("code", flat=True)) == ["trust-03"]


def test_a_round_cannot_ask_the_builtin_instrument_and_its_copy_together(organisation, instruments):
    copy = instrument_copy(organisation=organisation, source=builtin("checklist"))

    with pytest.raises(ValidationError) as refused:
        round_for_people(organisation, [builtin("checklist"), copy], {"Sales": 3})

    assert refused.value.message_dict["instruments"] == [
        SAME_QUESTIONNAIRE_TWICE.format(name=copy.name)
    ]
