from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment.selectors.organisation import organisation_exists

# The first thing to run on a fresh installation, as README.md's "Your own organisation" says.
FIRST_RUN_COMMAND = (
    'python manage.py create_organisation "Your organisation" --admin-email you@example.com'
)


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessment/home.html",
        {"first_run": not organisation_exists(), "first_run_command": FIRST_RUN_COMMAND},
    )
