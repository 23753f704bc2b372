from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment.access import RUNS_ROUNDS, staff_view
from assessment.selectors.people import roster

PAGE_SIZE = 50


@staff_view(*RUNS_ROUNDS)
def roster_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    show = request.GET.get("show", "active")
    active = {"active": True, "inactive": False}.get(show)
    people = roster(request.organisation, query=query, active=active)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/roster/list.html",
        {"page": page, "query": query, "show": show, "count": page.paginator.count},
    )
