"""Control characters in what people write: typed on the respondent's pages or in a
workshop room they are stored cleaned, and stored before cleaning existed they still leave
every download whole (a 200, the text cleaned) for every reader, with nothing of the text
in the log."""

import io
import json
import logging
import unicodedata
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.log_filters import MISSING_GLYPH
from assessment.models import (
    Commitment,
    DraftPage,
    Invitation,
    Level,
    LevelKind,
    TextAnswer,
    WorkshopAnswer,
    WorkshopQuestion,
)
from assessment.services.workshops import workshop_close
from tests.support.answers import valid_post
from tests.support.report_data import Respondent, write_responses
from tests.support.report_pages import build_report, downloaded, executive, lead, pdf_text
from tests.support.workshop_pages import join, send

pytestmark = pytest.mark.django_db

# Typed on the pages: controls, DEL, C1, a vertical tab (Word's line break), Windows and
# Unicode line breaks, and a noncharacter. PostgreSQL cannot hold NUL at all.
TYPED = "Typed\x01 by\x08 a\x0bperson\x1b[0m\x1f\x7f who\x85pasted\u2028it\x9f\ufffe\r\nhere"
TYPED_CLEANED = "Typed by a\nperson[0m who\npasted\nit\nhere"
STORY = "A story\x02 told\x1e twice\x7f\x80\rover"
STORY_CLEANED = "A story told twice\nover"
# Stored before cleaning existed: written straight into the table.
OLD = "Old\x03 comment\x0cwith\x1c breaks\x86\x9e\uffff\u2029and more"
OLD_CLEANED = "Old comment\nwith breaks\nand more"
# A formula hidden behind a control character is a formula once the character is gone.
OLD_FORMULA = '\x01=HYPERLINK("http://example.invalid","click")'
OLD_FORMULA_CLEANED = '=HYPERLINK("http://example.invalid","click")'
# A script no font on the server draws: WeasyPrint warns for each character it cannot.
HIEROGLYPHS = "Hieroglyphs \U00013000\U00013001\U00013002 in a comment"
WRITTEN = [TYPED, STORY, OLD, OLD_FORMULA, HIEROGLYPHS]
# Words of each, to look for in the log however it is cut or escaped.
WORDS = ["Typed", "pasted", "story told", "Old", "comment", "HYPERLINK", "\U00013000"]


def page_url(number: int) -> str:
    return reverse("respondent:page", kwargs={"number": number})


def commented_question(pages) -> str:
    return next(q.code for s in pages for q in s.questions.all() if q.allows_comment)


def type_on_every_page(client, pages) -> None:
    """Answer every page, with TYPED in every comment box and STORY in every text box."""
    for number, section in enumerate(pages, start=1):
        data = valid_post(section, text=STORY)
        for question in section.questions.all():
            if question.allows_comment:
                data[f"{question.code}-comment"] = TYPED
        assert client.post(page_url(number), data).status_code == 302


def is_clean(text: str) -> bool:
    """No control character but tab and line feed, and no noncharacter U+FFFE or U+FFFF."""
    return not any(
        (unicodedata.category(c) == "Cc" and c not in "\t\n") or c in "\ufffe\uffff" for c in text
    )


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings(k) + strings(v)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def commented(client, open_round, invitation_link, pages, organisation):
    """The open round with twelve responses in Sales (front line), enough to show their
    comments: one typed through the pages, eleven stored straight in the table, of which
    two hold control characters and one a script no font draws; and twelve in Support."""
    # Someone of Sales types the comment: a lead of Sales reads it.
    invited = Invitation.objects.filter(round=open_round).order_by("pk")
    first_of_sales = [i.department.name for i in invited].index("Sales")
    _, link = invitation_link(first_of_sales)
    client.get(link)
    type_on_every_page(client, pages)
    assert client.post(reverse("respondent:review")).status_code == 302
    code = commented_question(pages)
    sales = organisation.departments.get(name="Sales")
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    support = organisation.departments.get(name="Support")
    manager = Level.objects.get(organisation=organisation, kind=LevelKind.MANAGER)
    old = [OLD, OLD_FORMULA, HIEROGLYPHS] + [f"Plain comment {n}" for n in range(8)]
    # Support as large, so that no group of the report is too small to show.
    write_responses(
        open_round,
        [Respondent(department=sales, level=front, comments={code: text}) for text in old]
        + [Respondent(department=support, level=manager) for _ in range(12)],
    )
    assert TextAnswer.objects.filter(text__in=[OLD, OLD_FORMULA]).count() == 2  # stored raw
    build_report(open_round)
    return open_round, sales


def test_a_comment_and_a_story_typed_on_the_respondents_pages_are_kept_cleaned(
    client, open_round, invitation_link, pages
):
    invitation, link = invitation_link()
    client.get(link)
    type_on_every_page(client, pages)

    # The pages are shown back as kept.
    kept = [s for d in DraftPage.objects.filter(invitation=invitation) for s in strings(d.data)]
    assert TYPED_CLEANED in kept and STORY_CLEANED in kept
    assert all(is_clean(text) for text in kept)
    review = client.get(reverse("respondent:review")).content.decode()
    assert "Typed by a" in review and "\x01" not in review

    client.post(reverse("respondent:review"))

    stored = list(TextAnswer.objects.filter(round=open_round).values_list("is_comment", "text"))
    assert stored
    assert {text for is_comment, text in stored if is_comment} == {TYPED_CLEANED}
    assert {text for is_comment, text in stored if not is_comment} == {STORY_CLEANED}


def test_a_comment_typed_in_a_workshop_room_is_kept_cleaned_and_its_summary_downloads(
    staff, make_workshop, django_client_factory, caplog
):
    workshop = make_workshop(["conversation-02"], threshold=3, comment_threshold=3)
    for _ in range(3):
        room = django_client_factory()
        join(room, workshop)
        assert send(room, 1, "1", comment=TYPED).status_code == 200
    # Stored raw before text was cleaned on save: in the answer and on the wall that
    # published it.
    old = WorkshopAnswer.objects.first()
    WorkshopAnswer.objects.filter(pk=old.pk).update(text=OLD)
    (question,) = WorkshopQuestion.objects.filter(workshop=workshop)
    question.shown_wall = [
        {**item, "text": OLD} if item["id"] == str(old.pk) else item for item in question.shown_wall
    ]
    question.save(update_fields=["shown_wall"])
    workshop_close(workshop=workshop)

    stored = list(WorkshopAnswer.objects.order_by("text").values_list("text", flat=True))
    assert stored == [OLD, TYPED_CLEANED, TYPED_CLEANED]

    caplog.set_level(logging.DEBUG)
    response = staff["facilitator"].get(
        reverse("workshops:summary-pdf", kwargs={"pk": workshop.pk})
    )

    assert response.status_code == 200
    text = flat(pdf_text(response.content))
    assert flat(TYPED_CLEANED) in text and flat(OLD_CLEANED) in text
    assert is_clean(text)
    assert [word for word in WORDS if word in caplog.text] == []


def test_names_and_commitments_staff_type_are_kept_cleaned(staff, make_workshop, organisation):
    workshop = make_workshop(["conversation-02"])
    saved = staff["admin"].post(
        reverse("organisation:department-add"), {"name": "Field\x01 sales\x7f\x85team"}
    )
    recorded = staff["facilitator"].post(
        reverse("workshops:commitment-add", kwargs={"pk": workshop.pk}),
        {"what": f"Call back\x02 {TYPED}", "who": "\x1bHead\x9f of\rsales", "due_on": "2030-06-30"},
    )

    assert saved.status_code == recorded.status_code == 302
    assert organisation.departments.filter(name="Field sales\nteam").exists()
    assert list(Commitment.objects.values_list("what", "who")) == [
        (f"Call back {TYPED_CLEANED}", "Head of\nsales")
    ]


@pytest.mark.parametrize("reader", ["executive", "lead"])
def test_every_download_of_the_report_answers_with_the_comments_cleaned(
    commented, organisation, reader, caplog
):
    round_, sales = commented
    client = executive(organisation) if reader == "executive" else lead(organisation, sales)
    caplog.set_level(logging.DEBUG)

    downloads = {name: downloaded(client, round_, name) for name in ("json", "xlsx", "pdf")}

    assert {name: r.status_code for name, r in downloads.items()} == dict.fromkeys(downloads, 200)
    written = strings(json.loads(downloads["json"].content))
    book = load_workbook(io.BytesIO(downloads["xlsx"].content))
    cells = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    formulas = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    printed = flat(pdf_text(downloads["pdf"].content))
    for cleaned_text in (TYPED_CLEANED, STORY_CLEANED, OLD_CLEANED, OLD_FORMULA_CLEANED):
        assert cleaned_text in written, cleaned_text
        assert flat(cleaned_text) in printed, cleaned_text
    for cleaned_text in (TYPED_CLEANED, STORY_CLEANED, OLD_CLEANED):
        assert cleaned_text in cells, cleaned_text
    assert f"'{OLD_FORMULA_CLEANED}" in cells
    assert formulas == []
    assert [text for text in written + cells if not is_clean(text)] == []
    assert is_clean(printed)
    assert [word for word in WORDS if word in caplog.text] == []


def test_weasyprints_warning_for_a_character_no_font_draws_leaves_the_character_out(caplog):
    # As WeasyPrint words it (weasyprint/draw/text.py).
    logging.getLogger("weasyprint").warning(
        '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)',
        "\U00013000",
        0x13000,
    )

    assert [record.getMessage() for record in caplog.records] == [MISSING_GLYPH]
