"""Keeping drafts and submitting once, at the service level."""

import threading

import pytest
from django.db import connection

from assessment.models import Answer, DraftPage, Invitation, InvitationStatus, Response, TextAnswer
from assessment.selectors.report_counts import department_counts
from assessment.services.answering import (
    AlreadySubmitted,
    PagesIncomplete,
    draft_page_save,
    response_submit,
)
from tests.support.answers import save_all_pages


def stored_row(invitation: Invitation) -> dict:
    return Invitation.objects.filter(pk=invitation.pk).values().get()


@pytest.mark.django_db
def test_saving_a_first_page_marks_the_invitation_started_and_stores_no_day(open_round, pages):
    invitation = Invitation.objects.filter(round=open_round).first()
    before = stored_row(invitation)
    draft_page_save(invitation=invitation, section=pages[0], data={}, complete=False)
    after = stored_row(invitation)
    assert after["status"] == InvitationStatus.STARTED
    assert {name for name in after if after[name] != before[name]} == {"status"}


@pytest.mark.django_db
def test_submitting_marks_the_invitation_submitted_and_stores_no_day(open_round, pages):
    invitation = Invitation.objects.filter(round=open_round).first()
    save_all_pages(invitation, pages)
    before = stored_row(invitation)
    response_submit(invitation=invitation, pages=pages)
    after = stored_row(invitation)
    assert after["status"] == InvitationStatus.SUBMITTED
    assert {name for name in after if after[name] != before[name]} == {"status"}


@pytest.mark.django_db
def test_submit_refuses_while_a_page_is_incomplete_and_writes_nothing(open_round, pages):
    invitation = Invitation.objects.filter(round=open_round).first()
    save_all_pages(invitation, pages[:-1])
    with pytest.raises(PagesIncomplete):
        response_submit(invitation=invitation, pages=pages)
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


@pytest.mark.django_db
def test_a_second_submit_raises_already_submitted_and_adds_nothing(open_round, pages):
    invitation = Invitation.objects.filter(round=open_round).first()
    save_all_pages(invitation, pages)
    response_submit(invitation=invitation, pages=pages)
    answers = Answer.objects.count()
    with pytest.raises(AlreadySubmitted):
        response_submit(invitation=invitation, pages=pages)
    assert Response.objects.count() == 1
    assert Answer.objects.count() == answers


@pytest.mark.django_db(transaction=True)
def test_five_concurrent_submits_of_one_invitation_make_exactly_one_response(open_round, pages):
    invitation = Invitation.objects.filter(round=open_round).first()
    save_all_pages(invitation, pages)
    outcomes: list[str] = []
    barrier = threading.Barrier(5)

    def submit() -> None:
        barrier.wait()
        try:
            response_submit(invitation=invitation, pages=pages)
            outcomes.append("submitted")
        except AlreadySubmitted:
            outcomes.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already"] * 4 + ["submitted"]
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_several_choices_are_a_row_each_and_count_the_respondent_once(open_round, pages):
    invitation = Invitation.objects.filter(round=open_round).first()
    save_all_pages(invitation, pages)
    multi = next(
        q for section in pages for q in section.questions.all() if q.kind == "multi_choice"
    )
    section = next(s for s in pages if multi in s.questions.all())
    draft = invitation.drafts.get(section=section)
    ticked = [c.value for c in multi.choices.all()][:3]
    draft_page_save(
        invitation=invitation,
        section=section,
        data={**draft.data, multi.code: list(reversed(ticked))},
        complete=True,
    )

    response_submit(invitation=invitation, pages=pages)

    rows = Answer.objects.filter(question=multi).order_by("value")
    assert [(a.value, a.counts_respondent) for a in rows] == [
        (ticked[0], True),
        (ticked[1], False),
        (ticked[2], False),
    ]
    counts = department_counts(round_id=open_round.pk, department_id=invitation.department_id)
    respondents = {question: n for question, _level, n in counts["respondents"]}
    assert respondents[multi.pk] == 1
    ticks = sorted(
        (value, n) for question, _level, value, n in counts["answers"] if question == multi.pk
    )
    assert ticks == [(value, 1) for value in ticked]


@pytest.mark.django_db
def test_text_in_a_draft_kept_before_cleaning_is_stored_cleaned(open_round, pages):
    invitation = Invitation.objects.filter(round=open_round).first()
    save_all_pages(invitation, pages)
    section = next(s for s in pages if any(q.allows_comment for q in s.questions.all()))
    question = next(q for q in section.questions.all() if q.allows_comment)
    draft = DraftPage.objects.get(invitation=invitation, section=section)
    # Written straight into the table, as a draft kept before cleaning existed.
    draft.data[f"{question.code}-comment"] = "\x01 Kept\x7f long\x85ago\r\n"
    draft.save(update_fields=["data"])

    response = response_submit(invitation=invitation, pages=pages)

    assert list(TextAnswer.objects.filter(response=response).values_list("text", flat=True)) == [
        "Kept long\nago"
    ]
