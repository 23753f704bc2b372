"""The report's comments and stories, and its words for customers: a page at a time,
filtered by question, group (within what the reader may see) and words. The filters are
GET parameters (assessment/forms/report_filters.py): a filtered page is a link, and a
department outside a lead's subtree, or a question the report has no comments for, is a
tampered link (404)."""

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from assessment.access import READS_REPORTS, MemberRequest, reads_within, staff_view
from assessment.forms.report_filters import CommentsFilterForm, WordsFilterForm
from assessment.models import ReportSnapshot, Round
from assessment.reporting.parts import ORGANISATION_PATH, is_below
from assessment.reporting.scope import WHOLE_ORGANISATION, ReportScope
from assessment.reporting.views import SnapshotView
from assessment.selectors.report_parts import (
    CommentQuery,
    report_comment_counts,
    report_comment_lists,
    report_comment_page,
    report_word_lists,
    report_word_page,
)
from assessment.selectors.reports import (
    report_build_latest,
    report_department_ids,
    report_snapshot,
    report_within,
)

from .reports import _round

TOO_MANY_WORDS = "Search for at most 100 characters: the list is shown unfiltered."


def _context(
    request: MemberRequest, round_: Round
) -> tuple[ReportSnapshot, str | None, dict[str, Any]]:
    snapshot = report_snapshot(round_)
    if snapshot is None:
        raise Http404
    within = reads_within(request.membership)
    lead = report_within(snapshot, within)
    # The page's scope holds no department: it reads the rows of one group.
    head = cast(SnapshotView, {**snapshot.organisation_part, "departments": {}})
    return (
        snapshot,
        lead,
        {
            "round": round_,
            "snapshot": snapshot,
            "build": report_build_latest(round_),
            "within": within,
            "scope": ReportScope(head, lead),
        },
    )


def _group(
    form: WordsFilterForm, groups: dict[str, Any], lead: str | None, ids: dict[str, int]
) -> str:
    """The group the reader chose (their root when none): a path in `groups`."""
    chosen = form.value("department")
    if chosen is None:
        return ORGANISATION_PATH if lead is None else lead
    return next(path for path, pk in ids.items() if pk == chosen)


def _form[Form: WordsFilterForm](request: MemberRequest, form: Form) -> Form:
    if form.is_tampered():
        raise Http404
    if form.is_bound and not form.is_valid():
        messages.error(request, TOO_MANY_WORDS)
    return form


def _filters(request: MemberRequest, lead: str | None, ids: dict[str, int]) -> Any:
    """The GET filters, where a link naming a lead's own department (as the department
    pages' links do) means their whole list, the form's first choice."""
    data = request.GET.copy()
    if lead is not None and data.get("department") == str(ids.get(lead)):
        del data["department"]
    return data or None


def _departments(
    groups: dict[str, Any], lead: str | None, ids: dict[str, int]
) -> list[tuple[int, str]]:
    return [(ids[p], p) for p in groups if p and p != lead and p in ids]


def _label(group: str) -> str:
    return WHOLE_ORGANISATION if group == ORGANISATION_PATH else group


@staff_view(*READS_REPORTS)
def report_comments(request: MemberRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    snapshot, lead, context = _context(request, round_)
    groups = report_comment_lists(snapshot, lead)
    ids = report_department_ids(round_)
    # The questions anyone in the reader's scope commented on, in the order asked.
    commented = {code for counts in groups.values() if counts for code in counts}
    questions = [
        (q["code"], q["text"])
        for q in snapshot.organisation_part["questions"]
        if q["code"] in commented
    ]
    form = _form(
        request,
        CommentsFilterForm(
            _filters(request, lead, ids),
            root=_label(lead or ORGANISATION_PATH),
            departments=_departments(groups, lead, ids),
            questions=questions,
        ),
    )
    group = _group(form, groups, lead, ids)
    listed = groups.get(group)
    query = CommentQuery(
        group=group,
        subtree=tuple(p for p in groups if p and is_below(p, group)),
        question=form.value("question") or None,
        words=(form.value("words") or "").strip(),
    )
    counts: dict[str, int] = {}
    page = None
    if listed is not None:
        counts = report_comment_counts(snapshot, query, listed)
        page = report_comment_page(snapshot, query, counts, request.GET.get("page"))
    texts = dict(questions)
    context.update(
        form=form,
        query=query,
        label=_label(group),
        shown=listed is not None,
        filtered=bool(query.question or query.words or group != (lead or ORGANISATION_PATH)),
        per_question=[(code, text, counts.get(code, 0)) for code, text in questions],
        page=page,
        comments=[(code, texts.get(code, code), text) for code, text in page or ()],
        crumbs=[
            ("Reports", reverse("reports:list")),
            (round_.name, reverse("reports:overview", kwargs={"pk": round_.pk})),
            ("Comments and stories", None),
        ],
    )
    return render(request, "assessment/reports/comments.html", context)


@staff_view(*READS_REPORTS)
def report_words(request: MemberRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    snapshot, lead, context = _context(request, round_)
    groups = report_word_lists(snapshot, lead)
    ids = report_department_ids(round_)
    form = _form(
        request,
        WordsFilterForm(
            _filters(request, lead, ids),
            root=_label(lead or ORGANISATION_PATH),
            departments=_departments(groups, lead, ids),
        ),
    )
    group = _group(form, groups, lead, ids)
    words = (form.value("words") or "").strip()
    shown = groups.get(group) is not None
    context.update(
        form=form,
        label=_label(group),
        shown=shown,
        words=words,
        filtered=bool(words or group != (lead or ORGANISATION_PATH)),
        page=report_word_page(snapshot, group, words, request.GET.get("page")) if shown else None,
        crumbs=[
            ("Reports", reverse("reports:list")),
            (round_.name, reverse("reports:overview", kwargs={"pk": round_.pk})),
            ("Words for customers", None),
        ],
    )
    return render(request, "assessment/reports/words.html", context)
