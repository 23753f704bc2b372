"""Facilitators run live workshops: open one, show the presenter screen, pace the room,
moderate the comment wall, record commitments, and read (or download) the summary."""

import hashlib
import re
from collections.abc import Callable

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessment.access import RUNS_ROUNDS, MemberRequest, staff_view
from assessment.forms.workshops import CommitmentForm, HeadCountForm, WorkshopForm
from assessment.free_text import cleaned
from assessment.join_qr import join_qr_svg
from assessment.models import Workshop
from assessment.selectors.commitments import commitments_for
from assessment.selectors.workshops import (
    answered_counts,
    joined_count,
    question_results,
    who_took_part,
    workshop_questions,
    workshops_for,
)
from assessment.services import commitments as commitment_services
from assessment.services import workshops as services
from assessment.site_address import public_url
from assessment.views.staff.confirmations import workshop_close_page
from assessment.views.staff.shared import (
    LIST_PAGE_SIZE,
    errors_shown,
    made_from,
    page_of,
    thresholds_initial,
)

CREATED = "The workshop is open. Show the presenter screen so that the room can join."
CLOSED = "The workshop is closed: nobody can join or answer any more. Its summary is ready."
OPENED_ALL = "Every question is open: participants answer at their own pace."
PACED = "The room is paced again: phones show the question on the screen."
COMMENT_HIDDEN = "The comment is hidden from the wall."
COMMENT_SHOWN = "The comment is back on the wall."
COMMITMENT_RECORDED = "The commitment is recorded."
COUNTED_IN_ROUND = "The room's answers will be counted in the round's report."
KEPT_APART = "The room's answers are kept apart from the round's report."
HEAD_COUNT_CHANGED = (
    "The head count is now {head_count}: the presenter screen shows it to the room."
)

# Where a control sends the facilitator back to: the screen they pressed it on.
BACK = {"present": "workshops:present", "detail": "workshops:detail"}


def _workshop(request: MemberRequest, pk: int) -> Workshop:
    return get_object_or_404(
        Workshop.objects.select_related("instrument", "round", "department", "organisation"),
        pk=pk,
        organisation=request.organisation,
    )


def _back(request: MemberRequest, workshop: Workshop) -> HttpResponse:
    return redirect(BACK.get(request.POST.get("back", ""), "workshops:detail"), pk=workshop.pk)


def join_url(request: MemberRequest, workshop: Workshop) -> str:
    return public_url(request, reverse("join-workshop", kwargs={"code": workshop.join_code}))


@staff_view(*RUNS_ROUNDS)
def workshop_list(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "assessment/workshops/list.html",
        {"page": page_of(request, workshops_for(request.organisation), LIST_PAGE_SIZE)},
    )


@staff_view(*RUNS_ROUNDS)
def workshop_create(request: MemberRequest) -> HttpResponse:
    organisation = request.organisation
    if request.POST.get("pick"):
        # "Show its questions": the same form again, as typed, with the chosen
        # questionnaire's questions and no error for what is not filled in yet.
        typed = {k: v for k, v in request.POST.items() if k not in ("questions", "pick")}
        form = WorkshopForm(organisation=organisation, initial=typed)
        return render(request, "assessment/workshops/form.html", {"form": form})
    form = WorkshopForm(
        request.POST or None,
        organisation=organisation,
        initial=thresholds_initial(organisation),
    )
    workshop = made_from(
        request,
        form,
        lambda data: services.workshop_create(
            organisation=organisation,
            name=data["name"],
            instrument=data["instrument"],
            head_count=data["head_count"],
            questions=data["questions"] or None,
            round_=data["round"],
            department=data["department"],
            threshold=data["threshold"],
            comment_threshold=data["comment_threshold"],
            count_in_round=data["count_in_round"],
            created_by=request.user,
        ),
    )
    if workshop is not None:
        messages.success(request, CREATED)
        return redirect("workshops:detail", pk=workshop.pk)
    return render(request, "assessment/workshops/form.html", {"form": form})


def _detail(
    request: MemberRequest, workshop: Workshop, head_count_form: HeadCountForm | None = None
) -> HttpResponse:
    questions = workshop_questions(workshop)
    return render(
        request,
        "assessment/workshops/detail.html",
        {
            "workshop": workshop,
            "results": question_results(workshop, questions, include_hidden=True),
            "join_url": join_url(request, workshop),
            "joined": joined_count(workshop),
            "head_count_form": head_count_form or HeadCountForm(workshop=workshop),
            "commitment_form": CommitmentForm(workshop=workshop),
            "commitments": commitments_for(request.organisation, workshop=workshop),
            "total": len(questions),
        },
    )


@staff_view(*RUNS_ROUNDS)
def workshop_detail(request: MemberRequest, pk: int) -> HttpResponse:
    """The facilitator's control room: the head count, pacing, the wall (with hidden
    comments, to put them back), and the commitments."""
    return _detail(request, _workshop(request, pk))


@require_POST
@staff_view(*RUNS_ROUNDS)
def workshop_head_count(request: MemberRequest, pk: int) -> HttpResponse:
    """Change the head count; a refused one is shown on the form, and nothing changes."""
    workshop = _workshop(request, pk)
    form = HeadCountForm(request.POST, workshop=workshop)
    if form.is_valid():
        try:
            workshop = services.workshop_head_count_set(
                workshop=workshop, head_count=form.cleaned_data["head_count"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, HEAD_COUNT_CHANGED.format(head_count=workshop.head_count))
            return redirect("workshops:detail", pk=workshop.pk)
    return _detail(request, workshop, form)


def _live_context(workshop: Workshop) -> dict[str, object]:
    questions = workshop_questions(workshop)
    current = next((wq for wq in questions if wq.position == workshop.current), questions[0])
    counts = answered_counts(workshop)
    return {
        "workshop": workshop,
        "current": question_results(workshop, [current])[0],
        "total": len(questions),
        "counts": [(wq.position, counts.get(wq.position, 0)) for wq in questions],
        "joined": joined_count(workshop),
    }


@staff_view(*RUNS_ROUNDS)
def workshop_present(request: MemberRequest, pk: int) -> HttpResponse:
    """The big screen for the projector: how to join, the question, the room's answers."""
    workshop = _workshop(request, pk)
    url = join_url(request, workshop)
    context = _live_context(workshop)
    body = render_to_string("assessment/workshops/live.html", context, request=request)
    return render(
        request,
        "assessment/workshops/present.html",
        {
            **context,
            "join_url": url,
            "join_host": url.split("://", 1)[-1].split("/", 1)[0],
            "qr_svg": join_qr_svg(url),
            "live_body": mark_safe(body),  # noqa: S308 - rendered by our own template
            "live_version": _version(body),
        },
    )


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _version(body: str) -> str:
    """A digest of what the screen shows. The CSRF tokens in the hide buttons are masked
    afresh on every render, so they are left out, or nothing would ever look unchanged."""
    return hashlib.sha256(CSRF_FIELD.sub("", body).encode()).hexdigest()[:16]


@never_cache
@staff_view(*RUNS_ROUNDS)
def workshop_live(request: MemberRequest, pk: int) -> HttpResponse:
    """The live part of the presenter screen, fetched every second. When nothing changed
    it answers 204 and htmx leaves the page alone, so the screen never flickers and a
    hide button is never swapped away under the facilitator's pointer."""
    workshop = _workshop(request, pk)
    body = render_to_string("assessment/workshops/live.html", _live_context(workshop), request)
    version = _version(body)
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    return render(
        request,
        "assessment/workshops/live_wrapper.html",
        {"workshop": workshop, "live_body": mark_safe(body), "live_version": version},  # noqa: S308
    )


def _control(
    request: MemberRequest,
    pk: int,
    run: Callable[[Workshop], object],
    success: str | None = None,
) -> HttpResponse:
    workshop = _workshop(request, pk)
    try:
        run(workshop)
    except ValidationError as error:
        errors_shown(request, error)
    else:
        if success:
            messages.success(request, success)
    return _back(request, workshop)


@require_POST
@staff_view(*RUNS_ROUNDS)
def workshop_go(request: MemberRequest, pk: int) -> HttpResponse:
    """Next, previous, or a question by its number."""
    to = request.POST.get("to", "next")
    if to in ("next", "previous"):
        step = 1 if to == "next" else -1
        return _control(request, pk, lambda w: services.workshop_step(workshop=w, step=step))
    try:
        position = int(to)
    except ValueError:
        position = 0
    return _control(request, pk, lambda w: services.workshop_go_to(workshop=w, position=position))


@require_POST
@staff_view(*RUNS_ROUNDS)
def workshop_pace(request: MemberRequest, pk: int) -> HttpResponse:
    all_open = request.POST.get("all_open") == "1"
    return _control(
        request,
        pk,
        lambda w: services.workshop_pace(workshop=w, all_open=all_open),
        OPENED_ALL if all_open else PACED,
    )


@require_POST
@staff_view(*RUNS_ROUNDS)
def workshop_close(request: MemberRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    if request.POST.get("confirmed") != "1" and workshop.is_live:
        back = BACK.get(request.POST.get("back", ""), "workshops:detail")
        return workshop_close_page(request, workshop, joined_count(workshop), back)
    try:
        services.workshop_close(workshop=workshop)
    except ValidationError as error:
        errors_shown(request, error)
        return _back(request, workshop)
    messages.success(request, CLOSED)
    return redirect("workshops:summary", pk=workshop.pk)


@require_POST
@staff_view(*RUNS_ROUNDS)
def workshop_wall_hide(request: MemberRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    hidden = request.POST.get("hidden", "1") == "1"
    try:
        changed = services.workshop_text_hide(
            workshop=workshop, answer_id=request.POST.get("answer", ""), hidden=hidden
        )
    except ValidationError:  # not a UUID
        changed = 0
    if changed:
        messages.success(request, COMMENT_HIDDEN if hidden else COMMENT_SHOWN)
    return _back(request, workshop)


@require_POST
@staff_view(*RUNS_ROUNDS)
def workshop_count_in_round(request: MemberRequest, pk: int) -> HttpResponse:
    count = request.POST.get("count") == "1"
    workshop = _workshop(request, pk)
    try:
        services.workshop_count_in_round_set(workshop=workshop, count=count)
    except ValidationError as error:
        errors_shown(request, error)
    else:
        messages.success(request, COUNTED_IN_ROUND if count else KEPT_APART)
    return redirect("workshops:summary", pk=workshop.pk)


@require_POST
@staff_view(*RUNS_ROUNDS)
def commitment_add(request: MemberRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    form = CommitmentForm(request.POST, workshop=workshop)
    if form.is_valid():
        try:
            commitment_services.commitment_create(
                organisation=request.organisation, workshop=workshop, **form.cleaned_data
            )
        except ValidationError as error:
            errors_shown(request, error)
        else:
            messages.success(request, COMMITMENT_RECORDED)
            return redirect(reverse("workshops:detail", kwargs={"pk": pk}) + "#commitments")
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else str(message))
    return redirect(reverse("workshops:detail", kwargs={"pk": pk}) + "#commitments")


def _summary_context(request: MemberRequest, workshop: Workshop) -> dict[str, object]:
    questions = workshop_questions(workshop)
    return {
        "workshop": workshop,
        "took_part": who_took_part(workshop),
        "results": question_results(workshop, questions),
        "commitments": list(commitments_for(request.organisation, workshop=workshop)),
    }


@staff_view(*RUNS_ROUNDS)
def workshop_summary(request: MemberRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    return render(request, "assessment/workshops/summary.html", _summary_context(request, workshop))


@staff_view(*RUNS_ROUNDS)
def workshop_summary_pdf(request: MemberRequest, pk: int) -> HttpResponse:
    # Imported here: WeasyPrint loads Pango when imported, which no other page needs.
    from weasyprint import CSS, HTML

    workshop = _workshop(request, pk)
    # Cleaned (assessment/free_text.py): the comments on it were typed by anyone.
    html = cleaned(
        render_to_string(
            "assessment/workshops/summary_pdf.html", _summary_context(request, workshop), request
        )
    )
    # The stylesheet is read from disk: fetching it over HTTP from this same server
    # would tie up a worker (and deadlock a single-threaded one).
    pdf = HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=finders.find("css/summary-print.css"))]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"workshop-{slugify(workshop.name) or workshop.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
