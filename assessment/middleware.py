from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from assessment.access import membership_of


class OrganisationTimeZoneMiddleware:
    """Staff see dates and times in their organisation's time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = membership_of(request)
        if membership is not None:
            timezone.activate(membership.organisation.zone)
        else:
            timezone.deactivate()
        return self.get_response(request)
