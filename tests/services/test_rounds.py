"""Creating, launching and changing rounds."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessment.anonymity.thresholds import THRESHOLD_LOWERED, THRESHOLD_TOO_LOW
from assessment.models import Department, Invitation, Level, Person, Response, RoundStatus
from assessment.services.answering import draft_page_save, response_submit
from assessment.services.rounds import (
    ALREADY_LAUNCHED,
    EDIT_AFTER_LAUNCH,
    NOBODY_TO_INVITE,
    round_close,
    round_create,
    round_extend,
    round_launch,
    round_reopen,
    round_update,
)
from tests.support.answers import save_all_pages
from tests.support.factories import DepartmentFactory, PersonFactory, open_window

pytestmark = pytest.mark.django_db


def new_round(organisation, instruments, **kwargs):
    opens_at, closes_at = open_window()
    return round_create(
        organisation=organisation,
        name="Round",
        purpose="Purpose",
        instruments=instruments,
        opens_at=opens_at,
        closes_at=closes_at,
        **kwargs,
    )


def test_a_threshold_below_three_is_refused_and_nothing_is_created(organisation, instruments):
    with pytest.raises(ValidationError) as error:
        new_round(organisation, instruments, threshold=2)
    assert error.value.message_dict["threshold"] == [THRESHOLD_TOO_LOW]
    assert organisation.rounds.count() == 0


def test_the_audience_is_the_chosen_departments_with_their_subtrees_and_levels(
    organisation, instruments
):
    ops = DepartmentFactory(organisation=organisation, name="Ops")
    yard = Department.objects.create(organisation=organisation, name="Yard", parent=ops)
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    front = Level.objects.get(organisation=organisation, kind="front_line")
    manager = Level.objects.get(organisation=organisation, kind="manager")
    invited = [
        PersonFactory(organisation=organisation, department=ops, level=front),
        PersonFactory(organisation=organisation, department=yard, level=front),
    ]
    PersonFactory(organisation=organisation, department=yard, level=manager)
    PersonFactory(organisation=organisation, department=sales, level=front)
    PersonFactory(organisation=organisation, department=ops, level=front, is_active=False)

    round_ = new_round(organisation, instruments, departments=[ops], levels=[front])
    round_launch(round_=round_, send=False)

    people = set(Invitation.objects.filter(round=round_).values_list("person", flat=True))
    assert people == {p.pk for p in invited}


def test_launch_freezes_department_and_level_so_roster_changes_never_move_answers(
    open_round, pages
):
    invitation = Invitation.objects.filter(round=open_round).select_related("person").first()
    frozen = (invitation.department_id, invitation.level_id)
    person = invitation.person
    person.department = DepartmentFactory(organisation=open_round.organisation, name="Elsewhere")
    person.level = Level.objects.get(organisation=open_round.organisation, kind="executive")
    person.save()

    save_all_pages(invitation, pages)
    response = response_submit(invitation=invitation, pages=pages)

    assert (response.department_id, response.level_id) == frozen
    invitation.refresh_from_db()
    assert (invitation.department_id, invitation.level_id) == frozen


def test_a_round_cannot_be_launched_twice_nor_with_nobody_to_invite(organisation, instruments):
    empty = new_round(organisation, instruments)
    with pytest.raises(ValidationError) as error:
        round_launch(round_=empty, send=False)
    assert error.value.messages == [NOBODY_TO_INVITE]
    assert empty.invitations.count() == 0

    PersonFactory(organisation=organisation)
    round_launch(round_=empty, send=False)
    with pytest.raises(ValidationError) as error:
        round_launch(round_=empty, send=False)
    assert error.value.messages == [ALREADY_LAUNCHED]
    assert empty.invitations.count() == 1


def test_after_launch_thresholds_can_be_raised_but_never_lowered(open_round):
    with pytest.raises(ValidationError) as error:
        round_update(round_=open_round, threshold=4)
    assert error.value.messages == [THRESHOLD_LOWERED]
    with pytest.raises(ValidationError):
        round_update(round_=open_round, comment_threshold=9)
    open_round.refresh_from_db()
    assert (open_round.threshold, open_round.comment_threshold) == (5, 10)

    round_update(round_=open_round, threshold=7, comment_threshold=12)
    open_round.refresh_from_db()
    assert (open_round.threshold, open_round.comment_threshold) == (7, 12)


def test_after_launch_the_audience_and_questionnaires_cannot_change(open_round, instruments):
    with pytest.raises(ValidationError) as error:
        round_update(round_=open_round, instruments=instruments[:1])
    assert error.value.messages == [EDIT_AFTER_LAUNCH]
    assert open_round.instruments.count() == 5


def test_extend_close_and_reopen(open_round):
    later = open_round.closes_at + datetime.timedelta(days=3)
    round_extend(round_=open_round, closes_at=later)
    open_round.refresh_from_db()
    assert open_round.closes_at == later

    round_close(round_=open_round)
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED
    assert not open_round.is_open

    round_reopen(round_=open_round, closes_at=timezone.now() + datetime.timedelta(days=1))
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.LAUNCHED
    assert open_round.is_open


def test_a_closed_round_takes_no_answers(open_round, pages):
    invitation = Invitation.objects.filter(round=open_round).first()
    save_all_pages(invitation, pages)
    round_close(round_=open_round)
    from assessment.services.answering import RoundNotOpen

    with pytest.raises(RoundNotOpen):
        response_submit(invitation=invitation, pages=pages)
    with pytest.raises(RoundNotOpen):
        draft_page_save(invitation=invitation, section=pages[0], data={}, complete=False)
    assert Response.objects.count() == 0
    assert Person.objects.count() == 10
