"""Personal links and the e-mails that carry them.

A link's token is HMAC-SHA256(key, salt) for a random 128-bit salt kept on the invitation:
the same link can go out again in a reminder, yet the database holds only the salt and the
token's SHA-256, from which no link can be made without the server's key."""

import base64
import datetime
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterator
from email.utils import formataddr
from itertools import chain

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, QuerySet, prefetch_related_objects
from django.db.models.functions import Mod
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    Dispatch,
    DispatchKind,
    Invitation,
    InvitationStatus,
    JobStatus,
    Round,
    RoundStatus,
)
from assessment.models.rounds import hash_token

logger = logging.getLogger(__name__)

SALT_BYTES = 16
SEND_BATCH = 200
# A dispatch still queued this long after it was made has lost its message: the broker was
# down when the facilitator clicked, or restarted without it. Queuing it again is safe
# even if the first message turns up after all: nobody is e-mailed twice.
RESUME_AFTER = datetime.timedelta(minutes=2)


def new_token_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def _key() -> bytes:
    return (settings.INVITATION_TOKEN_KEY or settings.SECRET_KEY).encode()


def token_for_salt(salt: str) -> str:
    digest = hmac.new(_key(), salt.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()  # 192 bits, 32 characters


def invitation_token_assign(invitation: Invitation) -> None:
    """Give an unsaved or saved invitation its salt and token hash (not saved here)."""
    invitation.token_salt = new_token_salt()
    invitation.token_hash = hash_token(token_for_salt(invitation.token_salt))


def invitation_url(invitation: Invitation) -> str:
    token = token_for_salt(invitation.token_salt)
    return settings.SITE_URL.rstrip("/") + reverse("invitation-link", kwargs={"token": token})


def _message(invitation: Invitation, round_: Round, template: str) -> EmailMultiAlternatives:
    person = invitation.person
    context = {
        "person": person,
        "round": round_,
        "organisation": round_.organisation,
        "link": invitation_url(invitation),
        "minutes": round_.minutes,
        "closes_at": timezone.localtime(round_.closes_at, round_.organisation.zone),
    }
    subject = render_to_string(f"assessment/email/{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"assessment/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        # Quoted: a name holding "<", ">" or a quote would otherwise be read as (or
        # break) the address, and the person's link would go nowhere or elsewhere.
        to=[formataddr((person.name, person.email))],
    )
    message.attach_alternative(
        render_to_string(f"assessment/email/{template}.html", context), "text/html"
    )
    return message


def _unreached(dispatch: Dispatch, invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    """Those of `invitations` this dispatch still has to reach."""
    invitations = invitations.filter(person__isnull=False)
    if dispatch.kind == DispatchKind.INVITATIONS:
        return invitations.filter(sent_at__isnull=True)
    return invitations.filter(
        sent_at__isnull=False,
        reminders_sent__lt=dispatch.number,
        status__in=[InvitationStatus.INVITED, InvitationStatus.STARTED],
    )


def _pending(dispatch: Dispatch) -> QuerySet[Invitation]:
    return _unreached(dispatch, Invitation.objects.filter(round=dispatch.round_id))


def _pending_ids(dispatch: Dispatch, part: int = 0, parts: int = 1) -> Iterator[list[int]]:
    # Keyset pages by id: rows another worker holds locked are skipped, not fetched again.
    pending = _pending(dispatch)
    if parts > 1:
        pending = pending.alias(part=Mod("pk", parts)).filter(part=part)
    after = 0
    while True:
        ids = list(
            pending.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:SEND_BATCH]
        )
        if not ids:
            return
        yield ids
        after = ids[-1]


def dispatch_send(*, dispatch_id: int, part: int = 0, parts: int = 1) -> Dispatch:
    """Send a dispatch's e-mails to everyone it has not reached yet.

    With `parts`, several deliveries share the work, one worker each: this one takes the
    invitations whose id leaves `part` when divided by `parts`, then goes over everyone
    still unreached, so that one part that never ran (its message lost) skips nobody.
    Each e-mail is sent inside its own short transaction that holds the invitation's row
    lock and records the sending, so two workers never send the same e-mail, and a failure
    part way leaves exactly the unsent invitations for the retry."""
    dispatch = Dispatch.objects.select_related("round__organisation").get(pk=dispatch_id)
    round_ = dispatch.round
    # Every e-mail says how many minutes the round takes: counted once, not per e-mail.
    prefetch_related_objects([round_], "instruments")
    if dispatch.status == JobStatus.DONE:
        return dispatch
    if round_.status == RoundStatus.DRAFT:
        return dispatch
    # Not over DONE: a late second delivery must not undo the first one's ending.
    Dispatch.objects.filter(pk=dispatch.pk).exclude(status=JobStatus.DONE).update(
        status=JobStatus.RUNNING, error=""
    )
    template = "invitation" if dispatch.kind == DispatchKind.INVITATIONS else "reminder"
    own_share = _pending_ids(dispatch, part, parts)
    for ids in chain(own_share, _pending_ids(dispatch) if parts > 1 else ()):
        with mailers.default as connection:
            for pk in ids:
                with transaction.atomic():
                    # By id alone, not by round: right after a launch the planner's
                    # statistics do not know the round's rows yet, and would scan them all.
                    invitation = (
                        _unreached(dispatch, Invitation.objects.filter(pk=pk))
                        .select_for_update(skip_locked=True, of=("self",))
                        .select_related("person")
                        .filter(pk=pk)
                        .first()
                    )
                    if invitation is None:
                        continue
                    connection.send_messages([_message(invitation, round_, template)])
                    if dispatch.kind == DispatchKind.INVITATIONS:
                        invitation.sent_at = timezone.now()
                        invitation.save(update_fields=["sent_at"])
                    else:
                        invitation.reminders_sent = dispatch.number
                        invitation.save(update_fields=["reminders_sent"])
                    Dispatch.objects.filter(pk=dispatch.pk).update(sent=F("sent") + 1)
    # A second delivery running beside this one skipped the rows it held locked: only the
    # delivery that finds nobody left to reach (checking after its own last commit, so the
    # later of the two sees everything) marks the dispatch done.
    if _pending(dispatch).exists():
        logger.info("Dispatch %s: another delivery is still sending", dispatch.pk)
    else:
        Dispatch.objects.filter(pk=dispatch.pk).update(
            status=JobStatus.DONE, finished_at=timezone.now()
        )
    dispatch.refresh_from_db()
    logger.info("Dispatch %s: %s e-mails so far, %s", dispatch.pk, dispatch.sent, dispatch.status)
    return dispatch


def dispatch_failed(*, dispatch_id: int, error: str) -> None:
    Dispatch.objects.filter(pk=dispatch_id).update(
        status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def dispatches_to_resume(*, after: datetime.timedelta = RESUME_AFTER) -> list[int]:
    """The dispatches that nobody has started sending `after` their creation."""
    return list(
        Dispatch.objects.filter(status=JobStatus.QUEUED, created_at__lt=timezone.now() - after)
        .exclude(round__status=RoundStatus.DRAFT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
