"""What an organisation calls its customers (patients, members, residents), put into a
copied instrument's wording in one step, with a preview of every change first.

“customer” and “customers” become the organisation's words, with their capitals, and
“a customer” becomes “an …” before a vowel. Compounds written with a hyphen
(“customer-centric”, “customer-obsessed”) are kept: they name what the questionnaire
measures, and the report's summaries use them."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models, transaction

from assessment.models import Choice, Instrument, Question, Section

_WORD = re.compile(
    r"\b(?:(?P<article>[Aa]) )?(?P<word>customer|Customer|CUSTOMER)(?P<plural>s|S)?\b(?![-‐])"
)
_COMPOUND = re.compile(r"\b[Cc]ustomer[-‐][A-Za-z]+")

QUESTION_FIELDS = ("text", "help_text", "low_label", "high_label", "comment_prompt")


@dataclass(frozen=True)
class CustomerWords:
    one: str
    many: str


@dataclass(frozen=True)
class WordChange:
    """One text the substitution changes: where it stands, and before and after."""

    where: str
    before: str
    after: str


def _cased(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    if like[0].isupper():
        return word[:1].upper() + word[1:]
    return word


def words_substitute(text: str, words: CustomerWords) -> str:
    def replace(match: re.Match[str]) -> str:
        word = words.many if match["plural"] else words.one
        replaced = _cased(word, match["word"])
        article = match["article"]
        if article is None:
            return replaced
        if replaced[:1].lower() in "aeiou":
            article += "n"
        return f"{article} {replaced}"

    return _WORD.sub(replace, text)


def words_kept(text: str) -> set[str]:
    """The compounds the substitution leaves as they are."""
    return set(_COMPOUND.findall(text))


def _texts(instrument: Instrument) -> Iterator[tuple[str, models.Model, str]]:
    """(where, row, field) for every text of the instrument a respondent reads."""
    yield "Name", instrument, "name"
    yield "Introduction", instrument, "description"
    for section in Section.objects.filter(instrument=instrument).order_by("position"):
        yield f"Page {section.position}: title", section, "title"
        yield f"Page {section.position}: introduction", section, "intro"
    questions = Question.objects.filter(instrument=instrument).order_by(
        "section__position", "position"
    )
    for question in questions:
        for field in QUESTION_FIELDS:
            yield f"{question.code}: {field.replace('_', ' ')}", question, field
    for choice in Choice.objects.filter(question__instrument=instrument).select_related("question"):
        yield f"{choice.question.code}: answer “{choice.label}”", choice, "label"


def words_changes(*, instrument: Instrument, words: CustomerWords) -> list[WordChange]:
    """Every text the substitution would change, in the order a respondent reads them."""
    changes = []
    for where, row, field in _texts(instrument):
        before = getattr(row, field)
        after = words_substitute(before, words)
        if after != before:
            changes.append(WordChange(where=where, before=before, after=after))
    return changes


def instrument_words_kept(instrument: Instrument) -> list[str]:
    kept: set[str] = set()
    for _where, row, field in _texts(instrument):
        kept |= words_kept(getattr(row, field))
    return sorted(kept, key=str.lower)


@transaction.atomic
def words_apply(*, instrument: Instrument, words: CustomerWords) -> int:
    """Put the words into every text of the instrument; returns how many texts changed.
    Only for a version nobody has answered (the copy being made, or a draft version)."""
    changed = 0
    for _where, row, field in _texts(instrument):
        before = getattr(row, field)
        after = words_substitute(before, words)
        if after != before:
            setattr(row, field, after)
            row.save(update_fields=[field])
            changed += 1
    return changed
