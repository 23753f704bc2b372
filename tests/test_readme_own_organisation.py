"""README.md's "Your own organisation", followed word for word from an empty database to a
launched round: its commands are run as written, its CSV is the roster imported, and every
page, link, button and field it names in *italics* is found on the site by those words and
used. Nothing goes through the Django admin or the ORM: only commands, e-mail and HTTP.

The built-in instruments come from a data migration (`migrate`); the `instruments` fixture
puts them back after a transactional test has emptied the tables, which is what a fresh
database after `migrate` holds."""

import re
import shlex
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from assessment.views.staff.rounds import CREATED, LAUNCHED
from tests.support.pages import Page, words

README = Path(__file__).resolve().parent.parent / "README.md"
PASSWORD = "tide and thyme 2026"
# `runserver` serves the pages the test client reaches without it.
SERVED_BY_THE_TEST_CLIENT = "python manage.py runserver"


def section() -> str:
    text = README.read_text()
    start = text.index("\n## Your own organisation\n")
    return text[start : text.index("\n## ", start + 1)]


def italics(text: str) -> set[str]:
    """Every *phrase* in italics (not **bold**), its line breaks as spaces."""
    return {words(found) for found in re.findall(r"(?<![*\w])\*(?!\*)([^*]+?)\*(?![*\w])", text)}


def code_block(text: str, language: str) -> str:
    [block] = re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)
    return "\n".join(line.strip() for line in block.strip().splitlines()) + "\n"


def commands(text: str) -> list[str]:
    """The `python manage.py …` commands: the shell block's lines, then those written inline."""
    block = [line for line in code_block(text, "sh").splitlines() if line]
    inline = [words(found) for found in re.findall(r"`(python manage\.py [^`]+)`", text)]
    return block + inline


def run(command: str) -> str:
    """A README command, as written, through Django's call_command."""
    python, manage, name, *args = shlex.split(command)
    assert (python, manage) == ("python", "manage.py")
    out = StringIO()
    call_command(name, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


class Reader:
    """Takes the README's italic phrases one by one, so that the test can say at the end
    that it has used every one."""

    def __init__(self, text: str) -> None:
        self.phrases = italics(text)
        self.used: set[str] = set()

    def __call__(self, phrase: str) -> str:
        assert phrase in self.phrases, f"README's section does not say *{phrase}*"
        self.used.add(phrase)
        return phrase

    def path(self, page: Page, phrase: str) -> Page:
        """Follow “A → B”: the link A, then on its page the link B."""
        for step in self(phrase).split(" → "):
            page = page.follow(step)
        return page


@pytest.mark.django_db(transaction=True)
def test_the_readme_section_leads_from_an_empty_database_to_a_launched_round(instruments):
    text = section()
    say = Reader(text)
    migrate, create, runserver = code_block(text, "sh").splitlines()
    client = Client()

    assert "create_organisation" in Page.open(client, "/").text  # before anything exists
    run(migrate)
    printed = run(create)
    assert runserver == SERVED_BY_THE_TEST_CLIENT

    dashboard = choose_the_password_and_sign_in(say, client, printed)
    renamed = rename_a_level(say, dashboard)
    imported = import_the_roster(say, renamed, code_block(text, "csv"))
    launched = create_and_launch_the_round(say, imported)
    add_a_staff_account(say, launched)

    assert say.used == say.phrases


def choose_the_password_and_sign_in(say: Reader, client: Client, printed: str) -> Page:
    """Steps 2 and 3: the link from the e-mail, then the home page's Sign in."""
    [message] = mail.outbox
    [link] = re.findall(r"http://\S+/accounts/reset/\S+/", message.body)
    assert link in printed
    chosen = (
        Page.open(client, urlsplit(link).path)
        .form(say("Save the new password"))
        .fill("New password", PASSWORD)
        .fill("New password confirmation", PASSWORD)
        .send()
    )
    assert "Your password is changed" in chosen.text
    login = Page.open(client, "/").follow(say("Sign in"))
    dashboard = (
        login.form(say("Sign in"))
        .fill(say("Username"), message.to[0])
        .fill("Password", PASSWORD)
        .send()
    )
    assert "Harbour & Vine" in dashboard.text
    return dashboard


def rename_a_level(say: Reader, dashboard: Page) -> Page:
    """Step 4: the levels, renamed on the organisation's page."""
    organisation = dashboard.follow(say("Organisation"))
    assert say("Levels") in organisation.text
    for level in (say("Executive"), say("Manager"), say("Front line")):
        assert level in organisation.text
    edit = organisation.follow(f"{say('Edit')} {say('Front line')}")
    renamed = edit.form(say("Save level")).fill("Name", "Floor staff").send()
    assert "Floor staff" in renamed.text
    return renamed


def import_the_roster(say: Reader, page: Page, csv: str) -> Page:
    """Step 5: the README's own CSV, with a level the organisation has not got."""
    upload = say.path(page, "Roster → Import a roster")
    roster = SimpleUploadedFile("staff.csv", csv.encode())
    check = upload.form(say("Check the file")).attach(say("Roster file"), roster).send()
    assert say("New levels") in check.text
    kind = say("Front line (“Bottoms”)")
    imported = check.form(say("Import")).choose(say("Crew"), kind).send()
    assert "Roster imported: 4 added" in imported.text
    assert "1 new levels" in imported.text
    for name in ("Ana Silva", "Ben Okafor", "Cleo Marsh", "Dev Patel"):
        assert name in imported.text
    return imported


def create_and_launch_the_round(say: Reader, page: Page) -> Page:
    """Steps 6 and 7: everyone on the roster is e-mailed their link."""
    created = (
        say.path(page, "Rounds → New round")
        .form(say("Save"))
        .fill(say("Name"), "Spring round")
        .fill(say("Purpose"), "Where does customer-centricity live at Harbour & Vine?")
        .tick(say("Customer-centricity checklist"))
        .fill(say("Opens"), "2026-01-01T09:00")
        .fill(say("Closes"), "2099-01-31T17:00")
        .send()
    )
    assert CREATED in created.text
    mail.outbox.clear()
    confirm = created.form(say("Launch and send invitations")).send()
    launched = confirm.form(say("Launch and e-mail 4 invitations")).send()
    assert LAUNCHED in launched.text
    assert sorted(message.to[0].split("<")[-1].rstrip(">") for message in mail.outbox) == [
        "ana.silva@harbour-vine.example",
        "ben.okafor@harbour-vine.example",
        "cleo.marsh@harbour-vine.example",
        "dev.patel@harbour-vine.example",
    ]
    return launched


def add_a_staff_account(say: Reader, page: Page) -> None:
    added = (
        say.path(page, "Organisation → Add an account")
        .form(say("Add and send the e-mail"))
        .fill("Name", "Fran Facilitator")
        .fill("Email", "fran@harbour-vine.example")
        .choose("Role", "Facilitator")
        .send()
    )
    assert "Fran Facilitator" in added.text
    assert mail.outbox[-1].to == ["fran@harbour-vine.example"]


@pytest.mark.django_db(transaction=True)
def test_the_readme_commands_for_an_expired_link_and_the_roster_on_the_command_line(
    instruments, tmp_path, monkeypatch
):
    text = section()
    migrate, create, _ = code_block(text, "sh").splitlines()
    changepassword, import_roster = commands(text)[3:]
    assert changepassword.startswith("python manage.py changepassword ")
    assert import_roster.startswith("python manage.py import_roster staff.csv ")
    run(migrate)
    run(create)

    # The password, set on the command line instead of by the link.
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)
    run(changepassword)
    email = shlex.split(changepassword)[-1]
    dashboard = (
        Page.open(Client(), "/accounts/login/")
        .form("Sign in")
        .fill("Username", email)
        .fill("Password", PASSWORD)
        .send()
    )
    assert "Harbour & Vine" in dashboard.text

    # The README's CSV saved as staff.csv, imported by the README's command.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "staff.csv").write_text(code_block(text, "csv"))
    out = run(import_roster)
    assert "Imported: 4 added" in out
    roster = dashboard.follow("Roster")
    for name in ("Ana Silva", "Ben Okafor", "Cleo Marsh", "Dev Patel"):
        assert name in roster.text
    assert len(commands(text)) == 5  # migrate, create, runserver, and these two
