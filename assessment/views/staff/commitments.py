"""Commitments: recording one from the report (about an item, a department or a smoke
flag), the organisation's list, and following one up. A department lead sees and follows
up only their own department's and those below it; another's is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assessment.access import (
    READS_COMMITMENTS,
    RECORDS_COMMITMENTS,
    RUNS_ROUNDS,
    MemberRequest,
    may_follow_up,
    reads_within,
    staff_view,
)
from assessment.forms.commitments import CommitmentFollowUpForm, CommitmentRecordForm
from assessment.models import Commitment, CommitmentStatus, Department, Round, RoundStatus
from assessment.selectors.commitments import OVERDUE, commitments_for, commitments_summary
from assessment.services.commitments import commitment_record, commitment_status_set
from assessment.views.staff.shared import page_of

STATUS_CHANGED = "The commitment is marked “{status}”."
COMMITMENT_RECORDED = (
    "The commitment is recorded. It is listed here, and the next round's report shows it "
    "beside its item."
)
PAGE_SIZE = 50
FILTERS = [("open", "Open"), (OVERDUE, "Overdue"), *CommitmentStatus.choices[1:]]


@staff_view(*READS_COMMITMENTS)
def commitment_list(request: MemberRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in dict(FILTERS):
        status = ""
    within = reads_within(request.membership)
    commitments = commitments_for(request.organisation, status=status or None, department=within)
    return render(
        request,
        "assessment/commitments/list.html",
        {
            "page": page_of(request, commitments, PAGE_SIZE),
            "summary": commitments_summary(request.organisation, department=within),
            "status": status,
            "filters": FILTERS,
            "statuses": CommitmentStatus.choices,
            "within": within,
            "runs_workshops": request.membership.role in RUNS_ROUNDS,
            "today": request.organisation.today(),
        },
    )


def _prefilled(within: Department | None, request: MemberRequest) -> dict[str, object]:
    """What the link from the report says the commitment is about: an item, a department."""
    initial: dict[str, object] = {"question": request.GET.get("question", "")}
    department_id = request.GET.get("department", "")
    if department_id.isdigit():
        initial["department"] = int(department_id)
    elif within is not None:
        initial["department"] = within.pk
    return initial


@staff_view(*RECORDS_COMMITMENTS)
def commitment_new(request: MemberRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(
        Round.objects.exclude(status=RoundStatus.DRAFT), pk=pk, organisation=request.organisation
    )
    round_.organisation = request.organisation
    within = reads_within(request.membership)
    form = CommitmentRecordForm(
        request.POST if request.method == "POST" else None,
        initial=_prefilled(within, request),
        round_=round_,
        within=within,
        today=request.organisation.today(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            commitment_record(round_=round_, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, COMMITMENT_RECORDED)
            return redirect(reverse("commitments:list") + "?status=open")
    question = form["question"].value()
    return render(
        request,
        "assessment/commitments/new.html",
        {"round": round_, "form": form, "question_code": question, "within": within},
    )


@require_POST
@staff_view(*READS_COMMITMENTS)
def commitment_status(request: MemberRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related("department"), pk=pk, organisation=request.organisation
    )
    if not may_follow_up(request.membership, commitment):
        raise Http404
    form = CommitmentFollowUpForm(request.POST)
    if not form.is_valid():
        for field in form:
            for message in field.errors:
                messages.error(request, f"{field.label}: {message}")
    else:
        try:
            commitment = commitment_status_set(commitment=commitment, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, STATUS_CHANGED.format(status=commitment.get_status_display().lower())
            )
    back = request.POST.get("back", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("commitments:list")
