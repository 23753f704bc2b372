"""The Instruments pages: the built-in instruments and the organisation's own, copying one
(with the organisation's word for customers), preview at phone width, export and import."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessment.access import RUNS_ROUNDS, MemberRequest, staff_view
from assessment.forms.instruments import CustomerWordsForm, ImportForm
from assessment.models import Instrument, Organisation
from assessment.selectors.instruments import instrument_latest, own_instruments
from assessment.services.instrument_files import instrument_export, instrument_import
from assessment.services.instrument_words import (
    CustomerWords,
    instrument_words_kept,
    words_changes,
)
from assessment.services.instruments import instrument_copy
from assessment.views.staff.instrument_preview import preview_pages
from assessment.views.staff.shared import errors_shown

COPIED = "“{name}” is now your organisation's own: edit it below."
IMPORTED = "“{name}” is imported as your organisation's own."


def builtin_or_404(key: str) -> Instrument:
    instrument = Instrument.objects.filter(organisation=None, key=key).order_by("-version").first()
    if instrument is None:
        raise Http404
    return instrument


def own_or_404(organisation: Organisation, key: str) -> Instrument:
    instrument = instrument_latest(organisation, key)
    if instrument is None:
        raise Http404
    return instrument


@staff_view(*RUNS_ROUNDS)
def instrument_list(request: MemberRequest) -> HttpResponse:
    own = own_instruments(request.organisation)
    copied = {o.latest.key for o in own}
    builtins = Instrument.objects.filter(organisation=None).order_by("pk")
    return render(
        request,
        "assessment/instruments/list.html",
        {
            "own": own,
            "builtins": [(b, b.key in copied) for b in builtins],
            "import_form": ImportForm(),
        },
    )


def _words(form: CustomerWordsForm) -> CustomerWords | None:
    one, many = form.cleaned_data["customer_word"], form.cleaned_data["customers_word"]
    return CustomerWords(one=one, many=many) if one and many else None


@staff_view(*RUNS_ROUNDS)
def instrument_builtin(request: MemberRequest, key: str) -> HttpResponse:
    """A built-in instrument, read-only, and copying it: the words first previewed (every
    text they would change), then applied in the copy."""
    source = builtin_or_404(key)
    organisation = request.organisation
    initial = {
        "customer_word": organisation.customer_word,
        "customers_word": organisation.customers_word,
    }
    form = CustomerWordsForm(request.POST or None, initial=initial)
    changes = None
    if request.method == "POST" and form.is_valid():
        words = _words(form)
        if request.POST.get("action") == "copy":
            try:
                copy = instrument_copy(organisation=organisation, source=source, words=words)
            except ValidationError as error:
                errors_shown(request, error)
            else:
                messages.success(request, COPIED.format(name=copy.name))
                return redirect("instruments:edit", key=copy.key)
        elif words is not None:
            changes = words_changes(instrument=source, words=words)
    return render(
        request,
        "assessment/instruments/builtin.html",
        {
            "instrument": source,
            "form": form,
            "changes": changes,
            "kept": instrument_words_kept(source),
            "copied": instrument_latest(organisation, key),
            "pages": preview_pages(source),
        },
    )


def _preview(request: MemberRequest, instrument: Instrument) -> HttpResponse:
    return render(
        request,
        "assessment/instruments/preview.html",
        {
            "instrument": instrument,
            "pages": preview_pages(instrument),
            # The respondents' frame reads these: the organisation, and what the footer promises.
            "round": {
                "organisation": request.organisation,
                "name": f"Preview of “{instrument.name}”",
                "threshold": request.organisation.threshold,
                "comment_threshold": request.organisation.comment_threshold,
            },
        },
    )


@staff_view(*RUNS_ROUNDS)
def builtin_preview(request: MemberRequest, key: str) -> HttpResponse:
    return _preview(request, builtin_or_404(key))


@staff_view(*RUNS_ROUNDS)
def instrument_preview(request: MemberRequest, key: str) -> HttpResponse:
    return _preview(request, own_or_404(request.organisation, key))


@staff_view(*RUNS_ROUNDS)
def instrument_export_file(request: MemberRequest, key: str) -> HttpResponse:
    instrument = own_or_404(request.organisation, key)
    response = HttpResponse(
        json.dumps(instrument_export(instrument), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{instrument.key}.json"'
    return response


@require_POST
@staff_view(*RUNS_ROUNDS)
def instrument_import_file(request: MemberRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
        return redirect("instruments:list")
    try:
        instrument = instrument_import(
            organisation=request.organisation, content=form.cleaned_data["file"]
        )
    except ValidationError as error:
        return render(
            request,
            "assessment/instruments/import_refused.html",
            {"problems": error.messages},
            status=400,
        )
    messages.success(request, IMPORTED.format(name=instrument.name))
    return redirect("instruments:edit", key=instrument.key)
