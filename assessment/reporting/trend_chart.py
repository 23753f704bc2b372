"""A group's scores over the rounds, as a line per instrument: drawn on the server as SVG
like the other charts (assessment/reporting/charts.py), only where there are more than
two rounds to draw. Each point carries its number, so colour is never the only cue, and
the table beside the chart lists them all."""

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from .charts import FONT, INK, LINE, MUTED, TRACK, _svg, _text
from .naming import instrument_title
from .tables import fmt_score
from .views import TrendPointView

# More than this many rounds make a line worth drawing (two are one change).
FEWEST_ROUNDS = 3
# Colours by order of the instruments (enough for the built-in five), and a dash
# pattern each, so that two lines differ by more than their colour.
COLOURS = ("#0b5cad", "#9a4a00", "#1e7b4b", "#6f42c1", "#b02a37")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")
LEFT, RIGHT = 8.0, 88.0  # the plot's edges, in % of the width
TOP, HEIGHT = 16.0, 180.0  # the plot's top and height, in px


@dataclass(frozen=True)
class TrendRow:
    """One round's scores, by instrument (None: not shown that round)."""

    round: str
    opens_on: str
    scores: tuple[float | None, ...]


def trend_rows(points: Sequence[TrendPointView], keys: Sequence[str]) -> list[TrendRow]:
    return [
        TrendRow(p["round"], p["opens_on"], tuple(p["scores"].get(k) for k in keys)) for p in points
    ]


def _x(index: int, count: int) -> float:
    return LEFT + (RIGHT - LEFT) * index / max(count - 1, 1)


def _y(score: float) -> float:
    return TOP + HEIGHT * (1 - score / 100)


def _series(rows: Sequence[TrendRow], column: int) -> str:
    """One instrument's line and its points (their numbers are drawn by _numbers)."""
    colour, dash = COLOURS[column % len(COLOURS)], DASHES[column % len(DASHES)]
    drawn = [(i, s) for i, row in enumerate(rows) if (s := row.scores[column]) is not None]
    parts = []
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    for (i, a), (j, b) in itertools.pairwise(drawn):
        parts.append(
            f'<line x1="{_x(i, len(rows)):.2f}%" y1="{_y(a):.1f}" x2="{_x(j, len(rows)):.2f}%" '
            f'y2="{_y(b):.1f}" stroke="{colour}" stroke-width="2"{dashed}/>'
        )
    parts += [
        f'<circle cx="{_x(i, len(rows)):.2f}%" cy="{_y(score):.1f}" r="3.5" fill="{colour}"/>'
        for i, score in drawn
    ]
    return "".join(parts)


def _numbers(rows: Sequence[TrendRow]) -> str:
    """Each point's number above it, those of one round pushed apart so that none covers
    another when the lines run close."""
    parts = []
    for i, row in enumerate(rows):
        points = sorted(
            (_y(score), column) for column, score in enumerate(row.scores) if score is not None
        )
        below = -float("inf")
        for y, column in points:
            at = max(y - 6, below + LINE - 2)
            below = at
            parts.append(
                _text(
                    f"{_x(i, len(rows)) + 1.2:.2f}%",
                    at,
                    fmt_score(row.scores[column]),
                    fill=COLOURS[column % len(COLOURS)],
                )
            )
    return "".join(parts)


def trend_lines(
    rows: Sequence[TrendRow],
    keys: Sequence[str],
    title: str,
    names: Mapping[str, str] | None = None,
) -> SafeString | None:
    """The chart, or None with too few rounds to draw a line."""
    if len(rows) < FEWEST_ROUNDS or not keys:
        return None
    grid = []
    for score in (0, 50, 100):
        grid.append(
            f'<line x1="{LEFT}%" y1="{_y(score):.1f}" x2="{RIGHT}%" y2="{_y(score):.1f}" '
            f'stroke="{TRACK}"/>'
        )
        grid.append(_text("0", _y(score) + 4, str(score), fill=MUTED))
    labels_y = TOP + HEIGHT + LINE + 4
    for i, row in enumerate(rows):
        anchor = "start" if i == 0 else "end" if i == len(rows) - 1 else "middle"
        grid.append(
            _text(f"{_x(i, len(rows)):.2f}%", labels_y, row.opens_on, anchor=anchor, fill=MUTED)
        )
    legend_y = labels_y + LINE + 6
    legend = []
    for column, key in enumerate(keys):
        y = legend_y + column * (LINE + 2)
        colour, dash = COLOURS[column % len(COLOURS)], DASHES[column % len(DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        legend.append(
            f'<line x1="0" y1="{y - 4}" x2="24" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="2"{dashed}/>'
        )
        legend.append(_text("30", y, instrument_title(key, names), fill=INK, size=FONT))
    series = "".join(_series(rows, column) for column in range(len(keys))) + _numbers(rows)
    height = legend_y + len(keys) * (LINE + 2)
    return _svg(title, height, "".join(grid) + series + "".join(legend))
