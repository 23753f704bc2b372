"""The report's numbers shaped into rows, for the pages, the PDF and the spreadsheet alike.

Pure: a `ReportScope` in, plain rows out. Nothing here computes a number the snapshot
does not hold (no difference between groups, no "rest of the organisation"): a row is
either a group's own numbers or the marker, so no view can undo the anonymity gate.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from .assembly import EXECUTIVE, FRONT_LINE
from .naming import item_label, short_code
from .scope import ReportScope
from .stats import MULTI_CHOICE, OBSESSED_INSTRUMENT, OBSTACLES_INSTRUMENT, SCALE_KINDS, TEXT
from .views import GroupOrMarker, ItemView, QuestionView, Suppressed, WordView, levels_of, shown

# What a page, the PDF and the spreadsheet show in place of anything the anonymity gate
# suppressed: one marker everywhere, explained beside every table that can hold it.
SUPPRESSED_MARKER = "·"
SUPPRESSED_MEANING = "not shown: too few answers, or it would let a smaller group be worked out"
# What they show where a group is shown but nobody gave a scored answer.
NO_VALUE = "–"

# --- One item -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    value: str
    label: str
    count: int
    share: float | None
    score: int | None
    unfavourable: bool


@dataclass(frozen=True)
class ItemRow:
    """One question in one group."""

    code: str
    text: str
    instrument: str
    kind: str
    suppressed: bool
    n: int | None = None
    score: float | None = None
    mean: float | None = None
    unfavourable: float | None = None
    smoke: bool = False
    change: float | None = None
    # Whole percentages favourable, neutral, unfavourable (adding up to 100), or None.
    split: tuple[int, int, int] | None = None
    shares: tuple[Share, ...] = ()
    label: str = ""  # the group's name, where rows of several groups are listed together
    depth: int = 0
    url: str = ""

    @property
    def is_multi(self) -> bool:
        return self.kind == MULTI_CHOICE

    @property
    def is_scale(self) -> bool:
        return self.kind in SCALE_KINDS

    @property
    def short(self) -> str:
        return short_code(self.code)


def item_row(
    question: QuestionView,
    view: ItemView | Suppressed | None,
    *,
    text: str | None = None,
    label: str = "",
    depth: int = 0,
    url: str = "",
) -> ItemRow:
    """A question's numbers in one group; `view` is the snapshot's ITEM or the marker.
    `text` replaces the question's wording."""
    base = ItemRow(
        code=question["code"],
        text=question["text"] if text is None else text,
        instrument=question["instrument"],
        kind=question["kind"],
        suppressed=True,
        label=label,
        depth=depth,
        url=url,
    )
    item = shown(view)
    if item is None:
        return base
    return replace(
        base,
        suppressed=False,
        n=item["n"],
        score=item["score"],
        mean=item["mean"],
        unfavourable=item["unfavourable"],
        smoke=item["smoke"],
        change=item["change"],
        split=_split(item),
        shares=tuple(
            Share(
                value=str(choice["value"]),
                label=choice["label"],
                count=item["distribution"].get(str(choice["value"]), 0),
                share=item["shares"].get(str(choice["value"])),
                score=choice["score"],
                unfavourable=choice["unfavourable"],
            )
            for choice in question["choices"]
        ),
    )


def _split(item: ItemView) -> tuple[int, int, int] | None:
    split = item.get("split")
    if not split:
        return None
    return split["favourable"], split["neutral"], split["unfavourable"]


def item_rows(
    scope: ReportScope,
    view: GroupOrMarker | None,
    *,
    instrument: str | None = None,
    scored: bool | None = None,
) -> list[ItemRow]:
    """Every question of a group (but free-text ones), in the order asked; one
    instrument's only, or only the scored (or only the unscored) ones."""
    group = shown(view)
    if group is None:
        return []
    rows = []
    for question in scope.questions:
        if question["kind"] == TEXT:
            continue
        if instrument is not None and question["instrument"] != instrument:
            continue
        is_scored = any(c["score"] is not None for c in question["choices"])
        if scored is not None and is_scored != scored:
            continue
        rows.append(item_row(question, group["questions"].get(question["code"])))
    return rows


def instruments(scope: ReportScope) -> list[str]:
    """The instruments of the round, in the order asked."""
    return list(dict.fromkeys(q["instrument"] for q in scope.questions))


# --- Groups -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    """Participation of one group: the organisation, a department or a level of either."""

    label: str
    suppressed: bool
    invited: int | None = None
    responded: int | None = None
    rate: float | None = None
    depth: int = 0
    path: str | None = None
    url: str = ""
    levels: tuple["GroupRow", ...] = ()
    # The checklist score and its change since the previous round, where there is one.
    score: float | None = None
    change: float | None = None


def group_row(
    label: str,
    view: GroupOrMarker | None,
    *,
    depth: int = 0,
    path: str | None = None,
    url: str = "",
    levels: tuple[GroupRow, ...] = (),
) -> GroupRow:
    row = GroupRow(label=label, suppressed=True, depth=depth, path=path, url=url, levels=levels)
    group = shown(view)
    if group is None:
        return row
    checklist = group["checklist"] or {"score": None, "change": None}
    return replace(
        row,
        suppressed=False,
        invited=group["invited"],
        responded=group["responded"],
        rate=group["rate"],
        score=checklist["score"],
        change=checklist["change"],
    )


def level_names(scope: ReportScope) -> list[str]:
    return [level["name"] for level in scope.data["levels"]]


def level_rows(scope: ReportScope, view: GroupOrMarker | None) -> list[GroupRow]:
    """A group's participation at each level (all markers when the group is suppressed)."""
    levels = levels_of(view)
    return [group_row(name, levels.get(name)) for name in level_names(scope)]


def department_rows(scope: ReportScope, urls: Mapping[str, str] | None = None) -> list[GroupRow]:
    """Participation of every department in scope, parents first, with its levels."""
    top = 0 if scope.within is None else scope.within.count("/")
    return [
        group_row(
            path.rsplit("/", 1)[-1] if path.count("/") > top else path,
            view,
            depth=path.count("/") - top,
            path=path,
            url=(urls or {}).get(path, ""),
            levels=tuple(level_rows(scope, view)),
        )
        for path, view in scope.departments.items()
    ]


# --- Summaries of a group ---------------------------------------------------------------------


@dataclass(frozen=True)
class GapRow:
    code: str
    text: str
    executive: float
    front_line: float
    gap: float


def gap_levels(scope: ReportScope) -> tuple[str | None, str | None]:
    """The names of the two levels the gap compares, whatever the organisation calls them."""
    kinds: dict[str, str] = {}
    for level in scope.data["levels"]:
        kinds.setdefault(level["kind"], level["name"])
    return kinds.get(EXECUTIVE), kinds.get(FRONT_LINE)


def gap_rows(scope: ReportScope, view: GroupOrMarker | None) -> list[GapRow]:
    """Executives against the front line, largest gap first (the snapshot's order)."""
    group = shown(view)
    if group is None:
        return []
    return [
        GapRow(
            code=g["code"],
            text=item_label(scope.question_by_code[g["code"]]),
            executive=g["executive"],
            front_line=g["front_line"],
            gap=g["gap"],
        )
        for g in group.get("gap", [])
    ]


def smoke_rows(scope: ReportScope, view: GroupOrMarker | None) -> list[ItemRow]:
    """The items flagged as smoke: a score that looks fine over a sizeable unhappy minority."""
    group = shown(view)
    if group is None:
        return []
    return [
        item_row(
            scope.question_by_code[code],
            group["questions"][code],
            text=item_label(scope.question_by_code[code]),
        )
        for code in group["smoke"]
    ]


def obsessed_rows(scope: ReportScope, view: GroupOrMarker | None) -> list[ItemRow]:
    return item_rows(scope, view, instrument=OBSESSED_INSTRUMENT)


def obstacle_rows(scope: ReportScope, view: GroupOrMarker | None) -> list[ItemRow]:
    """The obstacles, ranked as the snapshot ranks them (holds us back most first), then
    those it could not rank (suppressed, or nobody answered)."""
    rows = item_rows(scope, view, instrument=OBSTACLES_INSTRUMENT)
    group = shown(view)
    if not rows or group is None:
        return rows
    ranked = [o["code"] for o in group["obstacles"]]
    order = {code: position for position, code in enumerate(ranked)}
    return sorted(rows, key=lambda row: order.get(row.code, len(order)))


# --- Comments and words -----------------------------------------------------------------------


@dataclass(frozen=True)
class CommentGroup:
    code: str
    text: str
    comments: tuple[str, ...]


def comment_groups(
    scope: ReportScope, comments: Mapping[str, list[str]] | None
) -> list[CommentGroup]:
    """Comments and stories by question, in the order asked; each list alphabetical, as
    the snapshot keeps it (an order that says nothing about who wrote what, or when)."""
    if not comments:
        return []
    return [
        CommentGroup(code=q["code"], text=q["text"], comments=tuple(comments[q["code"]]))
        for q in scope.questions
        if comments.get(q["code"])
    ]


@dataclass(frozen=True)
class WordsRow:
    label: str
    path: str | None
    depth: int
    words: tuple[WordView, ...] | None  # None: not shown
    url: str = ""


def words_rows(
    scope: ReportScope, limit: int | None = None, urls: Mapping[str, str] | None = None
) -> list[WordsRow]:
    """The language audit: the words the root group and each department in scope use for
    customers, most used first."""

    def words(path: str | None) -> tuple[WordView, ...] | None:
        found = scope.words(path)
        return None if found is None else tuple(found[:limit] if limit else found)

    top = 0 if scope.within is None else scope.within.count("/")
    rows = [WordsRow(label=scope.root_label, path=None, depth=0, words=words(None))]
    for path in scope.departments:
        if path == scope.within:
            continue
        rows.append(
            WordsRow(
                label=path.rsplit("/", 1)[-1] if path.count("/") > top else path,
                path=path,
                depth=path.count("/") - top + (1 if scope.is_whole else 0),
                words=words(path),
                url=(urls or {}).get(path, ""),
            )
        )
    return rows


# --- Formatting -------------------------------------------------------------------------------


def fmt_score(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:.1f}"


def fmt_mean(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:.2f}"


def fmt_percent(value: float | None) -> str:
    return NO_VALUE if value is None else f"{round(value * 100):d}%"


def fmt_change(value: float | None) -> str:
    """+4.2, −3.1 (a true minus sign), 0.0; the dash when there is nothing to compare."""
    if value is None:
        return NO_VALUE
    if value > 0:
        return f"+{value:.1f}"
    if value < 0:
        return f"−{-value:.1f}"
    return "0.0"
