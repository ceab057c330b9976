"""Admin screens over personal data record who looked at and who changed what."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from rabta.core.services import audit_record


class AuditedAdminMixin(admin.ModelAdmin):
    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        audit_record(
            actor=request.user,
            action="personal_data.listed",
            list=self.model._meta.label_lower,
            query=request.GET.urlencode()[:500],
        )
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is not None:
            audit_record(actor=request.user, action="personal_data.viewed", target=obj, via="admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="admin.changed" if change else "admin.added",
            target=obj,
            fields=sorted(form.changed_data),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(actor=request.user, action="admin.deleted", target=obj)
        super().delete_model(request, obj)


class ViewOnlyAuditedAdmin(AuditedAdminMixin):
    """An administrator may look (audited) but not edit: these rows change only through their
    app's services, so statuses move through the state machine and notices go out once."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
