from django.http import HttpResponse
from django.shortcuts import render

from assessment.access import ALL_STAFF, RUNS_ROUNDS, MemberRequest, reads_within, staff_view
from assessment.selectors.participation import rounds_answered


@staff_view(*ALL_STAFF)
def dashboard(request: MemberRequest) -> HttpResponse:
    """The newest rounds, and how many have answered: of the whole organisation, or of a
    department lead's own department and those below it."""
    within = reads_within(request.membership)
    runs_rounds = request.membership.role in RUNS_ROUNDS
    context: dict[str, object] = {
        "rounds": rounds_answered(request.organisation, within),
        "within": within,
        "runs_rounds": runs_rounds,
    }
    if runs_rounds:
        context["people"] = request.organisation.people.filter(is_active=True).count()
    return render(request, "assessment/staff/dashboard.html", context)
