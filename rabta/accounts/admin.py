from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from rabta.accounts.models import (
    ApiToken,
    ContributorProfile,
    EngineerProfile,
    Institution,
    InstitutionMembership,
    PecRegisterEntry,
    PecRegisterImport,
    User,
)
from rabta.core.admin_audit import AuditedAdminMixin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "email_verified_at", "is_staff", "is_active")
    list_filter = ("groups", "is_staff", "is_active")
    search_fields = ("email", "display_name")
    readonly_fields = ("last_login", "date_joined", "email_verified_at")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("display_name", "preferred_language", "email_verified_at")}),
        ("Roles", {"fields": ("groups", "is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")},
        ),
    )
    filter_horizontal = ("groups",)

    # Only a superuser may grant roles, staff status or superuser status, or touch a superuser:
    # an administrator cannot raise their own powers through this form.
    PRIVILEGE_FIELDS = ("groups", "is_staff", "is_superuser", "user_permissions")

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += self.PRIVILEGE_FIELDS
        return fields

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(EngineerProfile)
class EngineerProfileAdmin(AuditedAdminMixin):
    list_display = ("pec_number", "user", "discipline", "province", "verification_state")
    list_filter = ("verification_state", "discipline", "province")
    search_fields = ("pec_number", "user__email")
    raw_id_fields = ("user",)
    # A number's verification moves only through its state machine (the staff queue and the
    # register import), where every decision is checked and audited.
    readonly_fields = ("verification_state", "verified_at", "register_match", "rejection_reason")


@admin.register(ContributorProfile)
class ContributorProfileAdmin(AuditedAdminMixin):
    list_display = ("user", "country", "city", "time_zone", "availability")
    list_filter = ("availability", "country")
    search_fields = ("user__email", "city")
    raw_id_fields = ("user",)


class MembershipInline(admin.TabularInline):
    model = InstitutionMembership
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(AuditedAdminMixin):
    list_display = ("name", "kind", "city", "province")
    list_filter = ("kind", "province")
    search_fields = ("name", "city")
    inlines = [MembershipInline]


@admin.register(PecRegisterEntry)
class PecRegisterEntryAdmin(admin.ModelAdmin):
    list_display = ("pec_number", "discipline", "in_good_standing", "updated_at")
    search_fields = ("pec_number",)
    list_filter = ("in_good_standing", "discipline")


@admin.register(PecRegisterImport)
class PecRegisterImportAdmin(admin.ModelAdmin):
    list_display = ("imported_at", "imported_by", "row_count", "verified_count")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("key_hash", "prefix")
    raw_id_fields = ("user",)
