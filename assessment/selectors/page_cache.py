"""The pages of a launched round, and the HTML of their forms as nobody has answered them
yet, kept in each web process for a minute.

After launch a round's questionnaires are fixed (people answer the wording they were
shown), so every respondent of the round is shown the same pages, and everyone opening a
page for the first time the same empty form. Building the pages (every section, question
and choice) and drawing that form were most of a page's time: at 100,000 people a page
took 40–60 ms, most of it here (bench/README.md). The minute bounds how long a correction
made by hand in the admin takes to show."""

import threading
import time

from crispy_forms.utils import render_crispy_form
from django.utils.safestring import SafeString

from assessment.forms.answering import SectionForm
from assessment.models import Round, RoundStatus, Section
from assessment.selectors.answering import round_pages

KEEP_SECONDS = 60.0
# Rounds whose pages a process keeps: more are built again when asked for.
MAX_ROUNDS = 32


class _Pages:
    def __init__(self, pages: list[Section]) -> None:
        self.pages = pages
        self.kept_at = time.monotonic()
        self.empty_forms: dict[int, SafeString] = {}


_kept: dict[tuple[int, object], _Pages] = {}
_lock = threading.Lock()


def _entry(round_: Round) -> _Pages | None:
    if round_.status == RoundStatus.DRAFT:
        return None  # still being edited: always read afresh
    key = (round_.pk, round_.launched_at)
    with _lock:
        entry = _kept.get(key)
        if entry is not None and time.monotonic() - entry.kept_at < KEEP_SECONDS:
            return entry
    entry = _Pages(round_pages(round_))
    with _lock:
        if len(_kept) >= MAX_ROUNDS:
            _kept.pop(next(iter(_kept)))
        _kept[key] = entry
    return entry


def respondent_pages(round_: Round) -> list[Section]:
    """The round's pages in order, as `round_pages` gives them."""
    entry = _entry(round_)
    return entry.pages if entry is not None else round_pages(round_)


def form_html(form: SectionForm) -> SafeString:
    """The page's form drawn by crispy; an unanswered one from the process's copy."""
    entry = _entry_if_kept(form.section)
    if form.is_bound or form.initial or entry is None:
        return render_crispy_form(form)
    html = entry.empty_forms.get(form.section.pk)
    if html is None:
        html = entry.empty_forms[form.section.pk] = render_crispy_form(form)
    return html


def _entry_if_kept(section: Section) -> _Pages | None:
    with _lock:
        for entry in _kept.values():
            if any(page is section for page in entry.pages):
                return entry
    return None


def forget_all() -> None:
    """Empty the cache (tests that change a questionnaire in place)."""
    with _lock:
        _kept.clear()
