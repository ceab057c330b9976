from django.contrib import admin

from rabta.core.admin_audit import AuditedAdminMixin
from rabta.programme.models import AllocationRun, Application, Cohort, LiveSession


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "seats", "seats_taken", "policy")
    readonly_fields = ("seats_taken",)
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if change:
            # The seat counter moves under row locks while staff edit: never write it back.
            obj.save(
                update_fields=[f for f in form.changed_data if f != "seats_taken"] + ["updated_at"]
            )
        else:
            obj.save()

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Application)
class ApplicationAdmin(AuditedAdminMixin):
    list_display = ("user", "cohort", "state", "submitted_at", "province")
    list_filter = ("cohort", "state", "province")
    search_fields = ("user__email",)
    readonly_fields = (
        "cohort",
        "user",
        "state",
        "lottery_rank",
        "placement_reason",
        "submitted_at",
        "offer_expires_at",
        "idempotency_key",
    )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # applications are made by applicants, through the service

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # seats are released by withdrawing, which promotes the waitlist


@admin.register(AllocationRun)
class AllocationRunAdmin(admin.ModelAdmin):
    list_display = ("cohort", "seed", "committed", "created_at", "created_by")
    readonly_fields = ("cohort", "seed", "committed", "created_by", "summary")


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    """Shown for reference; staff set a session's recording, alternatives and check on its
    staff page (validated, audited), and the timetable is made by the sessions service."""

    list_display = ("title", "cohort", "starts_at", "ends_at", "pass_mark")
    list_filter = ("cohort", "track")
    readonly_fields = (
        "cohort",
        "track",
        "title",
        "starts_at",
        "ends_at",
        "recording_url",
        "audio_url",
        "slides_url",
        "check_questions",
        "pass_mark",
    )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
