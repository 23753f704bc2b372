"""Sending a dispatch's e-mails while another delivery of the same task sends them too."""

import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from assessment.models import Dispatch, DispatchKind, Invitation, JobStatus
from assessment.services.invitations import dispatch_send

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_delivery_that_skips_a_row_another_holds_leaves_the_dispatch_running_till_it_is_sent(
    open_round,
):
    dispatch = Dispatch.objects.create(round=open_round, kind=DispatchKind.INVITATIONS)
    invitations = list(Invitation.objects.filter(round=open_round).order_by("pk"))
    held, release = threading.Event(), threading.Event()

    def other_delivery_holding_one_row() -> None:
        # What a second delivery of the task does while it e-mails this person.
        try:
            with transaction.atomic():
                Invitation.objects.select_for_update().get(pk=invitations[3].pk)
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    other = threading.Thread(target=other_delivery_holding_one_row)
    other.start()
    assert held.wait(timeout=10)
    try:
        first = dispatch_send(dispatch_id=dispatch.pk)
    finally:
        release.set()
        other.join()

    # Nine e-mails; the tenth person is the other delivery's: not done yet.
    assert len(mail.outbox) == len(invitations) - 1
    assert (first.status, first.sent) == (JobStatus.RUNNING, len(invitations) - 1)

    # (Here the other delivery would send it; a retry or a third delivery does as well.)
    last = dispatch_send(dispatch_id=dispatch.pk)
    assert (last.status, last.sent) == (JobStatus.DONE, len(invitations))
    assert len(mail.outbox) == len(invitations)
    assert not Invitation.objects.filter(round=open_round, sent_at__isnull=True).exists()


def test_a_part_of_a_launch_whose_companion_never_ran_still_emails_everyone_once(open_round):
    dispatch = Dispatch.objects.create(round=open_round, kind=DispatchKind.INVITATIONS)
    invitations = Invitation.objects.filter(round=open_round)

    # Part 2 of 2 alone (part 1's message lost): its own share, then everyone left.
    done = dispatch_send(dispatch_id=dispatch.pk, part=1, parts=2)

    assert (done.status, done.sent) == (JobStatus.DONE, invitations.count())
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert len(recipients) == len(set(recipients)) == invitations.count()

    # The lost part turns up late: nobody hears twice.
    dispatch_send(dispatch_id=dispatch.pk, part=0, parts=2)
    assert len(mail.outbox) == invitations.count()


def test_the_parts_of_a_launch_run_at_once_email_each_person_once(open_round):
    dispatch = Dispatch.objects.create(round=open_round, kind=DispatchKind.INVITATIONS)

    def part(number: int) -> None:
        try:
            dispatch_send(dispatch_id=dispatch.pk, part=number, parts=2)
        finally:
            connection.close()

    threads = [threading.Thread(target=part, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    recipients = [address for message in mail.outbox for address in message.to]
    assert len(recipients) == len(set(recipients)) == open_round.invitations.count()
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.sent) == (JobStatus.DONE, len(recipients))
