from django.contrib import admin

from rabta.core.admin_audit import AuditedAdminMixin
from rabta.programme.models import AllocationRun, Application, Cohort


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "seats", "seats_taken", "policy")
    readonly_fields = ("seats_taken",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Application)
class ApplicationAdmin(AuditedAdminMixin):
    list_display = ("user", "cohort", "state", "submitted_at", "province")
    list_filter = ("cohort", "state", "province")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
    readonly_fields = (
        "state",
        "lottery_rank",
        "placement_reason",
        "submitted_at",
        "offer_expires_at",
        "idempotency_key",
    )


@admin.register(AllocationRun)
class AllocationRunAdmin(admin.ModelAdmin):
    list_display = ("cohort", "seed", "committed", "created_at", "created_by")
    readonly_fields = ("cohort", "seed", "committed", "created_by", "summary")
