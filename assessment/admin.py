"""The Django admin: enough to set up an organisation by hand.

Responses are shown only as counts of what exists (round, department, level, day); their
answers and comments are deliberately not browsable one by one, not even here: the
culture report is the only way to read them, and it applies the anonymity thresholds."""

from django.contrib import admin

from assessment import models


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


class RoundInstrumentInline(admin.TabularInline):
    model = models.RoundInstrument
    extra = 0


@admin.register(models.Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "status", "opens_at", "closes_at", "threshold"]
    list_filter = ["organisation", "status"]
    search_fields = ["name"]
    filter_horizontal = ["audience_departments", "audience_levels"]
    readonly_fields = ["launched_at", "closed_at"]
    inlines = [RoundInstrumentInline]


@admin.register(models.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["round", "person", "department", "level", "status", "sent_at"]
    list_filter = ["round", "status"]
    search_fields = ["person__name", "person__email"]
    # The token's hash is useless to a person and is never shown.
    exclude = ["token_hash"]
    readonly_fields = [
        "round",
        "person",
        "department",
        "level",
        "status",
        "started_on",
        "submitted_on",
        "sent_at",
        "reminders_sent",
    ]
    list_select_related = ["round", "person", "department", "level"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(models.Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["round", "department", "level", "submitted_on"]
    list_filter = ["round"]
    readonly_fields = ["round", "department", "level", "submitted_on"]
    list_select_related = ["round", "department", "level"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# ReportPart is deliberately not registered: it holds a department's counts before the
# anonymity gate. ReportSnapshot holds only what the gate let through, but it is read
# through the report itself; builds are listed so that an operator can see a failure.
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
