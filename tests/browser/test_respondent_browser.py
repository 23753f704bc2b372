"""An employee answers the whole questionnaire on a phone in Debian's Chromium, one page
by keyboard only; axe-core checks every respondent page."""

import pytest
from playwright.sync_api import Page, expect

from assessment.models import QuestionKind, Response
from tests.fixtures.browser import PHONE, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def answer_with_clicks(page: Page, section) -> None:
    for question in section.questions.all():
        if question.kind == QuestionKind.TEXT:
            page.fill(f"#id_{question.code}", "members, guests")
        elif question.is_scale:
            page.check(f"#id_{question.code}_{question.choices.count() - 1}")
        else:
            page.check(f"#id_{question.code}_0")


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
        return {name: e.name || '', tag: e.tagName, text: e.textContent.trim(),
                checked: !!e.checked, outline: s.outlineStyle + ' ' + s.outlineWidth}; }"""
    )


def tab_until(page: Page, predicate, limit: int = 60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if predicate(state):
            return state
    raise AssertionError("Tab never reached the expected control")


def answer_with_keyboard_only(page: Page, section) -> None:
    """Tab into each radio group, choose with the arrow keys and Space, then press the
    Next button with Enter: no mouse."""
    for question in section.questions.all():
        state = tab_until(page, lambda s, code=question.code: s["name"] == code)
        assert state["outline"].startswith("solid"), "focus must be visible"
        page.keyboard.press("ArrowDown")  # Yes → Partly
        page.keyboard.press("Space")
        assert focused(page)["checked"]
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["text"] == "Next")
    page.keyboard.press("Enter")


def test_an_employee_answers_everything_on_a_phone_and_reaches_the_thank_you_page(
    live_server, page: Page, invitation_link, pages
):
    _, link = invitation_link()
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", name="Who will see what")).to_be_visible()
    assert not serious_accessibility_violations(page)
    page.get_by_role("link", name="Start").click()

    for number, section in enumerate(pages, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
        expect(page.get_by_text(f"Page {number} of {len(pages)}")).to_be_visible()
        assert fits_the_phone(page)
        if number == 1:
            assert not serious_accessibility_violations(page)
            answer_with_keyboard_only(page, section)
            continue
        if number == 2:
            # Moving on with nothing answered: errors named, tied to their fields.
            page.get_by_role("button", name="Next").click()
            expect(page.get_by_role("alert")).to_contain_text("need")
            assert not serious_accessibility_violations(page)
        answer_with_clicks(page, section)
        page.get_by_role(
            "button", name="Review answers" if number == len(pages) else "Next"
        ).click()

    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    expect(page.get_by_text("Partly").first).to_be_visible()
    assert fits_the_phone(page)
    assert not serious_accessibility_violations(page)
    page.get_by_role("button", name="Submit my answers").click()

    expect(page.get_by_role("heading", name="Thank you — your answers are in")).to_be_visible()
    assert not serious_accessibility_violations(page)
    assert Response.objects.count() == 1
    assert token_not_in_page(page, link)


def token_not_in_page(page: Page, link: str) -> bool:
    token = link.strip("/").split("/")[-1]
    return token not in page.content() and token not in page.url


def test_going_back_and_forward_keeps_the_answers_already_given(
    live_server, page: Page, invitation_link, pages
):
    _, link = invitation_link()
    page.goto(live_server.url + link)
    page.get_by_role("link", name="Start").click()
    answer_with_clicks(page, pages[0])
    page.get_by_role("button", name="Next").click()
    # Back is pressed once the second page is there, as a person would: pressed while the
    # saving POST is still under way, Chromium swaps the page out under Playwright.
    expect(page.get_by_role("heading", level=1)).to_have_text(pages[1].title)
    first = page.locator(f"#id_{pages[0].questions.all()[0].code}_0")

    page.go_back()  # the browser's own Back button
    expect(page.get_by_role("heading", level=1)).to_have_text(pages[0].title)
    expect(first).to_be_checked()
    page.go_forward()
    expect(page.get_by_role("heading", level=1)).to_have_text(pages[1].title)
    page.get_by_role("button", name="Back").click()  # the page's Back button
    expect(first).to_be_checked()


def test_the_accessibility_check_does_report_a_serious_violation(page: Page):
    # Guards the guard: an unlabelled field and an image without text must be reported.
    page.set_content(
        '<html lang="en"><body><main><input type="text"><img src="x.png"></main></body></html>'
    )
    assert serious_accessibility_violations(page)
