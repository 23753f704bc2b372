"""docs/report-json.md states the report's definitions; these keep it in step with the code."""

from pathlib import Path

from assessment.models import REPORT_SCHEMA
from assessment.reporting import stats

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "report-json.md").read_text()


def test_the_documented_thresholds_are_the_ones_the_report_uses():
    assert f"`LOOKS_FINE_SCORE` = {stats.LOOKS_FINE_SCORE:g}" in DOCS
    assert f"`SMOKE_UNFAVOURABLE_SHARE` = {stats.SMOKE_UNFAVOURABLE_SHARE * 100:g} %" in DOCS
    assert f"`OBSESSED_FROM_MEAN` = {stats.OBSESSED_FROM_MEAN:g}" in DOCS
    assert f"`REACTIVE_UP_TO_MEAN` = {stats.REACTIVE_UP_TO_MEAN:g}" in DOCS
    assert f"`{stats.LANGUAGE_QUESTION}`" in DOCS


def test_the_documented_rounding_and_schema_are_the_ones_the_report_uses():
    assert f"to {stats.SCORE_DIGITS} decimal" in DOCS
    assert f"to {stats.MEAN_DIGITS} decimals" in DOCS
    assert f"to {stats.SHARE_DIGITS} decimals" in DOCS
    assert f'"schema": {REPORT_SCHEMA},' in DOCS
    assert f"`schema` is {REPORT_SCHEMA}." in DOCS


def test_a_leads_download_is_documented_as_it_is_made():
    from assessment.reporting.scope import ReportScope

    whole = {
        "responses": 10,
        "organisation": {"suppressed": True},
        "departments": {"Sales": {}, "Sales/Field": {}, "Support": {}},
        "heatmap": {
            "items": [],
            "departments": {"Sales": {}, "Support": {}},
            "too_few_invited": [
                {"department": None, "level": "Executive"},
                {"department": "Sales/Field", "level": None},
                {"department": "Support", "level": None},
            ],
        },
    }
    part = ReportScope(whole, "Sales").json()

    assert "## A department lead's download" in DOCS
    assert '`"scope"`: the path of their department' in DOCS
    assert '`"organisation"`: `null`, and `"responses"`: `null`' in DOCS
    assert (part["scope"], part["organisation"], part["responses"]) == ("Sales", None, None)
    assert list(part["departments"]) == ["Sales", "Sales/Field"]
    assert list(part["heatmap"]["departments"]) == ["Sales"]
    assert part["heatmap"]["too_few_invited"] == [{"department": "Sales/Field", "level": None}]
    assert '`"heatmap"."too_few_invited"` only names those' in DOCS
    assert "scope" not in ReportScope(whole).json()


def test_the_documented_summary_and_split_constants_are_the_ones_the_report_uses():
    from assessment.reporting import summary

    assert f"`FAVOURABLE_ABOVE_SCORE` = {stats.FAVOURABLE_ABOVE_SCORE:g}" in DOCS
    assert f"`SUMMARY_TOP` = {summary.SUMMARY_TOP}" in DOCS
    assert f"`CHANGE_WORTH_NAMING` = {summary.CHANGE_WORTH_NAMING:g}" in DOCS
    for key in ('"split"', '"trend"', '"summary"', '"compared_with"', '"too_few_invited"'):
        assert key in DOCS, key
