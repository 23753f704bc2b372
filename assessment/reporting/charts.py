"""The report's charts, drawn on the server as SVG: the same markup in the page and in the
PDF, and no script. Each takes rows from assessment/reporting/tables.py, so a chart can
only draw what its table beside it lists.

Horizontal positions are percentages of the chart's width and vertical ones are pixels:
a chart stretches to its column while its text keeps its size, on a phone as in print.
No style attribute anywhere (the Content-Security-Policy forbids them): colours are
presentation attributes. Every text is escaped; every chart is an image with a title.
"""

import textwrap
from collections.abc import Iterable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .stats import OBSESSED_FROM_MEAN, REACTIVE_UP_TO_MEAN
from .tables import (
    SUPPRESSED_MARKER,
    GapRow,
    ItemRow,
    Share,
    fmt_change,
    fmt_mean,
    fmt_percent,
    fmt_score,
)
from .views import QuestionView

INK = "#1d2125"
MUTED = "#5c636a"
TRACK = "#e9ecef"
SCORE = "#0b5cad"
UNFAVOURABLE = "#b02a37"
SMOKE = "#9a4a00"
FRONT_HIGHER = "#c2410c"
DONT_KNOW = "#8a8f98"
REACTIVE_ZONE = "#f8d7da"
OBSESSED_ZONE = "#d6e6f5"

FONT = 12
SMALL = 12
LINE = 15  # one line of text
BAR = 12
# Wide enough for a phone's column at 12 px; longer labels wrap onto a second line. A
# printed page is wider.
LABEL_CHARS = 48
PRINT_LABEL_CHARS = 100
LABEL_LINES = 2
# Bars end here, leaving the right of the chart for their numbers.
BAR_END = 68.0
NOT_SHOWN = f"{SUPPRESSED_MARKER} not shown"


def _pct(value: float) -> str:
    return f"{value:.2f}%"


def _text(
    x: str,
    y: float,
    content: str,
    *,
    size: int = FONT,
    anchor: str = "start",
    fill: str = INK,
    weight: str | None = None,
    italic: bool = False,
    indent: int = 0,
) -> str:
    attributes = [f'x="{x}"', f'y="{y:g}"', f'font-size="{size}"', f'fill="{fill}"']
    if indent:
        attributes.append(f'dx="{12 * indent}"')
    if anchor != "start":
        attributes.append(f'text-anchor="{anchor}"')
    if weight:
        attributes.append(f'font-weight="{weight}"')
    if italic:
        attributes.append('font-style="italic"')
    return f"<text {' '.join(attributes)}>{escape(content)}</text>"


def _rect(x: str, y: float, width: str, height: float, fill: str) -> str:
    return f'<rect x="{x}" y="{y:g}" width="{width}" height="{height:g}" fill="{fill}"/>'


def _lines(text: str, chars: int = LABEL_CHARS, most: int = LABEL_LINES) -> list[str]:
    lines = textwrap.wrap(text, chars) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: chars - 1].rstrip() + "…"
    return lines


def _label(y: float, text: str, extra: str = "", chars: int = LABEL_CHARS) -> tuple[str, float]:
    """A label of one or two lines from y; returns the markup and the y below it."""
    parts = []
    for line in _lines(text, chars):
        y += LINE
        parts.append(_text("0", y - 3, line))
    if extra:
        parts[-1] = parts[-1][: -len("</text>")] + extra + "</text>"
    return "".join(parts), y


def _svg(title: str, height: float, body: str, css_class: str = "chart") -> SafeString:
    title = escape(title)
    return mark_safe(  # noqa: S308 - every text inside went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" width="100%" '
        f'height="{height:g}" role="img" aria-label="{title}"><title>{title}</title>'
        f"{body}</svg>"
    )


def _swatch_legend(y: float, entries: Sequence[tuple[str, str]]) -> str:
    parts = []
    for index, (colour, label) in enumerate(entries):
        x = index * 45
        parts.append(_rect(_pct(x), y - 9, "10", 10, colour))
        parts.append(_text(f"{x + 3:.2f}%", y, label, size=SMALL, fill=MUTED))
    return "".join(parts)


# --- Scores with their unfavourable share -----------------------------------------------------


def score_bars(
    rows: Iterable[ItemRow], title: str, label_chars: int = LABEL_CHARS, legend: bool = True
) -> SafeString:
    """Each item's score (0–100) as a bar, its unfavourable share as a thin red bar under
    it and as a number beside it, and the smoke flag on its label."""
    y = 0.0
    body = []
    if legend:
        y = 14.0
        body.append(
            _swatch_legend(y, [(SCORE, "Score (0–100)"), (UNFAVOURABLE, "Unfavourable share")])
        )
        y += 8
    for row in rows:
        flag = ""
        if row.smoke:
            flag = f'<tspan fill="{SMOKE}" font-weight="bold"> · smoke</tspan>'
        label, y = _label(y, row.text, flag, label_chars)
        body.append(label)
        if row.suppressed:
            body.append(_text("0", y + BAR - 2, NOT_SHOWN, fill=MUTED, italic=True))
        elif row.score is None:
            body.append(_text("0", y + BAR - 2, f"{fmt_score(None)} no scored answers", fill=MUTED))
        else:
            body.append(_rect("0", y, _pct(BAR_END), BAR, TRACK))
            body.append(_rect("0", y, _pct(BAR_END * row.score / 100), BAR, SCORE))
            if row.unfavourable:
                body.append(
                    _rect("0", y + BAR + 1, _pct(BAR_END * row.unfavourable), 4, UNFAVOURABLE)
                )
            body.append(_text(_pct(BAR_END + 2), y + BAR - 1, fmt_score(row.score), weight="bold"))
            if row.unfavourable is not None:
                body.append(
                    _text(
                        "100%",
                        y + BAR - 1,
                        fmt_percent(row.unfavourable),
                        anchor="end",
                        fill=UNFAVOURABLE,
                    )
                )
        y += BAR + 12
    return _svg(title, y, "".join(body))


# --- Executives against the front line --------------------------------------------------------


def gap_bars(
    rows: Iterable[GapRow],
    title: str,
    executive: str,
    front_line: str,
    label_chars: int = LABEL_CHARS,
    legend: bool = True,
) -> SafeString:
    """The gap on each item as a bar from the middle: right where the executives score the
    item higher than the front line, left where the front line does."""
    rows = list(rows)
    y = 0.0
    body = []
    if legend:
        y = 14.0
        body += [
            _text("0", y, f"← {front_line} higher", size=SMALL, fill=FRONT_HIGHER),
            _text("100%", y, f"{executive} higher →", size=SMALL, fill=SCORE, anchor="end"),
        ]
        y += 6
    for row in rows:
        label, y = _label(y, row.text, chars=label_chars)
        body.append(label)
        body.append(
            f'<line x1="50%" y1="{y - 3:g}" x2="50%" y2="{y + BAR + 3:g}" stroke="{MUTED}"/>'
        )
        width = 40 * min(abs(row.gap), 100) / 100
        if row.gap >= 0:
            body.append(_rect("50%", y, _pct(width), BAR, SCORE))
            body.append(
                _text(_pct(50 + width + 1), y + BAR - 1, fmt_change(row.gap), weight="bold")
            )
        else:
            body.append(_rect(_pct(50 - width), y, _pct(width), BAR, FRONT_HIGHER))
            body.append(
                _text(
                    _pct(50 - width - 1),
                    y + BAR - 1,
                    fmt_change(row.gap),
                    weight="bold",
                    anchor="end",
                )
            )
        y += BAR + 12
    return _svg(title, y, "".join(body))


# --- Obsessed or reactive: a position on a 1–7 line -------------------------------------------


def _on_scale(mean: float) -> float:
    """Where a mean of 1–7 sits, in percent of the chart's width."""
    return 5 + (mean - 1) / 6 * 90


def obsessed_line(rows: Iterable[ItemRow], title: str) -> SafeString:
    """Each dimension's mean as a dot on the 1–7 line between customer-reactive (1) and
    customer-obsessed (7), over the reactive and obsessed zones."""
    y = 14.0
    body = [
        _text("0", y, "1 · customer reactive", size=SMALL, fill=UNFAVOURABLE),
        _text("100%", y, "customer obsessed · 7", size=SMALL, fill=SCORE, anchor="end"),
    ]
    y += 6
    reactive_end = _on_scale(REACTIVE_UP_TO_MEAN)
    obsessed_start = _on_scale(OBSESSED_FROM_MEAN)
    for row in rows:
        y += LINE
        body.append(_text("0", y - 3, row.text, weight="bold"))
        if row.suppressed:
            body.append(_text("100%", y - 3, NOT_SHOWN, fill=MUTED, anchor="end", italic=True))
        elif row.mean is not None:
            body.append(_text("100%", y - 3, fmt_mean(row.mean), anchor="end", weight="bold"))
        line = y + 10
        body.append(_rect("5%", line - 7, _pct(reactive_end - 5), 14, REACTIVE_ZONE))
        body.append(
            _rect(_pct(obsessed_start), line - 7, _pct(95 - obsessed_start), 14, OBSESSED_ZONE)
        )
        body.append(f'<line x1="5%" y1="{line:g}" x2="95%" y2="{line:g}" stroke="{MUTED}"/>')
        for point in range(1, 8):
            x = _pct(_on_scale(point))
            body.append(
                f'<line x1="{x}" y1="{line - 4:g}" x2="{x}" y2="{line + 4:g}" stroke="{MUTED}"/>'
            )
            body.append(_text(x, line + 16, str(point), size=SMALL, fill=MUTED, anchor="middle"))
        if not row.suppressed and row.mean is not None:
            body.append(
                f'<circle cx="{_pct(_on_scale(row.mean))}" cy="{line:g}" r="6" fill="{SCORE}" '
                f'stroke="#fff" stroke-width="2"/>'
            )
        y = line + 24
    return _svg(title, y, "".join(body))


# --- Distributions -----------------------------------------------------------------------------


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


RED = (178, 24, 43)
MIDDLE = (226, 221, 210)
BLUE = (33, 102, 172)


def choice_colour(share: Share) -> str:
    """A choice's colour by its score: red at 0, a warm grey at 50, blue at 100; grey for
    an unscored choice such as "Don't know"."""
    if share.score is None:
        return DONT_KNOW
    score = share.score / 100
    rgb = _mix(RED, MIDDLE, score * 2) if score <= 0.5 else _mix(MIDDLE, BLUE, score * 2 - 1)
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _ink_on(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return INK if (0.299 * red + 0.587 * green + 0.114 * blue) > 150 else "#ffffff"


def legend(question: QuestionView) -> list[tuple[str, str]]:
    """(colour, label) of each choice of a question, for the legend beside its chart."""
    return [
        (
            choice_colour(
                Share(str(c["value"]), c["label"], 0, None, c["score"], c["unfavourable"])
            ),
            c["label"],
        )
        for c in question["choices"]
    ]


def distribution_bars(rows: Iterable[ItemRow], title: str) -> SafeString:
    """One bar per group, divided by the share of answers that chose each value (one
    choice per answer, so the parts make 100%), with the group's score and unfavourable
    share beside it: the distribution, not only the average."""
    y = 14.0
    body = [_swatch_legend(y, [(INK, "Score (0–100)"), (UNFAVOURABLE, "Unfavourable share")])]
    y += 6
    for row in rows:
        y += LINE
        label = row.label if row.suppressed or row.n is None else f"{row.label} (n = {row.n})"
        body.append(
            _text("0", y - 3, label, weight="bold" if row.depth == 0 else None, indent=row.depth)
        )
        if row.suppressed:
            body.append(_text("0", y + BAR - 1, NOT_SHOWN, fill=MUTED, italic=True))
        elif not row.n:
            body.append(_text("0", y + BAR - 1, f"{fmt_score(None)} no answers", fill=MUTED))
        else:
            x = 0.0
            for share in row.shares:
                if not share.share:
                    continue
                width = BAR_END * share.share
                colour = choice_colour(share)
                body.append(_rect(_pct(x), y, _pct(width), BAR + 4, colour))
                if width >= 9:
                    body.append(
                        _text(
                            _pct(x + width / 2),
                            y + BAR,
                            fmt_percent(share.share),
                            size=SMALL,
                            fill=_ink_on(colour),
                            anchor="middle",
                        )
                    )
                x += width
            if row.score is not None:
                body.append(_text(_pct(BAR_END + 2), y + BAR, fmt_score(row.score), weight="bold"))
            if row.unfavourable is not None:
                body.append(
                    _text(
                        "100%",
                        y + BAR,
                        fmt_percent(row.unfavourable),
                        anchor="end",
                        fill=UNFAVOURABLE,
                    )
                )
        y += BAR + 14
    return _svg(title, y, "".join(body))


def option_bars(row: ItemRow, title: str, label_chars: int = LABEL_CHARS) -> SafeString:
    """A several-choice question: the share of respondents who ticked each option (the
    shares add up to more than 100%)."""
    y = 0.0
    body = []
    if row.suppressed:
        y += LINE
        body.append(_text("0", y, NOT_SHOWN, fill=MUTED, italic=True))
        return _svg(title, y + 6, "".join(body))
    for share in row.shares:
        label, y = _label(y, share.label, chars=label_chars)
        body.append(label)
        body.append(_rect("0", y, _pct(BAR_END), BAR, TRACK))
        body.append(_rect("0", y, _pct(BAR_END * (share.share or 0)), BAR, SCORE))
        body.append(
            _text("100%", y + BAR - 1, fmt_percent(share.share), anchor="end", weight="bold")
        )
        y += BAR + 10
    return _svg(title, y, "".join(body))
