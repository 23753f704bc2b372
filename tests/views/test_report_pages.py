"""The culture report's pages: what each reader sees, building and watching a build, the
commitments beside the report, time zones and query counts."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    Commitment,
    CommitmentStatus,
    ReportBuild,
    ReportBuildStatus,
    Role,
)
from assessment.services.reports import report_build_merge, report_part_compute
from assessment.views.staff.reports import BUILD_STARTED
from tests.support.report_data import make_round, two_departments_answering
from tests.support.report_pages import (
    build_report,
    every_output,
    executive,
    lead,
    page_text,
    reader,
)

pytestmark = pytest.mark.django_db


def test_the_overview_shows_the_whole_organisation_its_departments_the_heatmap_and_the_gap(
    tree, organisation
):
    round_, _ = tree
    build_report(round_)

    response = executive(organisation).get(reverse("reports:overview", kwargs={"pk": round_.pk}))
    text = page_text(response)

    assert response.status_code == 200
    assert "Final" in text
    assert "46 of 50 invited (92%)" in " ".join(text.split())
    for name in ("Operations", "Logistics", "Warehouse", "Treasury", "Compliance", "Heatmap"):
        assert name in text
    # 14 executives score 100, the front line (15 Yes of 32) 46.9: a gap of +53.1.
    assert "+53.1" in text
    # Compliance (3) is suppressed: its row holds the marker and the words for it.
    assert "not shown" in text
    assert 'role="img"' in response.content.decode()


def test_a_lead_is_sent_from_the_overview_to_their_own_department(tree, organisation):
    round_, departments = tree
    build_report(round_)

    response = lead(organisation, departments["operations"]).get(
        reverse("reports:overview", kwargs={"pk": round_.pk})
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reports:department",
        kwargs={"pk": round_.pk, "department": departments["operations"].pk},
    )


def test_a_lead_reads_their_department_and_those_below_it_in_every_page_and_download_only(
    tree, organisation
):
    round_, departments = tree
    build_report(round_)
    client = lead(organisation, departments["operations"])

    outputs = every_output(client, round_)

    assert {"overview", "department Operations", "pdf", "xlsx", "json"} <= set(outputs)
    assert "department Treasury" not in outputs
    assert "department Operations/Logistics" in outputs
    for name, text in outputs.items():
        for other in ("Treasury", "treasury says", "Compliance", "Whole organisation"):
            assert other not in text, (name, other)
    # Another department's page is a 404 for the lead, exactly like a missing one.
    for url in (
        reverse(
            "reports:department",
            kwargs={"pk": round_.pk, "department": departments["treasury"].pk},
        ),
        reverse("reports:comments", kwargs={"pk": round_.pk})
        + f"?department={departments['compliance'].pk}",
        reverse("reports:department", kwargs={"pk": round_.pk, "department": 999999}),
    ):
        assert client.get(url).status_code == 404


def test_a_round_without_a_report_says_who_builds_it(tree, organisation):
    round_, departments = tree
    url = reverse("reports:overview", kwargs={"pk": round_.pk})

    facilitator_page = page_text(reader(organisation, Role.FACILITATOR).get(url))
    lead_page = page_text(lead(organisation, departments["operations"]).get(url, follow=True))

    assert "This round has no report yet." in facilitator_page
    assert "Build the report" in facilitator_page
    assert "An executive or a facilitator builds it" in lead_page
    assert "Build the report" not in lead_page


def test_an_executive_starts_a_rebuild_and_the_page_shows_its_progress(tree, organisation):
    round_, _ = tree
    build_report(round_)

    response = executive(organisation).post(
        reverse("reports:build", kwargs={"pk": round_.pk}), follow=True
    )
    text = " ".join(page_text(response).split())

    build = ReportBuild.objects.filter(round=round_).first()
    assert build.status == ReportBuildStatus.QUEUED  # the workers take it after commit
    assert BUILD_STARTED in text
    assert "Building the report: 0 of 5 departments counted (0%)." in text
    # Meanwhile the last report is still there to read.
    assert "Heatmap" in text


def test_the_progress_bar_polls_while_the_build_runs_and_reloads_the_page_when_it_ends(
    tree, organisation
):
    round_, _ = tree
    client = executive(organisation)
    client.post(reverse("reports:build", kwargs={"pk": round_.pk}))
    build = ReportBuild.objects.get(round=round_)
    url = reverse("reports:progress", kwargs={"pk": round_.pk})

    parts = list(build.parts.all())
    report_part_compute(part_id=parts[0].pk)
    running = client.get(url, HTTP_HX_REQUEST="true")
    for part in parts[1:]:
        report_part_compute(part_id=part.pk)
    report_build_merge(build_id=build.pk)
    finished = client.get(url, HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 2s"' in running.content.decode()
    assert "1 of 5 departments counted (20%)" in running.content.decode()
    assert 'value="20"' in running.content.decode()
    assert "HX-Refresh" not in running
    assert finished["HX-Refresh"] == "true"
    assert "hx-trigger" not in finished.content.decode()


def test_a_failed_build_says_why_to_those_who_can_rebuild(tree, organisation):
    round_, departments = tree
    build_report(round_)
    ReportBuild.objects.create(
        round=round_, provisional=False, status=ReportBuildStatus.FAILED, error="Disk full."
    )
    url = reverse("reports:overview", kwargs={"pk": round_.pk})

    facilitator_page = page_text(reader(organisation, Role.FACILITATOR).get(url))
    lead_page = page_text(lead(organisation, departments["operations"]).get(url, follow=True))

    assert "The last build of the report failed: Disk full." in facilitator_page
    assert "The last build of the report failed; a facilitator can rebuild it." in lead_page
    assert "Disk full" not in lead_page


def commitment(organisation, what, made_on, status=CommitmentStatus.OPEN, department=None, due=7):
    return Commitment.objects.create(
        organisation=organisation,
        what=what,
        who="COO",
        made_on=made_on,
        due_on=made_on + datetime.timedelta(days=due),
        status=status,
        department=department,
    )


def test_the_commitments_made_while_this_round_and_the_previous_one_ran_are_counted(
    tree, organisation, instruments
):
    round_, departments = tree
    earlier = make_round(
        organisation,
        instruments,
        name="Autumn round",
        opens_at=round_.opens_at - datetime.timedelta(days=60),
    )
    build_report(earlier)
    build_report(round_)
    during = timezone.localdate(round_.opens_at, organisation.zone) + datetime.timedelta(days=1)
    before = timezone.localdate(earlier.opens_at, organisation.zone) + datetime.timedelta(days=1)
    commitment(
        organisation, "Kept in Operations", during, CommitmentStatus.KEPT, departments["operations"]
    )
    commitment(
        organisation, "Late in Logistics", during, department=departments["logistics"], due=2
    )
    commitment(
        organisation,
        "Dropped in Treasury",
        during,
        CommitmentStatus.DROPPED,
        departments["treasury"],
    )
    commitment(organisation, "For everyone", during, due=400)
    commitment(
        organisation, "From the autumn", before, CommitmentStatus.LATE, departments["operations"]
    )
    commitment(organisation, "Made long ago", before - datetime.timedelta(days=200))
    url = reverse("reports:overview", kwargs={"pk": round_.pk})

    whole = " ".join(page_text(executive(organisation).get(url)).split())
    part = " ".join(
        page_text(lead(organisation, departments["operations"]).get(url, follow=True)).split()
    )

    assert "4 made, 1 kept, 0 kept late, 1 dropped, 2 open, of which 1 overdue" in whole
    assert "Made while “Autumn round” ran" in whole
    assert "1 made, 0 kept, 1 kept late, 0 dropped, 0 still open" in whole
    assert "Made long ago" not in whole
    assert "2 made, 1 kept, 0 kept late, 0 dropped, 1 open, of which 1 overdue" in part
    assert "Dropped in Treasury" not in part
    assert "For everyone" not in part


def test_times_are_shown_in_the_organisations_time_zone(tree, organisation):
    organisation.time_zone = "Asia/Tokyo"
    organisation.save(update_fields=["time_zone"])
    round_, _ = tree
    snapshot = build_report(round_)

    text = page_text(
        executive(organisation).get(reverse("reports:overview", kwargs={"pk": round_.pk}))
    )

    built = timezone.localtime(snapshot.built_at, zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f"Built {built.day} {built:%B %Y, %H:%M}" in text


def test_unknown_questions_and_other_organisations_rounds_are_not_found(tree, organisation, staff):
    round_, _ = tree
    build_report(round_)

    assert (
        executive(organisation)
        .get(reverse("reports:question", kwargs={"pk": round_.pk, "code": "nope-01"}))
        .status_code
        == 404
    )
    assert (
        staff["other_admin"].get(reverse("reports:json", kwargs={"pk": round_.pk})).status_code
        == 404
    )


@pytest.mark.parametrize(
    "page,queries",
    [
        # session, user, membership, organisation, round, snapshot, latest build,
        # department parts, department ids, instrument names, commitments (summary and
        # list, and by item)
        ("overview", 13),
        # … and the department itself
        ("department", 14),
        # session, user, membership, organisation, round, snapshot, build, department
        # parts, department ids, instrument names, commitments by item
        ("question", 11),
        # session, user, membership, organisation, round, snapshot, build, whose comments
        # are shown (one key of each part), department ids, one page of comments
        ("comments", 10),
        # … and how many words, and one page of them, instead
        ("words", 11),
    ],
)
def test_each_report_page_takes_a_fixed_number_of_queries(
    tree, organisation, page, queries, django_assert_num_queries
):
    round_, departments = tree
    build_report(round_)
    client = executive(organisation)
    kwargs = {"pk": round_.pk}
    if page == "department":
        kwargs["department"] = departments["operations"].pk
    if page == "question":
        kwargs["code"] = "checklist-01"
    url = reverse(f"reports:{page}", kwargs=kwargs)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


def test_the_dashboard_and_the_round_page_lead_to_the_report(tree, organisation):
    round_, _ = tree
    report = reverse("reports:overview", kwargs={"pk": round_.pk})

    dashboard = executive(organisation).get(reverse("dashboard")).content.decode()
    round_page = (
        reader(organisation, Role.FACILITATOR)
        .get(reverse("rounds:detail", kwargs={"pk": round_.pk}))
        .content.decode()
    )

    assert f'href="{report}"' in dashboard
    assert f'href="{report}"' in round_page


def test_a_report_built_while_the_round_is_open_is_marked_provisional(organisation, instruments):
    round_ = make_round(organisation, instruments, closed=False)
    build_report(round_)

    text = page_text(
        executive(organisation).get(reverse("reports:overview", kwargs={"pk": round_.pk}))
    )

    assert "Provisional" in text
    assert (
        "built while the round was still open: the numbers may change, each group's only once "
        "at least 5 more of its people have answered."
    ) in text


def test_a_rebuild_that_leaves_an_open_rounds_report_as_it_was_says_why(organisation, instruments):
    round_, answer = two_departments_answering(organisation, instruments, ("Sa", "Su"))
    answer(6, 6)
    first = build_report(round_)
    overview = reverse("reports:overview", kwargs={"pk": round_.pk})
    reading = executive(organisation)
    assert "stays as it was" not in page_text(reading.get(overview))
    # Five more, three in one department and two in the other.
    answer(3, 2)

    assert build_report(round_).build_id == first.build_id
    text = page_text(reading.get(overview))

    assert "The report was built again from 17 responses on" in text
    assert (
        "but no group has had 5 new people answer since this version, so it stays as it was"
    ) in text
    assert "from 12 responses." in text
