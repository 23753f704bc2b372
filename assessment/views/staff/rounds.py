"""Facilitators run rounds: create, edit, launch, extend, close, reopen, remind, and watch
participation."""

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessment.access import RUNS_ROUNDS, MemberRequest, staff_view
from assessment.forms.rounds import (
    LaunchedRoundForm,
    NewClosingForm,
    RoundForm,
)
from assessment.models import Round, RoundStatus
from assessment.selectors.instruments import instruments_default
from assessment.selectors.participation import round_participation
from assessment.selectors.rounds import (
    round_dispatches,
    round_launch_preview,
    round_waiting,
    rounds_for,
)
from assessment.services import rounds as services
from assessment.views.staff.confirmations import (
    close_consequences,
    launch_consequences,
    nobody_to_remind,
    round_confirm_page,
)
from assessment.views.staff.shared import (
    LIST_PAGE_SIZE,
    errors_shown,
    made_from,
    page_of,
    thresholds_initial,
)

LAUNCHED = "The round is launched: invitations are being e-mailed."
CLOSED = "The round is closed. No more answers are accepted."
REOPENED = "The round is open again."
EXTENDED = "The closing date is moved."
REMINDER_QUEUED = "A reminder is being e-mailed to everyone who has not submitted yet ({count})."
SAVED = "Saved."
CREATED = "The round is created. Check it, then launch it when you are ready."


def _round(request: MemberRequest, pk: int) -> Round:
    return get_object_or_404(Round, pk=pk, organisation=request.organisation)


@staff_view(*RUNS_ROUNDS)
def round_list(request: MemberRequest) -> HttpResponse:
    rounds = page_of(request, rounds_for(request.organisation), LIST_PAGE_SIZE)
    return render(request, "assessment/rounds/list.html", {"page": rounds})


@staff_view(*RUNS_ROUNDS)
def round_create(request: MemberRequest) -> HttpResponse:
    organisation = request.organisation
    form = RoundForm(
        request.POST or None,
        organisation=organisation,
        initial={
            **thresholds_initial(organisation),
            "opens_at": timezone.now().replace(second=0, microsecond=0),
            "closes_at": timezone.now().replace(second=0, microsecond=0)
            + datetime.timedelta(days=14),
            "instruments": instruments_default(organisation),
        },
    )
    round_ = made_from(
        request,
        form,
        lambda data: services.round_create(
            organisation=organisation,
            name=data["name"],
            purpose=data["purpose"],
            instruments=data["instruments"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            threshold=data["threshold"],
            comment_threshold=data["comment_threshold"],
            departments=data["departments"],
            levels=data["levels"],
            reminder_days_before=data["reminder_days_before"],
        ),
    )
    if round_ is not None:
        messages.success(request, CREATED)
        return redirect("rounds:detail", pk=round_.pk)
    return render(request, "assessment/rounds/form.html", {"form": form, "round": None})


@staff_view(*RUNS_ROUNDS)
def round_edit(request: MemberRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    form: RoundForm | LaunchedRoundForm
    if round_.status == RoundStatus.DRAFT:
        form = RoundForm(
            request.POST or None,
            organisation=request.organisation,
            initial={
                "name": round_.name,
                "purpose": round_.purpose,
                "instruments": list(round_.instruments.all()),
                "departments": list(round_.audience_departments.all()),
                "levels": list(round_.audience_levels.all()),
                "opens_at": round_.opens_at,
                "closes_at": round_.closes_at,
                "threshold": round_.threshold,
                "comment_threshold": round_.comment_threshold,
                "reminder_days_before": round_.reminder_days_before,
            },
        )
    else:
        form = LaunchedRoundForm(
            request.POST or None,
            initial={
                "name": round_.name,
                "threshold": round_.threshold,
                "comment_threshold": round_.comment_threshold,
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(round_=round_, **form.cleaned_data)
        except ValidationError as error:
            errors_shown(request, error)
        else:
            messages.success(request, SAVED)
            return redirect("rounds:detail", pk=round_.pk)
    return render(request, "assessment/rounds/form.html", {"form": form, "round": round_})


@staff_view(*RUNS_ROUNDS)
def round_detail(request: MemberRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    participation = round_participation(round_) if round_.status != RoundStatus.DRAFT else None
    return render(
        request,
        "assessment/rounds/detail.html",
        {
            "round": round_,
            "instruments": list(round_.instruments.order_by("roundinstrument__position")),
            "dispatches": round_dispatches(round_),
            "total": participation.total if participation else None,
            "closing_form": NewClosingForm(),
        },
    )


def _action(
    request: MemberRequest, pk: int, run: Callable[[Round], object], success: str
) -> HttpResponse:
    round_ = _round(request, pk)
    try:
        run(round_)
    except ValidationError as error:
        errors_shown(request, error)
    else:
        messages.success(request, success)
    return redirect("rounds:detail", pk=round_.pk)


@require_POST
@staff_view(*RUNS_ROUNDS)
def round_launch(request: MemberRequest, pk: int) -> HttpResponse:
    if request.POST.get("confirmed") != "1":
        round_ = _round(request, pk)
        if round_.status == RoundStatus.DRAFT:
            preview = round_launch_preview(round_)
            return round_confirm_page(
                request,
                round_,
                f"Launch “{round_.name}”?",
                launch_consequences(preview),
                f"Launch and e-mail {preview.emailed} invitation{pluralize(preview.emailed)}",
            )
    return _action(request, pk, lambda r: services.round_launch(round_=r), LAUNCHED)


@require_POST
@staff_view(*RUNS_ROUNDS)
def round_close(request: MemberRequest, pk: int) -> HttpResponse:
    if request.POST.get("confirmed") != "1":
        round_ = _round(request, pk)
        if round_.status == RoundStatus.LAUNCHED:
            return round_confirm_page(
                request,
                round_,
                f"Close “{round_.name}” now?",
                close_consequences(round_waiting(round_)),
                "Close the round now",
            )
    return _action(request, pk, lambda r: services.round_close(round_=r), CLOSED)


@require_POST
@staff_view(*RUNS_ROUNDS)
def round_remind(request: MemberRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    waiting = round_waiting(round_)
    if round_.is_open and not waiting.reachable:
        # Nothing would be sent: say so and why, rather than queue an empty reminder.
        messages.warning(request, nobody_to_remind(waiting))
        return redirect("rounds:detail", pk=round_.pk)
    return _action(
        request,
        pk,
        lambda r: services.reminder_send(round_=r),
        REMINDER_QUEUED.format(count=waiting.reachable),
    )


def _new_closing(
    request: MemberRequest, pk: int, service: Callable[..., object], success: str
) -> HttpResponse:
    form = NewClosingForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("rounds:detail", pk=_round(request, pk).pk)
    closes_at = form.cleaned_data["closes_at"]
    return _action(request, pk, lambda r: service(round_=r, closes_at=closes_at), success)


@require_POST
@staff_view(*RUNS_ROUNDS)
def round_extend(request: MemberRequest, pk: int) -> HttpResponse:
    return _new_closing(request, pk, services.round_extend, EXTENDED)


@require_POST
@staff_view(*RUNS_ROUNDS)
def round_reopen(request: MemberRequest, pk: int) -> HttpResponse:
    return _new_closing(request, pk, services.round_reopen, REOPENED)


@staff_view(*RUNS_ROUNDS)
def round_participation_page(request: MemberRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    return render(
        request,
        "assessment/rounds/participation.html",
        {"round": round_, "participation": round_participation(round_)},
    )


@staff_view(*RUNS_ROUNDS)
def round_participation_table(request: MemberRequest, pk: int) -> HttpResponse:
    """The table alone, which the participation page fetches again every few seconds."""
    round_ = _round(request, pk)
    return render(
        request,
        "assessment/rounds/participation_table.html",
        {"round": round_, "participation": round_participation(round_)},
    )
