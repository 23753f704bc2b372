"""A published report stored in parts, so that a page reads only what it shows.

The gate decides on the whole report (assessment/reporting/assembly.py); `report_split`
then cuts the gated document into:

- the **organisation part**: everything that is not one department's, with the
  organisation's comments and words taken out;
- one **department part** per department: its WHOLE (docs/report-json.md) with its
  comments and words taken out;
- the **comments**: one row per listed comment or story, stored once, under the deepest
  group that lists it, with its place in the version's alphabetical order;
- the **words**: each shown group's language audit, one row per word.

Where a WHOLE listed comments, its part keeps how many per question (`{code: n}`); where
it listed words, how many and the first `FIRST_WORDS` (`{"listed": n, "first": [...]}`);
a suppressed list stays the marker. Every
other key is kept as it is, whatever it is, so a key added to the report is stored
without changing this module.

A group's comments are the rows stored under it or under a department below it: a row
sits under the deepest group whose list holds it, so the rows of a group's subtree are
exactly its list, and a row's place says nothing the published lists do not (what is in a
group's list and in none of the lists of the shown groups below it). `report_join` puts
the document back together, key for key as it was published.

Pure, like the rest of assessment/reporting: JSON in, JSON out.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .stats import comment_order
from .views import JSON, is_suppressed

# The organisation's own path in the rows below: every department's path starts below it.
ORGANISATION_PATH = ""
DEPARTMENTS = "departments"
ORGANISATION = "organisation"
COMMENTS = "comments"
WORDS = "words"
LISTED = "listed"
FIRST = "first"
# The words a part keeps inline: what a group's page shows without reading the word rows.
FIRST_WORDS = 20


@dataclass(frozen=True)
class CommentRow:
    path: str  # the deepest group listing it; ORGANISATION_PATH: the organisation
    question: str
    position: int  # its place in the version's alphabetical order of every comment
    text: str


@dataclass(frozen=True)
class WordRow:
    path: str
    position: int  # most used first, as the group's list has it
    word: str
    count: int


@dataclass(frozen=True)
class ReportParts:
    organisation: JSON
    departments: dict[str, JSON]
    comments: list[CommentRow] = field(default_factory=list)
    words: list[WordRow] = field(default_factory=list)


def is_below(path: str, group: str) -> bool:
    """Whether `path` is `group` or a department below it (every path is below the
    organisation's)."""
    return group == ORGANISATION_PATH or path == group or path.startswith(f"{group}/")


def _text_marker(whole: Mapping[str, Any], key: str) -> Any:
    value = whole[key]
    if is_suppressed(value):
        return value
    if key == COMMENTS:
        return {code: len(texts) for code, texts in value.items()}
    return {LISTED: len(value), FIRST: value[:FIRST_WORDS]}


def _numbers(whole: Any) -> Any:
    """A WHOLE without its texts (a suppressed one is the marker, kept as it is)."""
    if not isinstance(whole, dict) or is_suppressed(whole):
        return whole
    return {
        key: _text_marker(whole, key) if key in (COMMENTS, WORDS) else value
        for key, value in whole.items()
    }


def _lists(whole: Any, key: str) -> Any:
    """A WHOLE's shown list of comments or words, or None."""
    if not isinstance(whole, dict) or is_suppressed(whole):
        return None
    value = whole.get(key)
    return None if value is None or is_suppressed(value) else value


def _comment_rows(wholes: Mapping[str, Any]) -> list[CommentRow]:
    """Each shown group's comments less those of the shown groups below it, deepest
    first, so each comment is stored once; then numbered in alphabetical order."""
    shown = {path: lists for path, whole in wholes.items() if (lists := _lists(whole, COMMENTS))}
    rows: list[tuple[str, str, str]] = []
    taken: dict[str, Counter[tuple[str, str]]] = {}
    for path in sorted(shown, key=lambda p: (-(p.count("/") + 1 if p else 0), p)):
        listed: Counter[tuple[str, str]] = Counter(
            (code, text) for code, texts in shown[path].items() for text in texts
        )
        below = _topmost_below(path, shown)
        for other in below:
            listed -= taken[other]
        rows.extend((path, code, text) for (code, text), n in listed.items() for _ in range(n))
        taken[path] = Counter((code, text) for code, texts in shown[path].items() for text in texts)
    rows.sort(key=lambda row: (comment_order(row[2]), row[1], row[0]))
    return [CommentRow(path, code, i, text) for i, (path, code, text) in enumerate(rows)]


def _topmost_below(group: str, shown: Iterable[str]) -> list[str]:
    """The shown groups strictly below `group` with no shown group between."""
    below = [p for p in shown if p != group and is_below(p, group)]
    return [p for p in below if not any(q != p and is_below(p, q) for q in below)]


def report_split(data: JSON) -> ReportParts:
    """The gated document (docs/report-json.md) in parts."""
    departments = data.get(DEPARTMENTS) or {}
    wholes = {ORGANISATION_PATH: data.get(ORGANISATION), **departments}
    organisation = {
        key: _numbers(value) if key == ORGANISATION else value
        for key, value in data.items()
        if key != DEPARTMENTS
    }
    words = [
        WordRow(path, i, word["word"], word["count"])
        for path, whole in wholes.items()
        for i, word in enumerate(_lists(whole, WORDS) or [])
    ]
    return ReportParts(
        organisation=organisation,
        departments={path: _numbers(whole) for path, whole in departments.items()},
        comments=_comment_rows(wholes),
        words=words,
    )


def _whole(part: Any, comments: Mapping[str, list[str]], words: list[JSON]) -> Any:
    if not isinstance(part, dict) or is_suppressed(part):
        return part
    whole = dict(part)
    if COMMENTS in part and not is_suppressed(part[COMMENTS]):
        whole[COMMENTS] = {code: list(comments.get(code, [])) for code in part[COMMENTS]}
    if WORDS in part and not is_suppressed(part[WORDS]):
        whole[WORDS] = words
    return whole


def ancestors(path: str) -> list[str]:
    """The group itself, the departments above it and the organisation."""
    if path == ORGANISATION_PATH:
        return [ORGANISATION_PATH]
    steps = path.split("/")
    return ["/".join(steps[:i]) for i in range(len(steps), 0, -1)] + [ORGANISATION_PATH]


def group_comments(
    rows: Iterable[CommentRow], groups: Iterable[str]
) -> dict[str, dict[str, list[str]]]:
    """Each of `groups`' comments by question, in the rows' (the version's) order: a
    group lists the rows stored under it and under every department below it."""
    lists: dict[str, dict[str, list[str]]] = {group: {} for group in groups}
    for row in rows:
        for group in ancestors(row.path):
            if group in lists:
                lists[group].setdefault(row.question, []).append(row.text)
    return lists


def report_join(parts: ReportParts) -> JSON:
    """The document as published, from its parts (the departments given: a lead's
    download joins only theirs)."""
    rows = sorted(parts.comments, key=lambda row: row.position)
    words: dict[str, list[JSON]] = {}
    for word in sorted(parts.words, key=lambda w: (w.path, w.position)):
        words.setdefault(word.path, []).append({"word": word.word, "count": word.count})

    wholes = {ORGANISATION_PATH: parts.organisation.get(ORGANISATION), **parts.departments}
    listed = group_comments(rows, [path for path, part in wholes.items() if _has_comments(part)])

    def whole(path: str, part: Any) -> Any:
        return _whole(part, listed.get(path, {}), words.get(path, []))

    data = dict(parts.organisation)
    data[ORGANISATION] = whole(ORGANISATION_PATH, data.get(ORGANISATION))
    data[DEPARTMENTS] = {path: whole(path, part) for path, part in parts.departments.items()}
    return data


def _has_comments(part: Any) -> bool:
    return (
        isinstance(part, dict)
        and not is_suppressed(part)
        and COMMENTS in part
        and not is_suppressed(part[COMMENTS])
    )


def comment_counts(whole: Any) -> dict[str, int] | None:
    """How many comments a WHOLE lists per question, from a part or a whole document;
    None where they are not shown."""
    if not isinstance(whole, dict) or is_suppressed(whole):
        return None
    value = whole.get(COMMENTS)
    if value is None or is_suppressed(value):
        return None
    return {code: n if isinstance(n, int) else len(n) for code, n in value.items()}


def first_words(whole: Any) -> list[JSON] | None:
    """The words a WHOLE lists (from a part: the first `FIRST_WORDS`); None where they
    are not shown."""
    value = _lists(whole, WORDS)
    if value is None:
        return None
    first: list[JSON] = value[FIRST] if isinstance(value, dict) else value
    return first
