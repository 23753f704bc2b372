"""The staff navigation, by role: a context processor for every page."""

from django.http import HttpRequest
from django.urls import reverse

from assessment.access import (
    ADMINS,
    READS_COMMITMENTS,
    READS_REPORTS,
    RUNS_ROUNDS,
    membership_of,
)

ITEMS = [
    ("Dashboard", "dashboard", None),
    ("Reports", "reports:list", READS_REPORTS),
    ("Rounds", "rounds:list", RUNS_ROUNDS),
    ("Workshops", "workshops:list", RUNS_ROUNDS),
    ("Instruments", "instruments:list", RUNS_ROUNDS),
    ("Commitments", "commitments:list", READS_COMMITMENTS),
    ("Roster", "roster:list", RUNS_ROUNDS),
    ("Organisation", "organisation:settings", ADMINS),
]


def staff_navigation(request: HttpRequest) -> dict[str, object]:
    membership = membership_of(request)
    if membership is None:
        return {}
    items = []
    for label, url_name, roles in ITEMS:
        if roles is not None and membership.role not in roles:
            continue
        url = reverse(url_name)
        active = request.path.startswith(url) if url != "/dashboard/" else request.path == url
        items.append({"label": label, "url": url, "active": active})
    return {
        "nav_items": items,
        "membership": membership,
        "reads_reports": membership.role in READS_REPORTS,
    }
