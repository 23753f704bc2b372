"""The next version of a round's report, and publishing it.

A version moves on from the round's published one cell by cell
(assessment/anonymity/steps.py); `report_data` puts it together from a build's parts and
`report_version_publish` makes it the round's snapshot, keeping what it counted and hid
for the next version to move on from."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from assessment.anonymity.steps import held_back, next_version, same_version
from assessment.models import REPORT_SCHEMA, ReportBuild, ReportPart, ReportSnapshot
from assessment.reporting.assembly import ReportAssembly
from assessment.reporting.counts import Counts, DepartmentInfo, LevelInfo
from assessment.reporting.envelope import PreviousRound, RoundFacts, report_envelope
from assessment.reporting.history import Audience, EarlierReport, previous_of
from assessment.reporting.parts import report_split
from assessment.reporting.stats import QuestionInfo
from assessment.reporting.views import JSON
from assessment.reporting.wording import question_texts, wording_changes
from assessment.selectors.report_counts import LastVersion
from assessment.selectors.reports import report_history, report_questions, round_audience
from assessment.selectors.round_shape import round_departments, round_levels
from assessment.services.report_parts import report_parts_store

from .report_downloads import report_downloads_discard


@dataclass(frozen=True)
class BuiltReport:
    data: JSON
    # The responses the version counts (what the snapshot says).
    responses: int
    # What the version counts for each department, and the parts it came from.
    counted: dict[int, JSON]
    parts: list[ReportPart]
    # The responses the build saw, which its version may not all count.
    seen: int
    # Which groups the gate hid, for each kind of figure.
    decisions: dict[str, list[str]]


def _next_versions(
    build: ReportBuild, parts: list[ReportPart], questions: list[QuestionInfo], last: LastVersion
) -> dict[int, JSON]:
    """What this version counts per department: it moves on from the published version in
    steps (everything verified, for the round's first version)."""
    multi = {q.id for q in questions if q.is_multi}
    round_ = build.round
    return {
        p.department_id: next_version(
            p.counts,
            last.counted.get(p.department_id) if last.exists else None,
            threshold=round_.threshold,
            comment_threshold=round_.comment_threshold,
            multi=multi,
        )
        for p in parts
    }


def _previous_round(history: list[EarlierReport], audience: Audience) -> PreviousRound | None:
    """The earlier round the report's root is compared with."""
    earlier, _view = previous_of(history, audience, None)
    if earlier is None:
        return None
    return PreviousRound(
        id=earlier.id,
        name=earlier.name,
        provisional=earlier.provisional,
        built_at=datetime.datetime.fromisoformat(earlier.built_at),
    )


def _assembly(
    build: ReportBuild,
    questions: list[QuestionInfo],
    levels: list[LevelInfo],
    parts: Mapping[int, Counts],
    last: LastVersion,
    history: list[EarlierReport],
    audience: Audience,
) -> ReportAssembly:
    round_ = build.round
    departments = [
        DepartmentInfo(id=d.pk, parent_id=d.parent_id, path=d.path)
        for d in round_departments(round_)
    ]
    return ReportAssembly(
        departments=departments,
        levels=levels,
        questions=questions,
        parts=parts,
        threshold=round_.threshold,
        comment_threshold=round_.comment_threshold,
        history=history,
        audience=audience,
        round_name=round_.name,
        opens_on=timezone.localdate(round_.opens_at, round_.organisation.zone).isoformat(),
        last=(
            {d: Counts.from_part(part) for d, part in last.counted.items()} if last.exists else None
        ),
        last_decisions=last.decisions if last.exists else None,
    )


def report_data(
    build: ReportBuild, built_at: datetime.datetime, last: LastVersion | None = None
) -> BuiltReport:
    """The snapshot's JSON from a build's parts (docs/report-json.md), moving on from the
    round's `last` published version when there is one."""
    round_ = build.round
    last = last or LastVersion()
    # The build has a part for each of the round's departments (see report_build_start).
    parts = list(build.parts.all())
    levels = [LevelInfo(id=lv.pk, name=lv.name, kind=lv.kind) for lv in round_levels(round_)]
    questions = report_questions(round_)
    counted = _next_versions(build, parts, questions, last)
    counts = {department: Counts.from_part(part) for department, part in counted.items()}
    history = report_history(round_)
    audience = round_audience(round_)
    assembly = _assembly(build, questions, levels, counts, last, history, audience)
    responses = sum(c.responded.total() for c in counts.values())
    data = report_envelope(
        schema=REPORT_SCHEMA,
        round_=RoundFacts(
            id=round_.pk,
            name=round_.name,
            organisation=round_.organisation.slug,
            opens_at=round_.opens_at,
            closes_at=round_.closes_at,
            threshold=round_.threshold,
            comment_threshold=round_.comment_threshold,
        ),
        provisional=build.provisional,
        built_at=built_at,
        responses=responses,
        held_back=sum(held_back(p.counts, counted[p.department_id]) for p in parts),
        levels=levels,
        questions=questions,
        previous=_previous_round(history, audience),
        assembled=assembly.report(),
    )
    previous, _view = previous_of(history, audience, None)
    data["wording_changed"] = wording_changes(
        question_texts(previous.data.get("questions", [])) if previous else {},
        {q.code: q.text for q in questions},
    )
    seen = sum(n for p in parts for _level, n in p.counts.get("responded", []))
    return BuiltReport(
        data=data,
        responses=responses,
        counted=counted,
        parts=parts,
        seen=seen,
        decisions=assembly.decisions,
    )


def report_version_unchanged(build: ReportBuild, built: BuiltReport, last: LastVersion) -> bool:
    """Whether the build's version counts just what the published one counts and is as
    provisional: two copies of one version are not two versions, so it is not published.
    A final one that holds back a different number of late answers is published, so that
    the report says how many."""
    return (
        last.exists
        and last.provisional == build.provisional
        and (build.provisional or last.held_back == built.data["held_back"])
        and same_version(built.counted, last.counted)
    )


def report_version_publish(
    build: ReportBuild, built: BuiltReport, current: int | None, now: datetime.datetime
) -> None:
    """Make the build's report the round's snapshot, in place of the `current` build's,
    stored in parts (assessment/reporting/parts.py) under the build, and keep what its
    version counted and hid, for the next version to move on from. Runs in the merge's
    transaction: readers see the old version or the new one."""
    parts = report_split(built.data)
    fields = {
        "build": build,
        "schema": REPORT_SCHEMA,
        "provisional": build.provisional,
        "built_at": now,
        "response_count": built.responses,
        "organisation_part": parts.organisation,
        "decisions": built.decisions,
    }
    if current is None:
        ReportSnapshot.objects.create(round_id=build.round_id, **fields)
    else:
        ReportSnapshot.objects.filter(round_id=build.round_id).update(**fields)
        ReportPart.objects.filter(build_id=current).update(published={})
    report_parts_store(round_id=build.round_id, build_id=build.pk, parts=parts, replaced=current)
    for part in built.parts:
        part.published = built.counted[part.department_id]
    ReportPart.objects.bulk_update(built.parts, ["published"])
    # The replaced version's downloads go with it, in this same transaction.
    report_downloads_discard(round_id=build.round_id, keep_build_id=build.pk)
