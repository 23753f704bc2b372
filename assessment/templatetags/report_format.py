"""How the culture report's numbers read on the page and in the PDF (the spreadsheet keeps
them as numbers). One definition of each, in assessment/reporting/tables.py."""

from collections.abc import Sequence

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from assessment.reporting import tables
from assessment.reporting.heatmap import HeatRow

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


@register.filter
def change_arrow(value: float | None) -> SafeString | str:
    """A change as an arrow, a word and the number: never by colour alone."""
    if value is None:
        return tables.NO_VALUE
    if value == 0:
        return format_html(
            '<span>= {}<span class="visually-hidden"> {}</span></span>', "0.0", "no change"
        )
    arrow, word = ("↑", "up") if value > 0 else ("↓", "down")
    return format_html(
        '<span class="{}"><span aria-hidden="true">{} </span>{}'
        '<span class="visually-hidden"> points, {}</span></span>',
        change_class(value),
        arrow,
        tables.fmt_change(value),
        word,
    )


@register.filter
def split_title(split: tuple[int, int, int] | None) -> str:
    """The favourable split in words, for a title or a screen reader."""
    if split is None:
        return ""
    return f"{split[0]}% favourable, {split[1]}% neutral, {split[2]}% unfavourable"


@register.filter
def heat_with_top(rows: Sequence[HeatRow], top: HeatRow) -> list[HeatRow]:
    """The heatmap's rows with the group they are compared with on top."""
    return [top, *rows]
