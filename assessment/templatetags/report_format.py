"""How the culture report's numbers read on the page and in the PDF (the spreadsheet keeps
them as numbers). One definition of each, in assessment/reporting/tables.py."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from assessment.reporting import tables

register = template.Library()


@register.filter
def score(value: float | None) -> str:
    return tables.fmt_score(value)


@register.filter
def mean(value: float | None) -> str:
    return tables.fmt_mean(value)


@register.filter
def percent(value: float | None) -> str:
    return tables.fmt_percent(value)


@register.filter
def change(value: float | None) -> str:
    return tables.fmt_change(value)


@register.simple_tag
def suppressed() -> SafeString:
    """The one marker for what the anonymity gate suppressed, with words for screen readers."""
    return format_html(
        '<span class="suppressed" aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span>',
        tables.SUPPRESSED_MARKER,
        "not shown",
    )


@register.simple_tag
def suppressed_meaning() -> str:
    return f"{tables.SUPPRESSED_MARKER} {tables.SUPPRESSED_MEANING}."


@register.filter
def change_class(value: float | None) -> str:
    if value is None or value == 0:
        return ""
    return "change-up" if value > 0 else "change-down"
