from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment.access import ALL_STAFF, RUNS_ROUNDS, staff_view
from assessment.selectors.rounds import rounds_for


@staff_view(*ALL_STAFF)
def dashboard(request: HttpRequest) -> HttpResponse:
    rounds = list(rounds_for(request.organisation)[:10])
    return render(
        request,
        "assessment/staff/dashboard.html",
        {
            "rounds": rounds,
            "runs_rounds": request.membership.role in RUNS_ROUNDS,
            "people": request.organisation.people.filter(is_active=True).count(),
        },
    )
