"""The Django admin: enough to set up an organisation by hand, for the few who run the
site. It shows nothing that leads from an answer to a person: no invitation (who was
asked, whether and when they answered, and reminders, which are sent only to those who
have not), no response, answer, comment or draft (drafts belong to an invitation), no
workshop participant or answer, no department's counts before the anonymity gate. The
culture report is the only way to read answers, and it applies the thresholds. Rounds
that people have been invited to are read-only here (see RoundAdmin)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction

from assessment import models
from assessment.forms.thresholds import thresholds_check
from assessment.services.rounds import CLOSES_BEFORE_OPENS

AUDIENCE_ELSEWHERE = "Choose only departments and levels of the round's organisation."


class LevelInline(admin.TabularInline):
    model = models.Level
    extra = 0


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "threshold", "comment_threshold"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [LevelInline]


@admin.register(models.Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["path", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["path"]
    autocomplete_fields = ["parent"]


@admin.register(models.Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "position", "organisation"]
    list_filter = ["organisation", "kind"]
    list_editable = ["position"]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "department"]
    list_filter = ["organisation", "role"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user", "department"]


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "department", "level", "is_active"]
    list_filter = ["organisation", "is_active", "level"]
    search_fields = ["name", "email", "department__path"]
    autocomplete_fields = ["department"]
    list_select_related = ["department", "level"]


class SectionInline(admin.TabularInline):
    model = models.Section
    extra = 0
    show_change_link = True


@admin.register(models.Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "version", "organisation", "minutes"]
    list_filter = ["organisation", "key"]
    search_fields = ["name", "key"]
    inlines = [SectionInline]


class QuestionInline(admin.StackedInline):
    model = models.Question
    extra = 0
    show_change_link = True
    fields = ["position", "code", "kind", "text", "required"]


@admin.register(models.Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "instrument", "position"]
    list_filter = ["instrument"]
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = models.Choice
    extra = 0


@admin.register(models.Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "instrument", "required"]
    list_filter = ["instrument", "kind"]
    search_fields = ["code", "text"]
    inlines = [ChoiceInline]


class RoundAdminForm(forms.ModelForm):
    """A draft round, checked as the round pages check one: the thresholds, closing after
    opening, and an audience from the round's own organisation."""

    class Meta:
        model = models.Round
        fields = [
            "organisation",
            "name",
            "purpose",
            "audience_all",
            "audience_departments",
            "audience_levels",
            "opens_at",
            "closes_at",
            "reminder_days_before",
            "threshold",
            "comment_threshold",
        ]

    def clean(self) -> dict:
        data = super().clean()
        thresholds_check(self, data)
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", CLOSES_BEFORE_OPENS)
        organisation_id = data["organisation"].pk if data.get("organisation") else None
        organisation_id = organisation_id or self.instance.organisation_id
        for field in ("audience_departments", "audience_levels"):
            if any(c.organisation_id != organisation_id for c in data.get(field) or []):
                self.add_error(field, AUDIENCE_ELSEWHERE)
        return data


def _is_draft(round_: models.Round | None) -> bool:
    return round_ is None or round_.status == models.RoundStatus.DRAFT


class RoundInstrumentInline(admin.TabularInline):
    model = models.RoundInstrument
    extra = 0

    # `obj` is the round: its questionnaires are fixed once people have been invited.
    def has_add_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


@admin.register(models.Round)
class RoundAdmin(admin.ModelAdmin):
    """Only a draft round can be changed or deleted here. Once launched, people were told
    who would see what, and deleting a round deletes its responses: a launched or closed
    round is read-only, and changes only through the round pages, whose services keep the
    rules (assessment/services/rounds.py). Launching and closing are done there too, so
    the status is never a field of this form."""

    form = RoundAdminForm
    list_display = ["name", "organisation", "status", "opens_at", "closes_at", "threshold"]
    list_filter = ["organisation", "status"]
    search_fields = ["name"]
    filter_horizontal = ["audience_departments", "audience_levels"]
    readonly_fields = ["status", "launched_at", "closed_at", "personal_data_removed_at"]
    inlines = [RoundInstrumentInline]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # A draft round stays in its organisation: its audience was chosen from it.
        if obj is not None:
            return [*self.readonly_fields, "organisation"]
        return list(self.readonly_fields)

    def get_object(self, request, object_id, from_field=None):
        # A change or a delete locks the round, as round_launch does, so that the round
        # found to be a draft is still one when it is written. Django runs both views in
        # a transaction.
        if request.method != "POST":
            return super().get_object(request, object_id, from_field)
        queryset = self.get_queryset(request).select_for_update(of=("self",))
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Asked of every round a deletion would take, the organisation's included, so
        # that no deletion here reaches a launched round's responses.
        return _is_draft(obj) and super().has_delete_permission(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        # The delete action checked each round before this request wrote anything: what
        # it deletes is what is still a draft once locked.
        drafts = queryset.select_for_update(of=("self",)).filter(status=models.RoundStatus.DRAFT)
        models.Round.objects.filter(pk__in=list(drafts.values_list("pk", flat=True))).delete()


# ReportSnapshot holds only what the gate let through, but it is read through the report
# itself; builds are listed so that an operator can see a failure.
@admin.register(models.ReportBuild)
class ReportBuildAdmin(admin.ModelAdmin):
    list_display = [
        "round",
        "status",
        "provisional",
        "parts_done",
        "parts_total",
        "response_count",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "round"]
    readonly_fields = [
        "round",
        "status",
        "provisional",
        "parts_total",
        "parts_done",
        "response_count",
        "error",
        "created_at",
        "started_at",
        "progressed_at",
        "finished_at",
    ]
    list_select_related = ["round"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
