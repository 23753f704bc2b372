from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessment.access import ADMINS, RUNS_ROUNDS, MemberRequest, staff_view
from assessment.forms.organisation import LEVEL_KINDS_EXPLAINED
from assessment.forms.roster import RosterConfirmForm, RosterUploadForm
from assessment.models import Person, Role
from assessment.selectors.people import roster
from assessment.services.retention import person_erase
from assessment.services.roster_import import (
    LevelKindsMissing,
    MassDeactivationUnconfirmed,
    RosterImportError,
    RosterInvalid,
    RosterPreview,
    roster_import,
    roster_import_preview,
)
from assessment.services.roster_uploads import (
    roster_upload_discard,
    roster_upload_keep,
    roster_upload_read,
)
from assessment.views.staff.shared import page_of

PAGE_SIZE = 50
PREVIEW_ROWS = 100
IMPORTED = (
    "Roster imported: {added} added, {changed} changed ({reactivated} back from inactive), "
    "{deactivated} deactivated, {departments_created} new departments, {levels_created} new "
    "levels."
)
UPLOAD_EXPIRED = "That upload is no longer available. Please upload the file again."


@staff_view(*RUNS_ROUNDS)
def roster_list(request: MemberRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    show = request.GET.get("show", "active")
    active = {"active": True, "inactive": False}.get(show)
    people = roster(request.organisation, query=query, active=active)
    page = page_of(request, people, PAGE_SIZE)
    return render(
        request,
        "assessment/roster/list.html",
        {"page": page, "query": query, "show": show, "count": page.paginator.count},
    )


@staff_view(*RUNS_ROUNDS)
def roster_upload(request: MemberRequest) -> HttpResponse:
    """Upload a file and see what importing it would do; nothing is written yet."""
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        preview = roster_import_preview(
            organisation=request.organisation, file=content, filename=upload.name
        )
        kept = ""
        if preview.is_valid:
            kept = roster_upload_keep(
                organisation_id=request.organisation.pk, filename=upload.name, content=content
            )
        return _preview_page(request, preview, kept)
    return render(request, "assessment/roster/upload.html", {"form": form})


def _preview_page(
    request: MemberRequest,
    preview: RosterPreview,
    kept: str,
    status: int = 200,
    form: RosterConfirmForm | None = None,
) -> HttpResponse:
    names = [level.name for level in preview.levels_to_create]
    if form is None or form.level_names != names:
        form = RosterConfirmForm(initial={"upload": kept}, level_names=names)
    return render(
        request,
        "assessment/roster/preview.html",
        {
            "preview": preview,
            "confirm_form": form,
            "new_levels": [
                (level, *fields)
                for level, fields in zip(preview.levels_to_create, form.level_fields, strict=True)
            ],
            "limit": PREVIEW_ROWS,
            # Levels shape every report (the gap is executives against the front line), so
            # only an organisation admin creates them, as on the organisation's page.
            "creates_levels": request.membership.role == Role.ADMIN,
            "level_kinds": LEVEL_KINDS_EXPLAINED,
        },
        status=status,
    )


@require_POST
@staff_view(*RUNS_ROUNDS)
def roster_confirm(request: MemberRequest) -> HttpResponse:
    form = RosterConfirmForm(request.POST)
    name = request.POST.get("upload", "")
    content = roster_upload_read(organisation_id=request.organisation.pk, name=name)
    if content is None:
        messages.error(request, UPLOAD_EXPIRED)
        return redirect("roster:upload")
    if not form.is_valid():
        preview = roster_import_preview(
            organisation=request.organisation, file=content, filename=name
        )
        return _preview_page(request, preview, name, status=400, form=form)
    try:
        result = roster_import(
            organisation=request.organisation,
            file=content,
            filename=name,
            confirm_mass_deactivation=form.cleaned_data["confirm_deactivation"],
            level_kinds=form.level_kinds() if request.membership.role == Role.ADMIN else None,
        )
    except (RosterInvalid, MassDeactivationUnconfirmed, LevelKindsMissing) as error:
        messages.error(request, str(error))
        return _preview_page(request, error.preview, name, status=400)
    except RosterImportError as error:
        messages.error(request, str(error))
        return redirect("roster:upload")
    roster_upload_discard(name=name)
    messages.success(
        request,
        IMPORTED.format(
            added=result.added,
            changed=result.changed,
            reactivated=result.reactivated,
            deactivated=result.deactivated,
            departments_created=result.departments_created,
            levels_created=result.levels_created,
        ),
    )
    return redirect("roster:list")


ERASED = "{name} is erased: off the roster and out of every invitation. Reports are unchanged."


@staff_view(*ADMINS)
def person_erase_page(request: MemberRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.select_related("department", "level"),
        pk=pk,
        organisation=request.organisation,
    )
    if request.method == "POST":
        name = person.name
        person_erase(person=person)
        messages.success(request, ERASED.format(name=name))
        return redirect("roster:list")
    return render(request, "assessment/roster/erase.html", {"person": person})
