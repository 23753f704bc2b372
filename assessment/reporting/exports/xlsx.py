"""The spreadsheet download: one sheet per view of the report, each a function."""

from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO

from ..tables import (
    SUPPRESSED_MARKER,
    SUPPRESSED_MEANING,
    comment_groups,
    gap_levels,
    item_rows,
    level_names,
    words_rows,
)
from ..views import GroupOrMarker, levels_of, shown
from .base import ReportExport
from .cells import (
    CHANGE,
    INT,
    ITEM_COLUMNS,
    SCORE,
    SHARE,
    SUPPRESSED,
    TEXT,
    Sheet,
    item_values,
    text_columns,
)

if TYPE_CHECKING:
    from openpyxl import Workbook

# Told the percent written after each sheet (a download's progress bar).
Progress = Callable[[int], None]
# A group's view as the scope hands it over: JSON read from the snapshot.
View = GroupOrMarker | None
Group = tuple[str, View]  # (label, view)


class XlsxExporter:
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    texts = True

    def write(
        self, export: ReportExport, stream: BinaryIO, progress: Progress | None = None
    ) -> None:
        """Write the workbook sheet by sheet (openpyxl's write-only mode: rows go to disk
        as they are added), telling `progress` the percent written after each sheet."""
        # Imported here: only the spreadsheet needs openpyxl.
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        scope = export.scope
        groups: list[Group] = [(scope.root_label, scope.root)] + [
            (path, view) for path, view in scope.departments.items() if path != scope.within
        ]
        for done, build in enumerate(SHEETS, start=1):
            build(book, export, groups)
            if progress is not None:
                progress(5 + 85 * done // len(SHEETS))
        book.save(stream)


def _overview(book: "Workbook", export: ReportExport, groups: list[Group]) -> None:
    scope = export.scope
    root = scope.root
    sheet = Sheet(book, "Overview", ITEM_COLUMNS, wide=[1, 8], heading=False)
    for label, value in _facts(export):
        sheet.add([label, value])
    sheet.add(["Marker", f"{SUPPRESSED_MARKER} {SUPPRESSED_MEANING}"])
    sheet.sheet.append([])
    sheet.heading([heading for heading, _ in ITEM_COLUMNS])
    for row in item_rows(scope, root):
        sheet.add(item_values(row))
    if shown(root) is None:
        sheet.add([scope.root_label, SUPPRESSED])


def _facts(export: ReportExport) -> list[tuple[str, object]]:
    """What the overview says of the report before its questions."""
    scope = export.scope
    root = scope.root
    facts: list[tuple[str, object]] = [
        ("Organisation", export.round.organisation.name),
        ("Round", export.round.name),
        (
            "Report",
            "provisional: the round was still open" if export.snapshot.provisional else "final",
        ),
        ("Built at", export.built_at.strftime("%d %b %Y %H:%M %Z")),
        ("Covers", scope.root_label),
        ("Anonymity threshold", scope.data["threshold"]),
        ("Comment threshold", scope.data["comment_threshold"]),
        ("Compared with", (scope.data["previous_round"] or {}).get("name", "no earlier round")),
    ]
    if scope.is_whole:
        facts.insert(4, ("Responses", scope.data["responses"]))
    group = shown(root)
    checklist = None if group is None else group["checklist"]
    if checklist:
        facts += [
            ("Checklist score", checklist["score"]),
            ("Checklist change", checklist["change"]),
        ]
    return facts


def _participation_values(view: View) -> list[object]:
    group = shown(view)
    if group is None:
        return [SUPPRESSED] * 3
    return [group["invited"], group["responded"], group["rate"]]


def _levels(view: View) -> dict[str, View]:
    """A group's views by level; none where the group itself is suppressed."""
    return dict(levels_of(view))


def _participation(book: "Workbook", export: ReportExport, groups: list[Group]) -> None:
    columns = [*text_columns("Group", "Level"), ("Invited", INT), ("Responded", INT)]
    sheet = Sheet(book, "Participation", [*columns, ("Rate", SHARE)], wide=[0])
    for label, view in groups:
        sheet.add([label, "All levels", *_participation_values(view)])
        levels = _levels(view)
        for name in level_names(export.scope):
            sheet.add([label, name, *_participation_values(levels.get(name))])
    sheet.note(f"{SUPPRESSED_MARKER} {SUPPRESSED_MEANING}.")


def _gap(book: "Workbook", export: ReportExport, groups: list[Group]) -> None:
    scope = export.scope
    executive, front_line = gap_levels(scope)
    scores = [(executive or "Executive", SCORE), (front_line or "Front line", SCORE)]
    columns = [*text_columns("Group", "Code", "Question"), *scores, ("Gap", CHANGE)]
    sheet = Sheet(book, "Gap", columns, wide=[0, 2])
    for label, view in groups:
        group = shown(view)
        if group is None:
            continue
        for gap in group["gap"]:
            text = scope.question_by_code[gap["code"]]["text"]
            sheet.add([label, gap["code"], text, gap["executive"], gap["front_line"], gap["gap"]])
    sheet.note(
        "The gap is the executives' score less the front line's, largest first; a group "
        "appears only where both levels are shown."
    )


def _heatmap(book: "Workbook", export: ReportExport, groups: list[Group]) -> None:
    scope = export.scope
    items = scope.heatmap_items
    sheet = Sheet(book, "Heatmap", [("Department", TEXT)] + [(c, SCORE) for c in items], wide=[0])
    for path, row in scope.heatmap.items():
        sheet.add([path, *[row.get(code) for code in items]])
    sheet.note(f"Scores 0–100. {SUPPRESSED_MARKER} {SUPPRESSED_MEANING}; empty: nobody scored it.")


def _by_department(book: "Workbook", export: ReportExport, groups: list[Group]) -> None:
    sheet = Sheet(book, "Questions by department", [("Group", TEXT), *ITEM_COLUMNS], wide=[0, 2, 9])
    for label, view in groups:
        rows = item_rows(export.scope, view)
        if not rows:
            sheet.add([label, SUPPRESSED])
        for row in rows:
            sheet.add([label, *item_values(row)])


def _by_level(book: "Workbook", export: ReportExport, groups: list[Group]) -> None:
    scope = export.scope
    columns = [*text_columns("Group", "Level"), *ITEM_COLUMNS]
    sheet = Sheet(book, "Questions by level", columns, wide=[0, 3, 10])
    for label, view in groups:
        levels = _levels(view)
        for name in level_names(scope):
            rows = item_rows(scope, levels.get(name))
            if not rows:
                sheet.add([label, name, SUPPRESSED])
            for row in rows:
                sheet.add([label, name, *item_values(row)])


def _comments(book: "Workbook", export: ReportExport, groups: list[Group]) -> None:
    scope = export.scope
    columns = text_columns("Group", "Code", "Question", "Comment")
    sheet = Sheet(book, "Comments", columns, wide=[0, 2, 3])
    for label, view in groups:
        path = None if view is scope.root else label
        for group in comment_groups(scope, scope.comments(path)):
            for comment in group.comments:
                sheet.add([label, group.code, group.text, comment])
    sheet.note(
        f"Comments are listed alphabetically, only for groups of at least "
        f"{scope.data['comment_threshold']} responses."
    )


def _words(book: "Workbook", export: ReportExport, groups: list[Group]) -> None:
    columns = [*text_columns("Group", "Word"), ("Answers using it", INT)]
    sheet = Sheet(book, "Words", columns, wide=[0])
    for row in words_rows(export.scope):
        if row.words is None:
            sheet.add([row.label, SUPPRESSED])
            continue
        for word in row.words:
            sheet.add([row.label, word["word"], word["count"]])


def _commitments(book: "Workbook", export: ReportExport, groups: list[Group]) -> None:
    commitments = export.commitments
    columns = text_columns("What", "Who", "Due", "Status", "Made on", "Department", "Workshop")
    sheet = Sheet(book, "Commitments", columns, wide=[0])
    periods = [
        ("This round", commitments.made_from, commitments.made_until, commitments.this_round)
    ]
    if (
        commitments.previous is not None
        and commitments.previous_round is not None
        and commitments.previous_from is not None
        and commitments.previous_until is not None
    ):
        periods.append(
            (
                f"Previous round: {commitments.previous_round.name}",
                commitments.previous_from,
                commitments.previous_until,
                commitments.previous,
            )
        )
    for label, start, end, summary in periods:
        sheet.add(
            [
                f"{label}, made {start:%d %b %Y} – {end:%d %b %Y}",
                f"made {summary.made}, kept {summary.kept}, kept late {summary.late}, "
                f"dropped {summary.dropped}, open {summary.open}, overdue {summary.overdue}",
            ]
        )
    for commitment in commitments.this_round.commitments:
        sheet.add(
            [
                commitment.what,
                commitment.who,
                commitment.due_on,
                commitment.get_status_display(),
                commitment.made_on,
                commitment.department.path if commitment.department else "",
                commitment.workshop.name if commitment.workshop else "",
            ]
        )


SHEETS: tuple[Callable[["Workbook", ReportExport, list[Group]], None], ...] = (
    _overview,
    _participation,
    _gap,
    _heatmap,
    _by_department,
    _by_level,
    _comments,
    _words,
    _commitments,
)
