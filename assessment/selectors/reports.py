"""Reads of the culture report: the build in progress, and the published snapshot shaped
for pages and exports. Everything here comes from the snapshot, which holds only what the
anonymity gate let through; nothing here reads an answer."""

from typing import Any

from django.db.models import Prefetch

from assessment.models import (
    REPORT_SCHEMA,
    Choice,
    Question,
    ReportBuild,
    ReportSnapshot,
    Round,
)
from assessment.reporting.assembly import is_suppressed
from assessment.reporting.stats import ChoiceInfo, QuestionInfo


def report_snapshot(round: Round) -> ReportSnapshot | None:
    """The round's published report, or None before the first build finishes."""
    return ReportSnapshot.objects.filter(round=round).select_related("build").first()


def report_build_latest(round: Round) -> ReportBuild | None:
    """The newest build of the round: what a progress bar shows."""
    return ReportBuild.objects.filter(round=round).first()


def report_previous_snapshot(round: Round) -> ReportSnapshot | None:
    """The published report of the organisation's latest earlier round that has one."""
    return (
        ReportSnapshot.objects.filter(
            round__organisation=round.organisation_id,
            round__opens_at__lt=round.opens_at,
            schema=REPORT_SCHEMA,
        )
        .exclude(round=round)
        .select_related("round")
        .order_by("-round__opens_at")
        .first()
    )


def report_questions(round: Round) -> list[QuestionInfo]:
    """The round's questions in the order people saw them, with their choices."""
    questions = (
        Question.objects.filter(instrument__roundinstrument__round=round)
        .select_related("instrument")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position")))
        .order_by("instrument__roundinstrument__position", "section__position", "position")
    )
    return [
        QuestionInfo(
            id=q.pk,
            code=q.code,
            kind=q.kind,
            instrument=q.instrument.key,
            text=q.text,
            reverse_scored=q.reverse_scored,
            choices=tuple(
                ChoiceInfo(value=c.value, label=c.label, score=c.score, unfavourable=c.unfavourable)
                for c in q.choices.all()
            ),
        )
        for q in questions
    ]


def report_json(snapshot: ReportSnapshot) -> dict[str, Any]:
    """The whole report as docs/report-json.md describes it."""
    return snapshot.data


def report_organisation(snapshot: ReportSnapshot) -> dict[str, Any]:
    """The whole organisation: participation, every item, levels, gap, comments, words.
    `{"suppressed": true}` when even the organisation is below the threshold."""
    return snapshot.data["organisation"]


def report_department(snapshot: ReportSnapshot, path: str) -> dict[str, Any] | None:
    """One department rolled up with those below it, or None for an unknown path."""
    return snapshot.data["departments"].get(path)


def report_departments_within(snapshot: ReportSnapshot, path: str) -> dict[str, dict[str, Any]]:
    """A department and every department below it, by path: what its lead may read."""
    return {
        p: view
        for p, view in snapshot.data["departments"].items()
        if p == path or p.startswith(f"{path}/")
    }


def report_question(snapshot: ReportSnapshot, code: str) -> dict[str, Any] | None:
    """One question across the report: its wording and choices, and its numbers for the
    organisation, each level and each department (suppressed where the gate said so)."""
    question = next((q for q in snapshot.data["questions"] if q["code"] == code), None)
    if question is None:
        return None

    def item(view: Any) -> Any:
        if is_suppressed(view) or code not in view.get("questions", {}):
            return {"suppressed": True} if is_suppressed(view) else None
        return view["questions"][code]

    organisation = report_organisation(snapshot)
    levels = {} if is_suppressed(organisation) else organisation["levels"]
    return {
        "question": question,
        "organisation": item(organisation),
        "levels": {name: item(view) for name, view in levels.items()},
        "departments": {
            path: item(view) for path, view in sorted(snapshot.data["departments"].items())
        },
    }


def report_comments(
    snapshot: ReportSnapshot, path: str | None = None
) -> dict[str, list[str]] | None:
    """Comments and stories by question code, for the organisation or one department;
    None where the group is below the comment threshold (or unknown)."""
    view = report_organisation(snapshot) if path is None else report_department(snapshot, path)
    if view is None or is_suppressed(view) or is_suppressed(view["comments"]):
        return None
    return view["comments"]
