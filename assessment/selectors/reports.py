"""Reads of the culture report: the build in progress, and the published snapshot shaped
for pages and exports. Everything here comes from the snapshot, which holds only what the
anonymity gate let through; nothing here reads an answer."""

import datetime
from dataclasses import dataclass
from typing import cast

from django.db.models import Prefetch
from django.utils import timezone

from assessment.models import (
    REPORT_SCHEMA,
    Choice,
    Department,
    Organisation,
    Question,
    ReportBuild,
    ReportSnapshot,
    Round,
    RoundDepartment,
    RoundStatus,
)
from assessment.models.reports import ACTIVE_BUILD_STATUSES
from assessment.reporting.history import Audience, EarlierReport
from assessment.reporting.scope import ReportScope
from assessment.reporting.stats import ChoiceInfo, QuestionInfo
from assessment.reporting.views import (
    JSON,
    GroupOrMarker,
    ItemView,
    SnapshotView,
    Suppressed,
    is_suppressed,
    levels_of,
    shown,
)
from assessment.selectors.commitments import CommitmentsSummary, commitments_summary
from assessment.selectors.report_parts import (
    report_document,
    report_numbers,
    report_numbers_of,
)
from assessment.selectors.round_shape import round_department_path, round_departments


def report_snapshot(round_: Round) -> ReportSnapshot | None:
    """The round's published report, or None before the first build finishes."""
    return ReportSnapshot.objects.filter(round=round_).select_related("build").first()


def report_is_published(round_: Round) -> bool:
    """Whether the round has a report anyone can read yet (provisional or final)."""
    return ReportSnapshot.objects.filter(round=round_).exists()


def report_build_latest(round_: Round) -> ReportBuild | None:
    """The newest build of the round: what a progress bar shows."""
    return ReportBuild.objects.filter(round=round_).first()


def round_audience(round_: Round) -> Audience:
    """Whom the round asked: its departments by their path in the round's tree (each with
    those below it), and its levels by name; None for everyone."""
    departments = None
    if not round_.audience_all:
        chosen = round_.audience_departments.values_list("pk", flat=True)
        departments = tuple(
            RoundDepartment.objects.filter(round=round_, department__in=chosen)
            .order_by("path")
            .values_list("path", flat=True)
        )
    # all(): a history's rounds come with their levels prefetched.
    levels = frozenset(level.name for level in round_.audience_levels.all()) or None
    return Audience(departments=departments, levels=levels)


def report_history(round_: Round) -> list[EarlierReport]:
    """The published reports of the organisation's earlier rounds, newest first, with
    whom each asked: what this round's changes and trends compare with."""
    snapshots = list(
        ReportSnapshot.objects.filter(
            round__organisation=round_.organisation_id,
            round__opens_at__lt=round_.opens_at,
            schema=REPORT_SCHEMA,
        )
        .exclude(round=round_)
        .select_related("round__organisation")
        .prefetch_related("round__audience_levels")
        .order_by("-round__opens_at")
    )
    # The changes compare numbers only: the earlier rounds' comments are not read.
    numbers = report_numbers_of(snapshots)
    return [
        EarlierReport(
            id=s.round_id,
            name=s.round.name,
            opens_on=timezone.localdate(s.round.opens_at, s.round.organisation.zone).isoformat(),
            provisional=s.provisional,
            built_at=s.built_at.isoformat(),
            audience=round_audience(s.round),
            data=cast(JSON, data),
        )
        for s, data in zip(snapshots, numbers, strict=True)
    ]


def report_questions(round_: Round) -> list[QuestionInfo]:
    """The round's questions in the order people saw them, with their choices."""
    questions = (
        Question.objects.filter(instrument__roundinstrument__round=round_)
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


def _snapshot(snapshot: ReportSnapshot) -> SnapshotView:
    return cast(SnapshotView, snapshot.data)


def report_json(snapshot: ReportSnapshot) -> JSON:
    """The whole report as docs/report-json.md describes it."""
    return snapshot.data


def report_organisation(snapshot: ReportSnapshot) -> GroupOrMarker:
    """The whole organisation: participation, every item, levels, gap, comments, words.
    `{"suppressed": true}` when even the organisation is below the threshold."""
    return _snapshot(snapshot)["organisation"]


def report_department(snapshot: ReportSnapshot, path: str) -> GroupOrMarker | None:
    """One department rolled up with those below it, or None for an unknown path."""
    return _snapshot(snapshot)["departments"].get(path)


def report_departments_within(snapshot: ReportSnapshot, path: str) -> dict[str, GroupOrMarker]:
    """A department and every department below it, by path: what its lead may read."""
    return {
        p: view
        for p, view in _snapshot(snapshot)["departments"].items()
        if p == path or p.startswith(f"{path}/")
    }


def report_question(snapshot: ReportSnapshot, code: str) -> JSON | None:
    """One question across the report: its wording and choices, and its numbers for the
    organisation, each level and each department (suppressed where the gate said so)."""
    data = _snapshot(snapshot)
    question = next((q for q in data["questions"] if q["code"] == code), None)
    if question is None:
        return None

    def item(view: GroupOrMarker) -> ItemView | Suppressed | None:
        if is_suppressed(view):
            return {"suppressed": True}
        return view["questions"].get(code)

    organisation = data["organisation"]
    levels = levels_of(organisation)
    return {
        "question": question,
        "organisation": item(organisation),
        "levels": {name: item(view) for name, view in levels.items()},
        "departments": {path: item(view) for path, view in sorted(data["departments"].items())},
    }


def report_comments(
    snapshot: ReportSnapshot, path: str | None = None
) -> dict[str, list[str]] | None:
    """Comments and stories by question code, for the organisation or one department;
    None where the group is below the comment threshold (or unknown)."""
    view = report_organisation(snapshot) if path is None else report_department(snapshot, path)
    group = shown(view)
    return None if group is None else shown(group.get("comments"))


# --- What the report's pages and downloads read ------------------------------------------------


def report_within(snapshot: ReportSnapshot, within: Department | None) -> str | None:
    """A lead's department's path in the round's tree (frozen at launch); None: the
    whole organisation."""
    if within is None:
        return None
    return round_department_path(snapshot.round, within.pk) or within.path


def report_scope(snapshot: ReportSnapshot, within: Department | None = None) -> ReportScope:
    """The whole report as one reader sees it, comments and words included: the whole
    organisation, or (for a department lead) their department and those below it, where
    the round's tree (frozen at launch) had them. What the downloads read; a page reads
    `report_page_scope`."""
    path = report_within(snapshot, within)
    return ReportScope(cast(SnapshotView, report_document(snapshot, path)), path)


def report_page_scope(
    snapshot: ReportSnapshot, within: Department | None = None, under: str | None = None
) -> ReportScope:
    """What a page reads of the report: the organisation part and the department parts
    in the reader's scope (only those within `under`, for a page about one department),
    without the comments' and words' texts (a part keeps their counts and first words)."""
    path = report_within(snapshot, within)
    return ReportScope(report_numbers(snapshot, under or path), path)


@dataclass(frozen=True)
class ReportRound:
    """A round in the list of reports: its published report (if any) and a build under way."""

    round: Round
    snapshot: ReportSnapshot | None
    building: ReportBuild | None


def report_rounds(organisation: Organisation) -> list[ReportRound]:
    """The organisation's launched rounds, newest first, with their report's state. The
    snapshots' data (the whole report) is not loaded: the list shows when it was built."""
    rounds = list(
        Round.objects.filter(organisation=organisation)
        .exclude(status=RoundStatus.DRAFT)
        .order_by("-opens_at", "-pk")
    )
    snapshots = {
        s.round_id: s
        for s in ReportSnapshot.objects.filter(round__in=rounds).defer("organisation_part")
    }
    building = {
        b.round_id: b
        for b in ReportBuild.objects.filter(round__in=rounds, status__in=ACTIVE_BUILD_STATUSES)
    }
    return [ReportRound(r, snapshots.get(r.pk), building.get(r.pk)) for r in rounds]


def report_department_ids(round_: Round) -> dict[str, int]:
    """Department ids by path in the round's tree: the report names departments by path,
    pages link by id."""
    return {d.path: d.pk for d in round_departments(round_)}


def report_instrument_names(round_: Round) -> dict[str, str]:
    """The names of the round's instruments by key, as people saw them."""
    return dict(round_.instruments.values_list("key", "name"))


def _period(round_: Round) -> tuple[datetime.date, datetime.date]:
    zone = round_.organisation.zone
    return timezone.localdate(round_.opens_at, zone), timezone.localdate(round_.closes_at, zone)


@dataclass(frozen=True)
class ReportCommitments:
    """Commitments made while the round ran, and those made while the previous round ran
    (the comparison): how many were made, kept, dropped, and are overdue today."""

    made_from: datetime.date
    made_until: datetime.date
    this_round: CommitmentsSummary
    previous_round: Round | None = None
    previous_from: datetime.date | None = None
    previous_until: datetime.date | None = None
    previous: CommitmentsSummary | None = None

    @property
    def open(self) -> int:
        """Open today, of those made while this round or the previous one ran."""
        return self.this_round.open + (self.previous.open if self.previous else 0)

    @property
    def overdue(self) -> int:
        return self.this_round.overdue + (self.previous.overdue if self.previous else 0)


def report_commitments(
    round_: Round, snapshot: ReportSnapshot, within: Department | None = None
) -> ReportCommitments:
    """Read live, not from the snapshot: a commitment kept after the report was built
    counts as kept. A lead sees those of their department and the ones below it only."""
    organisation = round_.organisation
    made_from, made_until = _period(round_)
    this_round = commitments_summary(
        organisation, made_from=made_from, made_until=made_until, department=within
    )
    previous_id = (snapshot.organisation_part.get("previous_round") or {}).get("id")
    previous_round = (
        Round.objects.filter(pk=previous_id, organisation=organisation).first()
        if previous_id
        else None
    )
    if previous_round is None:
        return ReportCommitments(made_from=made_from, made_until=made_until, this_round=this_round)
    previous_round.organisation = organisation
    previous_from, previous_until = _period(previous_round)
    return ReportCommitments(
        made_from=made_from,
        made_until=made_until,
        this_round=this_round,
        previous_round=previous_round,
        previous_from=previous_from,
        previous_until=previous_until,
        previous=commitments_summary(
            organisation, made_from=previous_from, made_until=previous_until, department=within
        ),
    )
