"""The report's SVG charts: text escaped, no style attribute (the CSP forbids them), each
an image with a title, the marker where a group is suppressed."""

import re

from assessment.reporting import charts
from assessment.reporting.tables import SUPPRESSED_MARKER, GapRow, ItemRow, item_row

HOSTILE = '<script>alert("x")</script> & "quotes"'
QUESTION = {
    "code": "checklist-01",
    "text": HOSTILE,
    "instrument": "checklist",
    "kind": "choice",
    "choices": [
        {"value": 1, "label": "Yes <b>", "score": 100, "unfavourable": False},
        {"value": 3, "label": "No", "score": 0, "unfavourable": True},
        {"value": 9, "label": "Don't know", "score": None, "unfavourable": False},
    ],
}
ITEM = {
    "n": 10,
    "distribution": {"1": 6, "3": 3, "9": 1},
    "shares": {"1": 0.6, "3": 0.3, "9": 0.1},
    "mean": None,
    "score": 66.7,
    "unfavourable": 0.3,
    "smoke": True,
    "change": 2.5,
}


def every_chart() -> list[str]:
    shown = item_row(QUESTION, ITEM, label=HOSTILE)
    hidden = item_row(QUESTION, {"suppressed": True}, label="Legal")
    gap = GapRow(code="checklist-01", text=HOSTILE, executive=80.0, front_line=40.0, gap=40.0)
    scale = ItemRow(
        code="obsessed-01",
        text=HOSTILE,
        instrument="obsessed",
        kind="bipolar_7",
        suppressed=False,
        n=10,
        mean=4.5,
    )
    return [
        charts.score_bars([shown, hidden], HOSTILE),
        charts.gap_bars([gap], HOSTILE, HOSTILE, "Front line"),
        charts.obsessed_line([scale, hidden], HOSTILE),
        charts.distribution_bars([shown, hidden], HOSTILE),
        charts.option_bars(shown, HOSTILE),
    ]


def test_every_chart_escapes_its_text_and_has_no_style_attribute():
    for svg in every_chart():
        assert "<script" not in svg
        assert "<b>" not in svg
        assert "&lt;script&gt;" in svg
        assert not re.search(r"\sstyle=", svg)
        assert re.match(r'<svg [^>]*role="img" aria-label="[^"<]+"', svg)
        assert "<title>&lt;script&gt;" in svg


def test_a_suppressed_group_is_drawn_as_the_marker_and_nothing_else():
    score, _, obsessed, distribution, _ = every_chart()

    for svg in (score, obsessed, distribution):
        assert f"{SUPPRESSED_MARKER} not shown" in svg
    # The shown group's numbers, and only those: 66.7 and 30 % unfavourable.
    assert ">66.7<" in score
    assert ">30%<" in score
    assert "smoke" in score


def test_a_score_bar_is_as_long_as_the_score_on_the_bars_share_of_the_width():
    svg = charts.score_bars([item_row(QUESTION, ITEM)], "Checklist")

    assert f'width="{charts.BAR_END * 0.667:.2f}%"' in svg
    assert f'width="{charts.BAR_END * 0.3:.2f}%"' in svg
