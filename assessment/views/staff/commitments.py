"""The organisation's commitments: what rooms committed to, and whether it was kept."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assessment.access import READS_COMMITMENTS, RUNS_ROUNDS, MemberRequest, staff_view
from assessment.forms.workshops import CommitmentStatusForm
from assessment.models import Commitment, CommitmentStatus
from assessment.selectors.commitments import commitments_for, commitments_summary
from assessment.services.commitments import commitment_status_set
from assessment.views.staff.shared import page_of

STATUS_CHANGED = "The commitment is marked “{status}”."
PAGE_SIZE = 50


@staff_view(*READS_COMMITMENTS)
def commitment_list(request: MemberRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in CommitmentStatus.values:
        status = ""
    commitments = commitments_for(request.organisation, status=status or None)
    page = page_of(request, commitments, PAGE_SIZE)
    return render(
        request,
        "assessment/commitments/list.html",
        {
            "page": page,
            "summary": commitments_summary(request.organisation),
            "status": status,
            "statuses": CommitmentStatus.choices,
            "can_change": request.membership.role in RUNS_ROUNDS,
            "today": request.organisation.today(),
        },
    )


@require_POST
@staff_view(*RUNS_ROUNDS)
def commitment_status(request: MemberRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment, pk=pk, organisation=request.organisation)
    form = CommitmentStatusForm(request.POST)
    if form.is_valid():
        try:
            commitment = commitment_status_set(
                commitment=commitment, status=form.cleaned_data["status"]
            )
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
