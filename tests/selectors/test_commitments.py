"""The commitments summary the culture report shows."""

import datetime

import pytest

from assessment.models import CommitmentStatus
from assessment.selectors.commitments import commitments_summary
from assessment.services.commitments import commitment_create, commitment_status_set
from tests.support.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


def commit(organisation, due_on, status=None, department=None, what="Invite customers"):
    commitment = commitment_create(
        organisation=organisation, what=what, who="COO", due_on=due_on, department=department
    )
    if status:
        commitment = commitment_status_set(commitment=commitment, status=status)
    return commitment


def test_made_kept_late_dropped_and_overdue_are_counted(organisation):
    commit(organisation, DAY, CommitmentStatus.KEPT)
    commit(organisation, DAY, CommitmentStatus.LATE)
    commit(organisation, DAY, CommitmentStatus.DROPPED)
    commit(organisation, DAY - datetime.timedelta(days=1))  # open, past due
    commit(organisation, DAY)  # open, due today: not overdue yet

    summary = commitments_summary(organisation, as_of=DAY)
    assert (summary.made, summary.open, summary.kept, summary.late, summary.dropped) == (
        5,
        2,
        1,
        1,
        1,
    )
    assert summary.overdue == 1
    assert summary.kept_total == 2
    assert len(summary.commitments) == 5


def test_a_department_includes_those_below_it_and_no_other(organisation):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    north = DepartmentFactory(organisation=organisation, name="North", parent=sales)
    support = DepartmentFactory(organisation=organisation, name="Support")
    commit(organisation, DAY, department=north, what="north")
    commit(organisation, DAY, department=support, what="support")

    summary = commitments_summary(organisation, department=sales, as_of=DAY)
    assert [c.what for c in summary.commitments] == ["north"]


def test_only_commitments_made_in_the_period_are_counted(organisation):
    commit(organisation, DAY)
    today = organisation.today()
    assert commitments_summary(organisation, made_from=today, made_until=today).made == 1
    assert commitments_summary(organisation, made_until=today - datetime.timedelta(1)).made == 0


def test_marking_a_commitment_open_again_clears_the_day_it_was_settled(organisation):
    commitment = commit(organisation, DAY, CommitmentStatus.KEPT)
    assert commitment.settled_on == organisation.today()
    reopened = commitment_status_set(commitment=commitment, status=CommitmentStatus.OPEN)
    assert reopened.settled_on is None
