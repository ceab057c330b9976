from django.contrib import admin

from rabta.core.models import AuditLog, Event


class AppendOnlyAdmin(admin.ModelAdmin):
    """Audit rows and events are written by services only; the admin may read them."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(AuditLog)
class AuditLogAdmin(AppendOnlyAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("target_id", "action")


@admin.register(Event)
class EventAdmin(AppendOnlyAdmin):
    list_display = ("at", "kind", "province", "discipline", "gender", "country")
    list_filter = ("kind",)
