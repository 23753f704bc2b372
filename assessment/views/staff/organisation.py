"""Organisation admins set up the organisation: settings, levels, departments, staff."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from assessment.access import ADMINS, MemberRequest, staff_view
from assessment.forms.organisation import (
    DepartmentForm,
    LevelForm,
    OrganisationForm,
    StaffAccountForm,
)
from assessment.models import Department, Level, Membership
from assessment.services.organisation import department_save, staff_account_create

SAVED = "Saved."
ACCOUNT_CREATED = "The account is created and an e-mail with a link to choose a password is sent."


@staff_view(*ADMINS)
def settings_page(request: MemberRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, instance=request.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, SAVED)
        return redirect("organisation:settings")
    return render(
        request,
        "assessment/organisation/settings.html",
        {
            "form": form,
            "levels": Level.objects.filter(organisation=request.organisation),
            "departments": Department.objects.filter(organisation=request.organisation),
            "members": Membership.objects.filter(organisation=request.organisation)
            .select_related("user", "department")
            .order_by("role", "user__username"),
        },
    )


@staff_view(*ADMINS)
def level_edit(request: MemberRequest, pk: int | None = None) -> HttpResponse:
    level = (
        get_object_or_404(Level, pk=pk, organisation=request.organisation)
        if pk
        else Level(organisation=request.organisation)
    )
    form = LevelForm(request.POST or None, instance=level, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, SAVED)
        return redirect("organisation:settings")
    return render(
        request,
        "assessment/organisation/form.html",
        {"form": form, "title": f"Level “{level.name}”" if pk else "New level"},
    )


@staff_view(*ADMINS)
def department_edit(request: MemberRequest, pk: int | None = None) -> HttpResponse:
    department = (
        get_object_or_404(Department, pk=pk, organisation=request.organisation)
        if pk
        else Department(organisation=request.organisation)
    )
    form = DepartmentForm(
        request.POST or None, instance=department, organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            department_save(department=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, SAVED)
            return redirect("organisation:settings")
    return render(
        request,
        "assessment/organisation/form.html",
        {"form": form, "title": f"Department “{department.path}”" if pk else "New department"},
    )


@staff_view(*ADMINS)
def staff_account_add(request: MemberRequest) -> HttpResponse:
    form = StaffAccountForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        staff_account_create(organisation=request.organisation, **form.cleaned_data)
        messages.success(request, ACCOUNT_CREATED)
        return redirect("organisation:settings")
    return render(
        request, "assessment/organisation/form.html", {"form": form, "title": "New staff account"}
    )
