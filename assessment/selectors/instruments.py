"""Reads for the Instruments pages and the forms that offer questionnaires."""

from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from assessment.models import (
    Choice,
    Instrument,
    Organisation,
    Question,
    RoundInstrument,
    RoundStatus,
    Section,
    Workshop,
)


def instrument_family(organisation: Organisation, key: str) -> QuerySet[Instrument]:
    """Every version of one of the organisation's own instruments, newest first."""
    return Instrument.objects.filter(organisation=organisation, key=key).order_by("-version")


def instrument_latest(organisation: Organisation, key: str) -> Instrument | None:
    return instrument_family(organisation, key).first()


def instruments_offered(organisation: Organisation) -> QuerySet[Instrument]:
    """What a round or a workshop may ask: the built-in instruments and the newest version
    of each of the organisation's own (an older version is kept for the rounds that asked it)."""
    newest = (
        Instrument.objects.filter(organisation=organisation)
        .values("key")
        .annotate(newest=Max("version"))
    )
    own = Q()
    for row in newest:
        own |= Q(organisation=organisation, key=row["key"], version=row["newest"])
    return Instrument.objects.filter(Q(organisation=None) | own).order_by("organisation", "pk")


def instrument_is_frozen(instrument: Instrument) -> bool:
    """Whether people may have answered this version: a launched round or a workshop asks it.
    A version in this state is never edited, so their answers keep the wording they saw."""
    launched = RoundInstrument.objects.filter(instrument=instrument).exclude(
        round__status=RoundStatus.DRAFT
    )
    return launched.exists() or Workshop.objects.filter(instrument=instrument).exists()


def instrument_with_questions(instrument: Instrument) -> list[Section]:
    """The instrument's sections in order, each with its questions and their choices."""
    questions = Question.objects.order_by("position").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position"))
    )
    return list(
        Section.objects.filter(instrument=instrument)
        .order_by("position")
        .prefetch_related(Prefetch("questions", queryset=questions))
    )


@dataclass(frozen=True)
class OwnInstrument:
    """One of the organisation's instruments on the Instruments page: its newest version,
    and how many rounds asked any version of it."""

    latest: Instrument
    versions: int
    rounds: int


def own_instruments(organisation: Organisation) -> list[OwnInstrument]:
    families: dict[str, list[Instrument]] = {}
    versions = (
        Instrument.objects.filter(organisation=organisation)
        .annotate(round_count=Count("rounds", distinct=True))
        .order_by("key", "-version")
    )
    for instrument in versions:
        families.setdefault(instrument.key, []).append(instrument)
    return sorted(
        (
            OwnInstrument(
                latest=family[0],
                versions=len(family),
                rounds=sum(v.round_count for v in family),  # type: ignore[attr-defined]
            )
            for family in families.values()
        ),
        key=lambda own: own.latest.name.lower(),
    )


def family_codes(organisation: Organisation, key: str) -> set[str]:
    """Every question code any version of the family has used, and the built-in one's."""
    return set(
        Question.objects.filter(
            Q(instrument__organisation=organisation) | Q(instrument__organisation=None),
            instrument__key=key,
        ).values_list("code", flat=True)
    )


def instruments_default(organisation: Organisation) -> list[Instrument]:
    """What a new round asks unless told otherwise: every instrument offered, the
    organisation's own version in place of the built-in one it copied."""
    offered = list(instruments_offered(organisation))
    own = {i.key for i in offered if not i.is_builtin}
    return [i for i in offered if not (i.is_builtin and i.key in own)]
