"""A fresh installation's home page, and an organisation admin creating the levels a roster
names in the import's check, on a phone in Debian's Chromium; axe finds nothing serious."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from assessment.models import Membership, Role
from assessment.views.home import FIRST_RUN_COMMAND
from tests.fixtures.browser import serious_accessibility_violations
from tests.support.roster_files import csv_file

pytestmark = pytest.mark.browser


def test_a_fresh_installation_shows_the_command_to_run(live_server, page: Page, desktop_page):
    for each in (page, desktop_page):
        each.goto(live_server.url + "/")
        expect(each.get_by_role("heading", name="Set up your organisation")).to_be_visible()
        expect(each.get_by_text(FIRST_RUN_COMMAND)).to_be_visible()
        expect(each.get_by_role("link", name="Sign in")).to_have_count(0)
        assert not serious_accessibility_violations(each)
    # Nothing wider than the phone: the command wraps.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.fixture
def admin_account(organisation):
    user = get_user_model().objects.create_user(username="ada", password="a-long-passphrase")
    Membership.objects.create(user=user, organisation=organisation, role=Role.ADMIN)
    return user


def test_an_admin_creates_the_new_levels_in_the_check_on_a_phone(
    live_server, page: Page, admin_account, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    roster = tmp_path / "staff.csv"
    roster.write_bytes(
        csv_file(
            ("Ana Silva", "ana@example.com", "Galley", "Crew"),
            ("Ben Okafor", "ben@example.com", "Bridge", "Captain"),
        )
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/roster/import/")
    page.get_by_label("Roster file").set_input_files(str(roster))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("group", name="New levels")).to_be_visible()
    assert not serious_accessibility_violations(page)
    # The kinds, and what each means, are read before choosing.
    expect(page.get_by_text("The report's gap compares them with the front line")).to_be_visible()

    page.get_by_label("Crew").select_option(label="Front line (“Bottoms”)")
    page.get_by_label("Captain").select_option(label="Executive (“Tops”)")
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_text("Roster imported: 2 added")).to_be_visible()
    expect(page.get_by_role("cell", name="Crew")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
