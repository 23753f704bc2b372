"""The first thing an executive reads: the group's SUMMARY (stored in the snapshot, so it
went through the gate) turned into sentences, each with its number and a link to the
detail, and the commitments open and overdue (counted live, for the reader's scope).

Pure: a `ReportScope` in, sentences out."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .naming import item_label
from .scope import ReportScope
from .tables import fmt_percent, fmt_score, gap_levels
from .views import JSONView, shown

# How many findings of each kind the first page names (the snapshot keeps a few more).
SHOWN = {"gaps": 2, "smoke": 2, "item_changes": 2, "department_changes": 1}


@dataclass(frozen=True)
class SummaryLine:
    """One sentence: `lead` says what kind of finding it is; the `link` text leads to
    the detail at `url`."""

    kind: str
    lead: str
    before: str
    link: str
    after: str
    url: str


def arrow(change: float) -> str:
    """A change in words as well as by its arrow: never by colour alone."""
    direction = "↑ up" if change > 0 else "↓ down"
    return f"{direction} {fmt_score(abs(change))} point{'' if abs(change) == 1 else 's'}"


# A question named in a sentence: its first sentence, cut at a word to about this many
# characters (the link leads to the whole of it).
LABEL_CHARS = 70


def first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[?.!])\s", text, maxsplit=1)[0]
    if len(sentence) <= LABEL_CHARS:
        return sentence
    return sentence[:LABEL_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@dataclass(frozen=True)
class _Context:
    scope: ReportScope
    question_url: Callable[[str], str]
    urls: Mapping[str, str]
    previous: str | None

    def label(self, code: str) -> str:
        return f"“{first_sentence(item_label(self.scope.question_by_code[code]))}”"


def _gaps(c: _Context, summary: JSONView) -> list[SummaryLine]:
    executive, front_line = gap_levels(c.scope)
    return [
        SummaryLine(
            "gap",
            "Stands and arena",
            "",
            c.label(g["code"]),
            f": {executive} {fmt_score(g['executive'])}, {front_line} "
            f"{fmt_score(g['front_line'])}, a gap of {fmt_score(abs(g['gap']))} points.",
            c.question_url(g["code"]),
        )
        for g in summary.get("gaps", [])[: SHOWN["gaps"]]
    ]


def _smoke(c: _Context, summary: JSONView) -> list[SummaryLine]:
    return [
        SummaryLine(
            "smoke",
            "Smoke",
            "",
            c.label(s["code"]),
            f" looks fine at {fmt_score(s['score'])} of 100, yet "
            f"{fmt_percent(s['unfavourable'])} of the answers are unfavourable.",
            c.question_url(s["code"]),
        )
        for s in summary.get("smoke", [])[: SHOWN["smoke"]]
    ]


def _changes(c: _Context, summary: JSONView) -> list[SummaryLine]:
    lines = [
        SummaryLine(
            "change",
            "Change",
            "",
            c.label(s["code"]),
            f" {arrow(s['change'])}, to {fmt_score(s['score'])}.",
            c.question_url(s["code"]),
        )
        for s in summary.get("item_changes", [])[: SHOWN["item_changes"]]
    ]
    lines += [
        SummaryLine(
            "change",
            "Change",
            "",
            d["path"],
            f" {arrow(d['change'])} on the checklist.",
            c.urls.get(d["path"], ""),
        )
        for d in summary.get("department_changes", [])[: SHOWN["department_changes"]]
    ]
    return lines


def _ends(c: _Context, summary: JSONView) -> list[SummaryLine]:
    lines = []
    for key, lead in (("strongest_items", "Strongest"), ("weakest_items", "Weakest")):
        lines += [
            SummaryLine(
                "item",
                f"{lead} item",
                "",
                c.label(s["code"]),
                f" scores {fmt_score(s['score'])} of 100.",
                c.question_url(s["code"]),
            )
            for s in summary.get(key, [])[:1]
        ]
    for key, lead in (("strongest_departments", "Strongest"), ("weakest_departments", "Weakest")):
        lines += [
            SummaryLine(
                "department",
                f"{lead} department",
                "",
                d["path"],
                f" scores {fmt_score(d['score'])} of 100.",
                c.urls.get(d["path"], ""),
            )
            for d in summary.get(key, [])[:1]
        ]
    return lines


def commitments_line(open_: int, overdue: int, url: str) -> SummaryLine:
    return SummaryLine(
        "commitments",
        "Commitments",
        f"{open_} ",
        f"commitment{'' if open_ == 1 else 's'} open",
        f", {overdue} of them overdue." if open_ else ": none is waiting to be kept.",
        url,
    )


def summary_lines(
    scope: ReportScope,
    path: str | None = None,
    *,
    question_url: Callable[[str], str],
    urls: Mapping[str, str] | None = None,
    commitments: SummaryLine | None = None,
) -> list[SummaryLine]:
    """The findings of the scope's root (path None) or of one department in it, most
    telling first, with the commitments after the changes; none where the group is
    suppressed or its report has no summary (built before there was one)."""
    group = shown(scope.root if path is None else scope.department(path))
    summary = None if group is None else group.get("summary")
    if group is None or summary is None:
        return []
    previous = (group.get("compared_with") or {}).get("name")
    context = _Context(scope, question_url, urls or {}, previous)
    return [
        *_gaps(context, summary),
        *_smoke(context, summary),
        *_changes(context, summary),
        *([commitments] if commitments else []),
        *_ends(context, summary),
    ]
