"""The report's ways to commitments: the address that records one about an item or a
department, and the commitments already made about an item."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from assessment.models import Commitment, Round

register = template.Library()


@register.simple_tag
def commit_url(round_: Round, code: str = "", department: int | None = None) -> str:
    """The form that records a commitment from this round's report, prefilled."""
    query = {key: value for key, value in (("question", code), ("department", department)) if value}
    url = reverse("reports:commitment-new", kwargs={"pk": round_.pk})
    return f"{url}?{urlencode(query)}" if query else url


@register.filter
def followups_of(followups: dict[str, list[Commitment]] | None, code: str) -> list[Commitment]:
    return (followups or {}).get(code, [])
