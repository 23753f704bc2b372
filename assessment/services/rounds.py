"""Creating and launching assessment rounds."""

import datetime
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment.anonymity.thresholds import (
    THRESHOLD_LOWERED,
    lowered,
    threshold_errors,
)
from assessment.models import (
    Department,
    Dispatch,
    DispatchKind,
    Instrument,
    Invitation,
    Level,
    Organisation,
    Round,
    RoundDepartment,
    RoundInstrument,
    RoundStatus,
)
from assessment.selectors.round_shape import invited_department_tree
from assessment.selectors.rounds import round_audience
from assessment.services.invitations import invitation_token_assign
from assessment.services.queueing import publish_once, task_named
from assessment.services.reports import report_build_final

CLOSES_BEFORE_OPENS = "The round must close after it opens."
NO_INSTRUMENTS = "Choose at least one questionnaire."
SAME_QUESTIONNAIRE_TWICE = (
    "Choose one version of “{name}”: the built-in one or your own, not both "
    "(their questions share codes)."
)
ALREADY_LAUNCHED = "This round has already been launched."
NOBODY_TO_INVITE = "Nobody active on the roster matches this round's audience."
EDIT_AFTER_LAUNCH = (
    "After launch only the name, the closing date and (upwards) the thresholds can change."
)
NOT_LAUNCHED = "Only a launched round can do that."
NOT_CLOSED = "Only a closed round can be reopened."
EXTEND_EARLIER = "The new closing date must be later than the current one."
REOPEN_IN_PAST = "A reopened round must close in the future."
REMIND_CLOSED = "Reminders can only be sent while the round is open."

INVITATION_BATCH = 2000

# Reached by name: the tasks import the services (services/queueing.py).
SEND_DISPATCH = "assessment.tasks.mail.send_dispatch"


def _instruments_problem(instruments: list[Instrument]) -> str | None:
    """Why a round cannot ask these instruments, if it cannot: none, or two of one family
    (a built-in one and the organisation's copy), whose question codes would clash."""
    if not instruments:
        return NO_INSTRUMENTS
    seen: set[str] = set()
    for instrument in instruments:
        if instrument.key in seen:
            return SAME_QUESTIONNAIRE_TWICE.format(name=instrument.name)
        seen.add(instrument.key)
    return None


@transaction.atomic
def round_create(
    *,
    organisation: Organisation,
    name: str,
    purpose: str,
    instruments: Iterable[Instrument],
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    threshold: int | None = None,
    comment_threshold: int | None = None,
    departments: Iterable[Department] = (),
    levels: Iterable[Level] = (),
    reminder_days_before: int | None = None,
) -> Round:
    instruments = list(instruments)
    departments = list(departments)
    levels = list(levels)
    threshold = organisation.threshold if threshold is None else threshold
    comment_threshold = (
        max(organisation.comment_threshold, threshold)
        if comment_threshold is None
        else comment_threshold
    )
    errors = threshold_errors(threshold, comment_threshold)
    if closes_at <= opens_at:
        errors["closes_at"] = CLOSES_BEFORE_OPENS
    if problem := _instruments_problem(instruments):
        errors["instruments"] = problem
    if errors:
        raise ValidationError(errors)
    round_ = Round.objects.create(
        organisation=organisation,
        name=name,
        purpose=purpose,
        opens_at=opens_at,
        closes_at=closes_at,
        threshold=threshold,
        comment_threshold=comment_threshold,
        audience_all=not (departments or levels),
        reminder_days_before=reminder_days_before,
    )
    RoundInstrument.objects.bulk_create(
        RoundInstrument(round=round_, instrument=instrument, position=position)
        for position, instrument in enumerate(instruments)
    )
    round_.audience_departments.set(departments)
    round_.audience_levels.set(levels)
    return round_


def _dispatch_enqueue(dispatch: Dispatch) -> None:
    send_dispatch = task_named(SEND_DISPATCH)
    # After commit: the worker must find the dispatch and the invitations it sends. Once:
    # a dispatch the broker did not take stays queued for `resume_dispatches`. In parts,
    # so that every worker sends some; each part then sweeps up what another left.
    # A broker that did not take one part is not asked again for the next: the person who
    # clicked would wait out its timeout once per part.
    parts = max(1, settings.EMAIL_SEND_PARTS)

    def publish_parts() -> None:
        all(publish_once(send_dispatch, dispatch.pk, part, parts) for part in range(parts))

    transaction.on_commit(publish_parts)


@transaction.atomic
def round_launch(*, round_: Round, send: bool = True) -> Round:
    """Freeze the audience into invitations, each keeping the department and level the
    person has now (a later roster change never moves an answer), and queue the e-mails.
    `send=False` launches without e-mailing anyone (the demo prints its links instead)."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.DRAFT:
        raise ValidationError(ALREADY_LAUNCHED)
    audience = round_audience(round_).values_list("pk", "department_id", "level_id")
    invitations = []
    for pk, department_id, level_id in audience.iterator(chunk_size=INVITATION_BATCH):
        invitation = Invitation(
            round=round_, person_id=pk, department_id=department_id, level_id=level_id
        )
        invitation_token_assign(invitation)
        invitations.append(invitation)
    if not invitations:
        raise ValidationError(NOBODY_TO_INVITE)
    Invitation.objects.bulk_create(invitations, batch_size=INVITATION_BATCH)
    round_tree_freeze(round_=round_)
    round_.status = RoundStatus.LAUNCHED
    round_.launched_at = timezone.now()
    round_.save(update_fields=["status", "launched_at"])
    if send:
        _dispatch_enqueue(Dispatch.objects.create(round=round_, kind=DispatchKind.INVITATIONS))
    return round_


def round_tree_freeze(*, round_: Round) -> list[RoundDepartment]:
    """Keep the departments the round invites, with those above them, as the tree stands
    at launch: a department moved or renamed later must not move what the round counted
    from one group to another between two versions of its report. Departments already
    kept stay as they were kept."""
    return RoundDepartment.objects.bulk_create(
        (
            RoundDepartment(round=round_, department=d, parent_id=d.parent_id, path=d.path)
            for d in invited_department_tree(round_)
        ),
        ignore_conflicts=True,
    )


@transaction.atomic
def round_update(*, round_: Round, **fields) -> Round:
    """Edit a round. Before launch anything may change; after launch only the thresholds
    (upwards) and the closing date: people were told who would see what."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    instruments = fields.pop("instruments", None)
    departments = fields.pop("departments", None)
    levels = fields.pop("levels", None)
    if round_.status != RoundStatus.DRAFT:
        not_editable = set(fields) - {"threshold", "comment_threshold", "closes_at", "name"}
        if not_editable or instruments is not None or departments is not None or levels:
            raise ValidationError(EDIT_AFTER_LAUNCH)
        if lowered(
            (round_.threshold, round_.comment_threshold),
            (
                fields.get("threshold", round_.threshold),
                fields.get("comment_threshold", round_.comment_threshold),
            ),
        ):
            raise ValidationError(THRESHOLD_LOWERED)
    for name, value in fields.items():
        setattr(round_, name, value)
    errors = threshold_errors(round_.threshold, round_.comment_threshold)
    if round_.closes_at <= round_.opens_at:
        errors["closes_at"] = CLOSES_BEFORE_OPENS
    if instruments is not None and (problem := _instruments_problem(list(instruments))):
        errors["instruments"] = problem
    if errors:
        raise ValidationError(errors)
    round_.save()
    if instruments is not None:
        RoundInstrument.objects.filter(round=round_).delete()
        RoundInstrument.objects.bulk_create(
            RoundInstrument(round=round_, instrument=instrument, position=position)
            for position, instrument in enumerate(instruments)
        )
    if departments is not None or levels is not None:
        departments = list(departments or [])
        levels = list(levels or [])
        round_.audience_all = not (departments or levels)
        round_.save(update_fields=["audience_all"])
        round_.audience_departments.set(departments)
        round_.audience_levels.set(levels)
    return round_


@transaction.atomic
def round_extend(*, round_: Round, closes_at: datetime.datetime) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.LAUNCHED:
        raise ValidationError(NOT_LAUNCHED)
    if closes_at <= round_.closes_at:
        raise ValidationError(EXTEND_EARLIER)
    round_.closes_at = closes_at
    round_.save(update_fields=["closes_at"])
    return round_


@transaction.atomic
def round_close(*, round_: Round) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.LAUNCHED:
        raise ValidationError(NOT_LAUNCHED)
    now = timezone.now()
    round_.status = RoundStatus.CLOSED
    round_.closed_at = now
    if round_.closes_at > now:
        round_.closes_at = now
    round_.save(update_fields=["status", "closed_at", "closes_at"])
    transaction.on_commit(partial(report_build_final, round_id=round_.pk))
    return round_


@transaction.atomic
def round_reopen(*, round_: Round, closes_at: datetime.datetime) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.CLOSED:
        raise ValidationError(NOT_CLOSED)
    if closes_at <= timezone.now():
        raise ValidationError(REOPEN_IN_PAST)
    round_.status = RoundStatus.LAUNCHED
    round_.closes_at = closes_at
    round_.closed_at = None
    round_.save(update_fields=["status", "closes_at", "closed_at"])
    return round_


@transaction.atomic
def reminder_send(*, round_: Round, scheduled: bool = False) -> Dispatch:
    """Queue a reminder to everyone invited who has not submitted yet."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_open:
        raise ValidationError(REMIND_CLOSED)
    last = round_.dispatches.filter(kind=DispatchKind.REMINDER).order_by("-number").first()
    dispatch = Dispatch.objects.create(
        round=round_,
        kind=DispatchKind.REMINDER,
        number=(last.number if last else 0) + 1,
        scheduled=scheduled,
    )
    _dispatch_enqueue(dispatch)
    return dispatch


def rounds_close_due() -> list[Round]:
    """Close every launched round whose closing time has passed."""
    closed = []
    due = Round.objects.filter(status=RoundStatus.LAUNCHED, closes_at__lte=timezone.now())
    for round_ in due:
        try:
            closed.append(round_close(round_=round_))
        except ValidationError:
            continue  # closed meanwhile by someone else
    return closed


def scheduled_reminders_start() -> list[Dispatch]:
    """Start the scheduled reminder of every open round that has reached its reminder day
    and has not had it yet."""
    now = timezone.now()
    started = []
    candidates = Round.objects.filter(
        status=RoundStatus.LAUNCHED, reminder_days_before__isnull=False, closes_at__gt=now
    ).exclude(dispatches__kind=DispatchKind.REMINDER, dispatches__scheduled=True)
    for round_ in candidates:
        if now < round_.closes_at - datetime.timedelta(days=round_.reminder_days_before):
            continue
        try:
            started.append(reminder_send(round_=round_, scheduled=True))
        except (ValidationError, IntegrityError):
            continue  # started meanwhile by a parallel run of the schedule
    return started
