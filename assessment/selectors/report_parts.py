"""Reading a published report by its parts (assessment/reporting/parts.py).

Every read starts from the round's ReportSnapshot: its build names the version, and the
parts are read by that build, so one page reads one version. A page reads the
organisation part (on the snapshot) and the department parts it shows; comments and
words are read a page at a time, by SQL, never all at once. `report_document` joins the
whole document (or a lead's share of it) for the downloads and the command."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from assessment.models import PublishedComment, PublishedDepartment, PublishedWord, ReportSnapshot
from assessment.reporting.parts import (
    LISTED,
    ORGANISATION_PATH,
    CommentRow,
    ReportParts,
    WordRow,
    comment_counts,
    is_below,
    report_join,
)
from assessment.reporting.views import JSON, SnapshotView, is_suppressed

COMMENTS_PER_PAGE = 50
WORDS_PER_PAGE = 50


def _departments(snapshot: ReportSnapshot) -> QuerySet[PublishedDepartment]:
    return PublishedDepartment.objects.filter(build_id=snapshot.build_id)


def _under(paths: Iterable[str], group: str | None) -> list[str]:
    return [p for p in paths if group is None or is_below(p, group)]


def report_department_paths(snapshot: ReportSnapshot, under: str | None = None) -> list[str]:
    """The paths of the version's departments (those within `under`), in path order."""
    paths = _departments(snapshot).order_by("path").values_list("path", flat=True)
    return _under(paths, under)


def report_department_parts(snapshot: ReportSnapshot, under: str | None = None) -> dict[str, JSON]:
    """The department parts of the version: all of them, or those of `under` and the
    departments below it, in path order."""
    parts = _departments(snapshot).order_by("path")
    if under is not None:
        parts = parts.filter(Q(path=under) | Q(path__startswith=f"{under}/"))
    return {part.path: part.data for part in parts}


def report_numbers(snapshot: ReportSnapshot, under: str | None = None) -> SnapshotView:
    """The document with every department part (or those within `under`) and without
    the comments' and words' texts: what the pages, and the next round's changes, read."""
    data = dict(snapshot.organisation_part)
    data["departments"] = report_department_parts(snapshot, under)
    return cast(SnapshotView, data)


def report_numbers_of(snapshots: list[ReportSnapshot]) -> list[SnapshotView]:
    """`report_numbers` of several versions, their departments read in one query."""
    departments: dict[int, dict[str, JSON]] = {s.build_id: {} for s in snapshots}
    rows = PublishedDepartment.objects.filter(build_id__in=departments).order_by("path")
    for build_id, path, data in rows.values_list("build_id", "path", "data"):
        departments[build_id][path] = data
    return [
        cast(SnapshotView, {**s.organisation_part, "departments": departments[s.build_id]})
        for s in snapshots
    ]


def report_document(snapshot: ReportSnapshot, under: str | None = None) -> JSON:
    """The whole document as published (docs/report-json.md), joined from its parts; with
    `under` (a lead's department), only that department and those below it, with their
    comments and words (the organisation's are left as counts: a lead never reads them)."""
    build = snapshot.build_id
    comments = PublishedComment.objects.filter(build_id=build).order_by("position")
    words = PublishedWord.objects.filter(build_id=build)
    if under is not None:
        subtree = Q(path=under) | Q(path__startswith=f"{under}/")
        comments, words = comments.filter(subtree), words.filter(subtree)
    parts = ReportParts(
        organisation=snapshot.organisation_part,
        departments=report_department_parts(snapshot, under),
        comments=[
            CommentRow(*row)
            for row in comments.values_list("path", "question", "position", "text").iterator(
                chunk_size=5000
            )
        ],
        words=[WordRow(*row) for row in words.values_list("path", "position", "word", "count")],
    )
    document = report_join(parts)
    if under is not None:
        document["organisation"] = snapshot.organisation_part.get("organisation")
    return document


def report_comments_first(
    snapshot: ReportSnapshot, group: str, counts: Mapping[str, int], limit: int
) -> dict[str, list[str]]:
    """The first `limit` comments of each question a shown group lists (`group`: a
    department's path, or ORGANISATION_PATH; `counts`: how many it lists per question, from
    its part), in the version's order: one query per question, never every comment."""
    rows = PublishedComment.objects.filter(build_id=snapshot.build_id)
    if group != ORGANISATION_PATH:
        rows = rows.filter(Q(path=group) | Q(path__startswith=f"{group}/"))
    return {
        code: list(
            rows.filter(question=code).order_by("position").values_list("text", flat=True)[:limit]
        )
        for code, n in counts.items()
        if n
    }


# --- Comments and words, a page at a time -----------------------------------------------------


class _Counted(Paginator):  # type: ignore[type-arg]  # not subscriptable at run time
    """A paginator told its count where the part already says it (no COUNT(*) over the
    version's comments)."""

    def __init__(
        self, object_list: QuerySet[Any, tuple[str, str]], per_page: int, count: int | None
    ) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count


@dataclass(frozen=True)
class CommentQuery:
    """Which of a version's comments to list: those of one shown group (`group`: a
    department's path, or ORGANISATION_PATH) and the departments below it (`subtree`:
    their paths), of one question or all, containing some words or not."""

    group: str
    subtree: tuple[str, ...]
    question: str | None = None
    words: str = ""


def _comments(snapshot: ReportSnapshot, query: CommentQuery) -> QuerySet[PublishedComment]:
    rows = PublishedComment.objects.filter(build_id=snapshot.build_id)
    if query.group != ORGANISATION_PATH:
        rows = rows.filter(path__in=query.subtree)
    if query.words:
        rows = rows.filter(text__icontains=query.words)
    return rows


def report_comment_counts(
    snapshot: ReportSnapshot, query: CommentQuery, listed: dict[str, int]
) -> dict[str, int]:
    """How many comments match per question: the group's part says so unless words
    narrow them (`listed`: the part's counts)."""
    if not query.words:
        return dict(listed)
    counted = _comments(snapshot, query).values("question").annotate(n=Count("id"))
    return {row["question"]: row["n"] for row in counted.order_by()}


def report_comment_page(
    snapshot: ReportSnapshot, query: CommentQuery, counts: dict[str, int], number: str | None
) -> Page[tuple[str, str]]:
    """One page of the matching comments, in the version's alphabetical order: each item
    is (question code, text). `counts`: per question, from report_comment_counts."""
    rows = _comments(snapshot, query)
    if query.question is not None:
        rows = rows.filter(question=query.question)
        total = counts.get(query.question, 0)
    else:
        total = sum(counts.values())
    listing = rows.order_by("position").values_list("question", "text")
    return _Counted(listing, COMMENTS_PER_PAGE, total).get_page(number)


def report_word_page(
    snapshot: ReportSnapshot, group: str, words: str, number: str | None
) -> Page[tuple[str, int]]:
    """One page of a shown group's language audit, most used first: each item is
    (word, count)."""
    rows = PublishedWord.objects.filter(build_id=snapshot.build_id, path=group)
    if words:
        rows = rows.filter(word__icontains=words)
    listing = rows.order_by("position").values_list("word", "count")
    return Paginator(listing, WORDS_PER_PAGE).get_page(number)


def report_department_markers(
    snapshot: ReportSnapshot, key: str, under: str | None = None
) -> dict[str, object]:
    """One key of each department part (within `under`), by path, read by SQL rather
    than loading the parts: e.g. whether each department's comments are shown."""
    parts = _departments(snapshot).order_by("path")
    if under is not None:
        parts = parts.filter(Q(path=under) | Q(path__startswith=f"{under}/"))
    return dict(parts.values_list("path", f"data__{key}"))


def _listed(marker: object) -> dict[str, int] | None:
    if not isinstance(marker, dict) or is_suppressed(marker):
        return None
    return {code: n for code, n in marker.items() if isinstance(n, int)}


def report_comment_lists(
    snapshot: ReportSnapshot, within: str | None
) -> dict[str, dict[str, int] | None]:
    """The groups a reader may list comments of, with how many each lists per question
    (None: not shown): the organisation (ORGANISATION_PATH; not for a lead) and every
    department in the reader's scope (`within`: a lead's department), parents first. Read
    from one key of each part, not from the parts."""
    groups: dict[str, dict[str, int] | None] = {}
    if within is None:
        organisation = snapshot.organisation_part.get("organisation")
        groups[ORGANISATION_PATH] = comment_counts(organisation)
    for path, marker in report_department_markers(snapshot, "comments", within).items():
        groups[path] = _listed(marker)
    return groups


def report_word_lists(snapshot: ReportSnapshot, within: str | None) -> dict[str, int | None]:
    """The groups a reader may read the words of, with how many words each lists (None:
    not shown), as `report_comment_lists`."""
    groups: dict[str, int | None] = {}

    def listed(marker: object) -> int | None:
        if not isinstance(marker, dict) or is_suppressed(marker):
            return None
        return int(marker.get(LISTED, 0))

    if within is None:
        organisation = snapshot.organisation_part.get("organisation")
        groups[ORGANISATION_PATH] = listed(
            organisation.get("words") if isinstance(organisation, dict) else None
        )
    for path, marker in report_department_markers(snapshot, "words", within).items():
        groups[path] = listed(marker)
    return groups
