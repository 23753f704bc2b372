"""An organisation's own instruments: a copy of a built-in one, and the versions that keep
every launched round's questions exactly as they were asked.

A version that a launched round or a workshop asks is frozen (`instrument_is_frozen`):
the first edit after that makes the next version, and the rounds still being drafted move
to it; the launched ones keep theirs, with their answers and their report. Question codes
travel from version to version, so reports compare rounds by code."""

from django.core.exceptions import ValidationError
from django.db import transaction

from assessment.models import (
    Choice,
    Instrument,
    Organisation,
    Question,
    RoundInstrument,
    RoundStatus,
    Section,
)
from assessment.selectors.instruments import instrument_family, instrument_is_frozen
from assessment.services.instrument_words import CustomerWords, words_apply

BUILTIN_READ_ONLY = "The built-in questionnaires cannot be changed: copy one and edit the copy."
ALREADY_COPIED = (
    "Your organisation already has its own “{name}”: edit that one (each edit after a "
    "launch makes a new version), so that rounds stay comparable."
)
ONLY_BUILTIN = "Only a built-in questionnaire is copied: edit your own one directly."


def instrument_clone(source: Instrument, **fields: object) -> Instrument:
    """A deep copy of `source` (sections, questions, choices) with `fields` changed."""
    values = {
        "organisation": source.organisation,
        "key": source.key,
        "version": source.version,
        "name": source.name,
        "description": source.description,
        "source": source.source,
        "minutes": source.minutes,
        "based_on": source.based_on,
        **fields,
    }
    copy = Instrument.objects.create(**values)
    sections = list(source.sections.order_by("position"))
    new_sections = Section.objects.bulk_create(
        Section(instrument=copy, position=s.position, title=s.title, intro=s.intro)
        for s in sections
    )
    section_of = {old.pk: new for old, new in zip(sections, new_sections, strict=True)}
    questions = list(Question.objects.filter(instrument=source).order_by("pk"))
    new_questions = Question.objects.bulk_create(
        Question(
            section=section_of[q.section_id],
            instrument=copy,
            position=q.position,
            code=q.code,
            kind=q.kind,
            text=q.text,
            help_text=q.help_text,
            required=q.required,
            low_label=q.low_label,
            high_label=q.high_label,
            comment_prompt=q.comment_prompt,
            reverse_scored=q.reverse_scored,
        )
        for q in questions
    )
    question_of = {old.pk: new for old, new in zip(questions, new_questions, strict=True)}
    Choice.objects.bulk_create(
        Choice(
            question=question_of[c.question_id],
            position=c.position,
            value=c.value,
            label=c.label,
            score=c.score,
            unfavourable=c.unfavourable,
        )
        for c in Choice.objects.filter(question__instrument=source)
    )
    return copy


@transaction.atomic
def instrument_copy(
    *, organisation: Organisation, source: Instrument, words: CustomerWords | None = None
) -> Instrument:
    """The organisation's own version 1 of a built-in instrument, under the same key and
    with the same question codes; `words` replaces “customer” in every text it copies."""
    if source.organisation_id is not None:
        raise ValidationError(ONLY_BUILTIN)
    if instrument_family(organisation, source.key).exists():
        raise ValidationError(ALREADY_COPIED.format(name=source.name))
    copy = instrument_clone(source, organisation=organisation, version=1, based_on=source)
    if words is not None:
        words_apply(instrument=copy, words=words)
    return copy


@transaction.atomic
def instrument_editable(*, instrument: Instrument) -> Instrument:
    """The version an edit of `instrument` applies to: itself while nobody can have answered
    it, else a new version that the rounds still in draft move to."""
    if instrument.is_builtin:
        raise ValidationError(BUILTIN_READ_ONLY)
    # Serialises edits of one family: two at once must not both make "the next version".
    newest = (
        instrument_family(instrument.organisation, instrument.key)  # type: ignore[arg-type]
        .select_for_update()
        .first()
    )
    if newest is not None and newest.pk != instrument.pk:
        instrument = newest
    if not instrument_is_frozen(instrument):
        return instrument
    version = instrument_clone(instrument, version=instrument.version + 1, based_on=instrument)
    RoundInstrument.objects.filter(instrument=instrument, round__status=RoundStatus.DRAFT).update(
        instrument=version
    )
    return version
