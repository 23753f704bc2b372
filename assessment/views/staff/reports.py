"""The culture report: the rounds and their reports, the overview, a department, a question
and the comments; starting a rebuild and watching it. The downloads are in
report_downloads.py.

Every page and download reads a `ReportScope` (assessment/reporting/scope.py): a department
lead only ever gets their own department and those below it, and another department's
address is a 404 for them, as another organisation's is for everyone."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from assessment.access import BUILDS_REPORTS, READS_REPORTS, MemberRequest, reads_within, staff_view
from assessment.models import Department, Round, RoundStatus
from assessment.reporting import charts
from assessment.reporting.comparisons import question_rows
from assessment.reporting.first_page import SummaryLine, commitments_line, summary_lines
from assessment.reporting.heatmap import HEAT_LEGEND
from assessment.reporting.presentation import group_report
from assessment.reporting.scope import ReportScope, is_within
from assessment.selectors.commitments import commitments_by_item
from assessment.selectors.reports import (
    ReportCommitments,
    report_build_latest,
    report_commitments,
    report_department_ids,
    report_instrument_names,
    report_is_published,
    report_page_scope,
    report_rounds,
    report_snapshot,
)
from assessment.selectors.round_shape import (
    FrozenDepartment,
    round_department,
    round_department_path,
)
from assessment.services.reports import report_build_start

BUILD_STARTED = (
    "The report is being rebuilt. Until the new one is ready you are reading the last one."
)
FIRST_BUILD_STARTED = (
    "The report is being built. It appears here as soon as every department is counted."
)
NOT_IN_REPORT = "This department is not in the report: it was added after the report was built."


def _round(request: MemberRequest, pk: int) -> Round:
    round_ = get_object_or_404(
        Round.objects.exclude(status=RoundStatus.DRAFT), pk=pk, organisation=request.organisation
    )
    round_.organisation = request.organisation
    return round_


def _department(
    request: MemberRequest, round_: Round, pk: int
) -> tuple[FrozenDepartment, Department]:
    """A department of the round's tree the reader may read, as it stood at launch and as
    it stands now: for a lead, their own or one below it. Any other is a 404, exactly like
    one that does not exist."""
    kept = round_department(round_, pk)
    if kept is None:
        raise Http404
    department = FrozenDepartment(pk=kept.department_id, parent_id=kept.parent_id, path=kept.path)
    within = reads_within(request.membership)
    if within is not None:
        lead_path = round_department_path(round_, within.pk) or within.path
        if not is_within(department.path, lead_path):
            raise Http404
    return department, kept.department


def _page(request: MemberRequest, round_: Round, under: str | None = None) -> dict[str, Any]:
    """What every report page shows around the report: the round, its published snapshot
    as this reader may see it (the parts a page reads: within `under` for a page about
    one department), and the newest build (a progress bar while it runs)."""
    snapshot = report_snapshot(round_)
    within = reads_within(request.membership)
    return {
        "round": round_,
        "snapshot": snapshot,
        "build": report_build_latest(round_),
        "can_build": request.membership.role in BUILDS_REPORTS,
        "within": within,
        "scope": report_page_scope(snapshot, within, under) if snapshot else None,
        "today": round_.organisation.today(),
    }


def _department_urls(round_: Round) -> dict[str, str]:
    return {
        path: reverse("reports:department", kwargs={"pk": round_.pk, "department": pk})
        for path, pk in report_department_ids(round_).items()
    }


def _crumbs(
    round_: Round, scope: ReportScope | None, path: str | None, urls: dict[str, str]
) -> list[tuple[str, str | None]]:
    """Reports › the round › the departments above this one (within the scope) › it."""
    crumbs: list[tuple[str, str | None]] = [("Reports", reverse("reports:list"))]
    crumbs.append((round_.name, reverse("reports:overview", kwargs={"pk": round_.pk})))
    if path and scope is not None:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            above = "/".join(parts[:depth])
            if scope.within is None or is_within(above, scope.within):
                crumbs.append((parts[depth - 1], urls.get(above)))
    return crumbs


def _heat_level(request: MemberRequest, scope: ReportScope) -> dict[str, Any]:
    """The heatmap's level filter (?level=Front line): a level the report does not know
    is said so, and every level is shown."""
    names = [level["name"] for level in scope.data["levels"]]
    asked = request.GET.get("level", "")
    return {
        "heat_levels": names,
        "heat_level": asked if asked in names else None,
        "heat_level_unknown": asked if asked and asked not in names else None,
        "heat_legend": HEAT_LEGEND,
    }


def _first_page(
    round_: Round,
    scope: ReportScope,
    path: str | None,
    urls: dict[str, str],
    commitments: ReportCommitments,
) -> list[SummaryLine]:
    """The summary's sentences, with the commitments open and overdue of the reader's scope
    (made while this round or the previous one ran, as the commitments section counts)."""
    line = commitments_line(
        commitments.open, commitments.overdue, f"#commitments-{slugify(str(path))}"
    )
    return summary_lines(
        scope,
        path,
        question_url=lambda code: reverse(
            "reports:question", kwargs={"pk": round_.pk, "code": code}
        ),
        urls=urls,
        commitments=line,
    )


@staff_view(*READS_REPORTS)
def report_list(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "assessment/reports/list.html",
        {
            "reports": report_rounds(request.organisation),
            "within": reads_within(request.membership),
            "can_build": request.membership.role in BUILDS_REPORTS,
        },
    )


@staff_view(*READS_REPORTS)
def report_overview(request: MemberRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    within = reads_within(request.membership)
    if within is not None:
        # A lead's report is their department's.
        return redirect("reports:department", pk=round_.pk, department=within.pk)
    context = _page(request, round_)
    scope = context["scope"]
    if scope is not None:
        urls = _department_urls(round_)
        context.update(_heat_level(request, scope))
        context["report"] = group_report(
            scope, urls=urls, names=report_instrument_names(round_), level=context["heat_level"]
        )
        context["commitments"] = report_commitments(round_, context["snapshot"])
        # Beside each item: what was committed about it.
        context["followups"] = commitments_by_item(round_)
        context["summary"] = _first_page(round_, scope, None, urls, context["commitments"])
    context["crumbs"] = [("Reports", reverse("reports:list")), (round_.name, None)]
    return render(request, "assessment/reports/overview.html", context)


@staff_view(*READS_REPORTS)
def report_department(request: MemberRequest, pk: int, department: int) -> HttpResponse:
    round_ = _round(request, pk)
    department_, live = _department(request, round_, department)
    context = _page(request, round_, department_.path)
    scope = context["scope"]
    urls = _department_urls(round_)
    context["department"] = department_
    if scope is not None:
        if scope.department(department_.path) is None:
            raise Http404(NOT_IN_REPORT)
        context.update(_heat_level(request, scope))
        context["report"] = group_report(
            scope,
            department_.path,
            urls=urls,
            names=report_instrument_names(round_),
            level=context["heat_level"],
        )
        # Commitments are read live, for the department as it stands now.
        context["commitments"] = report_commitments(round_, context["snapshot"], live)
        context["followups"] = commitments_by_item(round_, live)
        context["summary"] = _first_page(
            round_, scope, department_.path, urls, context["commitments"]
        )
    context["crumbs"] = [
        *_crumbs(round_, scope, department_.path, urls),
        (department_.name, None),
    ]
    return render(request, "assessment/reports/department.html", context)


@staff_view(*READS_REPORTS)
def report_question(request: MemberRequest, pk: int, code: str) -> HttpResponse:
    round_ = _round(request, pk)
    context = _page(request, round_)
    scope = context["scope"]
    if scope is None or code not in scope.question_by_code:
        raise Http404
    urls = _department_urls(round_)
    question = scope.question_by_code[code]
    codes = [q["code"] for q in scope.questions]
    position = codes.index(code)
    by_level, by_department = question_rows(scope, code, urls)
    context.update(
        question=question,
        followups=commitments_by_item(round_, reads_within(request.membership)),
        instrument=report_instrument_names(round_).get(question["instrument"]),
        previous=codes[position - 1] if position else None,
        next=codes[position + 1] if position + 1 < len(codes) else None,
        legend=charts.legend(question),
        by_level=by_level,
        by_department=by_department,
        crumbs=[*_crumbs(round_, None, None, urls), (code, None)],
    )
    if question["kind"] == "multi_choice":
        context["level_chart"] = charts.option_bars(
            by_level[0], f"{question['text']}: {scope.root_label}"
        )
    elif question["kind"] != "text":
        context["level_chart"] = charts.distribution_bars(
            by_level, f"Answers by level: {question['text']}"
        )
        context["department_chart"] = charts.distribution_bars(
            by_department, f"Answers by department: {question['text']}"
        )
    return render(request, "assessment/reports/question.html", context)


@require_POST
@staff_view(*BUILDS_REPORTS)
def report_build(request: MemberRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    had_one = report_is_published(round_)
    try:
        report_build_start(round_=round_)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, BUILD_STARTED if had_one else FIRST_BUILD_STARTED)
    return redirect("reports:overview", pk=round_.pk)


@staff_view(*READS_REPORTS)
def report_progress(request: MemberRequest, pk: int) -> HttpResponse:
    """The progress bar alone, fetched again every few seconds while a build runs. Once
    it has ended, htmx is told to reload the page: the new report, or why it failed."""
    round_ = _round(request, pk)
    build = report_build_latest(round_)
    response = render(
        request,
        "assessment/reports/progress.html",
        {
            "round": round_,
            "build": build,
            "can_build": request.membership.role in BUILDS_REPORTS,
            "within": reads_within(request.membership),
        },
    )
    if request.headers.get("HX-Request") and (build is None or not build.is_active):
        response["HX-Refresh"] = "true"
    return response
