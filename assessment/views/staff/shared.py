"""What several staff areas do alike: a page of a long list, a form handed to a service
(whose refusal is shown as messages), and a new round's or workshop's thresholds."""

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm

from assessment.access import MemberRequest
from assessment.models import Organisation

# Rounds and workshops: a list of their own, a few a year.
LIST_PAGE_SIZE = 20


def page_of[M: Model](
    request: MemberRequest, items: QuerySet[M] | Sequence[M], size: int
) -> Page[M]:
    """The page the `page` parameter asks for; a wrong or missing one is the nearest."""
    return Paginator(items, size).get_page(request.GET.get("page"))


def errors_shown(request: MemberRequest, error: ValidationError) -> None:
    """A service refused: each of its reasons becomes an error message on the next page."""
    for message in error.messages:
        messages.error(request, message)


def made_from[M: Model](
    request: MemberRequest, form: BaseForm, make: Callable[[dict[str, Any]], M]
) -> M | None:
    """What a service makes of a posted, valid form; None when nothing was posted, the form
    is invalid (it shows why) or the service refused (its reasons become messages)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return make(form.cleaned_data)
    except ValidationError as error:
        errors_shown(request, error)
        return None


def thresholds_initial(organisation: Organisation) -> dict[str, int]:
    """A new round or workshop starts with its organisation's thresholds."""
    return {
        "threshold": organisation.threshold,
        "comment_threshold": organisation.comment_threshold,
    }
