"""Questions a round asked in other words than the round it is compared with.

Rounds compare by question code: an organisation's own version of an instrument keeps the
built-in codes, and each edit after a launch makes a new version with the same codes. When
the wording behind a code changed, the change since the previous round compares answers to
different words, and the report says so beside it. Pure: texts in, codes out."""

from collections.abc import Iterable, Mapping


def question_texts(questions: Iterable[Mapping[str, object]]) -> dict[str, str]:
    """Code → wording, from a snapshot's `questions`."""
    return {str(q["code"]): str(q["text"]) for q in questions}


def wording_changes(previous: Mapping[str, str], current: Mapping[str, str]) -> dict[str, str]:
    """Code → the previous round's wording, for each code both rounds asked in different
    words. A code only one round asked has no change to flag: it has no comparison."""
    return {
        code: previous[code]
        for code, text in current.items()
        if code in previous and " ".join(previous[code].split()) != " ".join(text.split())
    }
