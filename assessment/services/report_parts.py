"""Storing a published version in its parts (assessment/reporting/parts.py).

Called by `report_version_publish` inside the transaction that swaps the round's
ReportSnapshot to the new build: the parts are keyed by build, and readers find them
through the snapshot's build, so a reader sees the old version's parts or the new one's,
never a mixture. The replaced version's parts are kept until the next version is
published, so that a reader who took the old snapshot an instant before still finds every
part of it; older ones go."""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model

from assessment.models import PublishedComment, PublishedDepartment, PublishedWord
from assessment.reporting.parts import CommentRow, ReportParts, WordRow

BATCH = 5000


def _copy(model: type[Model], columns: Sequence[str], rows: Iterable[tuple[object, ...]]) -> None:
    """COPY on PostgreSQL: a 100,000-person report lists ~180,000 comments, which
    bulk_create writes several times slower."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _comments(build_id: int, rows: list[CommentRow]) -> None:
    if connection.vendor == "postgresql":
        _copy(
            PublishedComment,
            ["build_id", "path", "question", "position", "text"],
            ((build_id, r.path, r.question, r.position, r.text) for r in rows),
        )
        return
    PublishedComment.objects.bulk_create(
        (
            PublishedComment(
                build_id=build_id,
                path=r.path,
                question=r.question,
                position=r.position,
                text=r.text,
            )
            for r in rows
        ),
        batch_size=BATCH,
    )


def _words(build_id: int, rows: list[WordRow]) -> None:
    PublishedWord.objects.bulk_create(
        (
            PublishedWord(
                build_id=build_id, path=r.path, position=r.position, word=r.word, count=r.count
            )
            for r in rows
        ),
        batch_size=BATCH,
    )


def report_parts_store(
    *, round_id: int, build_id: int, parts: ReportParts, replaced: int | None
) -> None:
    """Store a version's department parts, comments and words under its build, and drop
    those of every version of the round but it and the one it `replaced`. Must run in the
    transaction that points the round's snapshot at `build_id`."""
    for model in (PublishedDepartment, PublishedComment, PublishedWord):
        model.objects.filter(build__round_id=round_id).exclude(
            build_id__in=[build_id, replaced or build_id]
        ).delete()
    PublishedDepartment.objects.bulk_create(
        PublishedDepartment(build_id=build_id, path=path, data=data)
        for path, data in parts.departments.items()
    )
    _comments(build_id, parts.comments)
    _words(build_id, parts.words)
