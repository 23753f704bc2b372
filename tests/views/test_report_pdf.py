"""The report's PDF read back as its reader would: a table of contents whose page numbers
and links lead to each part, every item of a long chart, no page where a heading stands
alone, tags a screen reader can follow, and comments capped per question with the count
of the rest."""

import re

import pytest

from assessment.models import LevelKind, QuestionKind
from assessment.reporting.exports import pdf
from assessment.reporting.tables import gap_rows
from assessment.reporting.views import shown
from assessment.selectors.reports import report_scope
from tests.support.factories import DepartmentFactory
from tests.support.pdf_reading import (
    catalog,
    contents,
    figure_text,
    opened,
    page_texts,
    text_kinds,
    unspaced,
)
from tests.support.report_data import (
    Respondent,
    make_round,
    questions_by_code,
    write_responses,
)
from tests.support.report_pages import build_report, downloaded, executive, lead

pytestmark = pytest.mark.django_db

PEOPLE = 8  # of each level: above the threshold and the comment threshold


@pytest.fixture
def wide_gap(organisation, instruments):
    """A round where 8 executives and 8 front-line people of Stores answer every scored
    question, the executives with its best choice and the front line with its worst:
    every item has a gap, more than a page of them. Each writes a comment on
    checklist-01."""
    round_ = make_round(organisation, instruments, name="Autumn round", threshold=5)
    stores = DepartmentFactory(organisation=organisation, name="Stores")
    scored = [
        question
        for question in questions_by_code(round_).values()
        if question.kind != QuestionKind.MULTI_CHOICE
        and question.choices.exclude(score=None).count() > 1
    ]
    crowd = []
    for kind in (LevelKind.EXECUTIVE, LevelKind.FRONT_LINE):
        level = organisation.levels.get(kind=kind)
        for number in range(PEOPLE):
            answers = {}
            for question in scored:
                choices = question.choices.exclude(score=None).order_by("score")
                best = kind == LevelKind.EXECUTIVE
                answers[question.code] = (choices.last() if best else choices.first()).value
            crowd.append(
                Respondent(
                    department=stores,
                    level=level,
                    answers=answers,
                    comments={"checklist-01": f"{kind} comment {number:02d}"},
                )
            )
    write_responses(round_, crowd)
    return round_, stores


def download(client, round_) -> bytes:
    return downloaded(client, round_, "pdf").content


def test_the_contents_give_each_part_its_page_and_link_to_it(tree, organisation):
    round_, _ = tree
    scope = report_scope(build_report(round_))

    content = download(executive(organisation), round_)
    entries, targets = contents(content)
    with opened(content) as document:
        pages = page_texts(document)

    titles = [title for title, _ in entries]
    for expected in (
        "Whole organisation",
        "Participation",
        "The stands and the arena",
        "Heatmap",
        "Comments and stories",
    ):
        assert expected in titles
    for title, number in entries:
        assert title in pages[number - 1], (title, number)
    assert targets == {number for _, number in entries}
    # Each department shown has its part; those hidden are named among those not shown.
    hidden = pages[1][pages[1].index("Not shown on their own") :]
    assert "Compliance" in hidden
    for path, view in scope.departments.items():
        name = path.rsplit("/", 1)[-1]
        assert (name in titles) == (shown(view) is not None), path
        assert (path in hidden) == (shown(view) is None), path


def test_a_long_gap_chart_shows_every_item_and_no_page_has_a_heading_alone(wide_gap, organisation):
    round_, _ = wide_gap
    snapshot = build_report(round_)
    gaps = gap_rows(report_scope(snapshot), report_scope(snapshot).root)
    assert len(gaps) > 30  # drawn whole, the chart would be taller than a page

    content = download(executive(organisation), round_)
    with opened(content) as document:
        pages = page_texts(document)

    charts = figure_text(content)
    for gap in gaps:
        # Its label in the chart: the question's first words (a long one is cut after
        # two lines).
        assert unspaced(" ".join(gap.text.split()[:6])) in charts, gap.text
    for number, kinds in enumerate(text_kinds(content), start=1):
        assert kinds["body"], f"page {number} holds only a heading: {pages[number - 1]}"


def test_the_pdf_is_tagged_with_its_language_and_title(tree, organisation):
    round_, _ = tree
    build_report(round_)

    facts = catalog(download(executive(organisation), round_))

    assert facts == {
        "tagged": True,
        "language": "en-GB",
        "title": "Culture report: Spring round",
    }


def test_a_leads_pdf_is_titled_with_their_department_and_lists_only_it(tree, organisation):
    round_, departments = tree
    build_report(round_)

    content = download(lead(organisation, departments["operations"]), round_)
    entries, _ = contents(content)

    assert catalog(content)["title"] == "Culture report: Spring round (Operations)"
    titles = [title for title, _ in entries]
    assert titles[0] == "Operations"
    assert "Operations/Logistics" in titles and "Operations/Warehouse" in titles
    assert not {"Treasury", "Compliance", "Whole organisation"} & set(titles)


def test_comments_are_capped_per_question_with_the_count_of_the_rest(
    wide_gap, organisation, monkeypatch
):
    round_, _ = wide_gap
    snapshot = build_report(round_)
    monkeypatch.setattr(pdf, "COMMENTS_PRINTED", 5)
    written = report_scope(snapshot).comments()["checklist-01"]
    assert len(written) == 2 * PEOPLE

    with opened(download(executive(organisation), round_)) as document:
        text = " ".join(page_texts(document))

    appendix = text[text.index("Comments and stories: Whole organisation") :]
    for comment in written[:5]:
        assert comment in appendix
    for comment in written[5:]:
        assert comment not in text
    assert "The first 5 of 16." in appendix
    assert "And 11 more, on the report's Comments page and in the spreadsheet (XLSX)." in appendix


def test_the_layout_gives_a_marker_to_list_items_only_and_no_footnote_pseudo_elements():
    """The stylesheet of the browser the PDF is laid out with: WeasyPrint's, without the
    pseudo-elements it gives every element (a computed style each, kept to the end)."""
    from weasyprint.html import UA

    lean = pdf.user_agent_css(UA)

    marker = next(line for line in UA.splitlines() if line.startswith("::marker {"))
    assert re.search(r"^::footnote-call \{", UA, re.MULTILINE)
    assert not re.search(r"^::", lean, re.MULTILINE)
    assert "footnote-call" not in lean and "note-callback" not in lean
    # Every other rule is WeasyPrint's own.
    assert set(lean.splitlines()) - set(UA.splitlines()) == {f"li{marker}"}
