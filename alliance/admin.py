"""The operators' admin (superusers). Clinic staff work in the app's own pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from alliance.admin_lists import QuickRowsAdmin
from alliance.models import Alliance, AuditEvent, Clinic, Patient, Supervision, User


class NoDelete:
    """Put first among an admin's bases: nothing is ever hard-deleted here. People are
    deactivated (who did what stays attributable), care is ended, the trail is kept."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class NoDeleteAdmin(NoDelete, QuickRowsAdmin, admin.ModelAdmin):
    pass


@admin.register(Clinic)
class ClinicAdmin(NoDeleteAdmin):
    list_display = ["name", "time_zone", "staff_two_factor_required"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(NoDelete, QuickRowsAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "clinic", "role", "is_active"]
    list_filter = ["role", "is_active", "clinic"]
    list_select_related = ["clinic"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "clinic", "role"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "clinic", "role", "password1", "password2"]})
    ]
    filter_horizontal = []


@admin.register(Patient)
class PatientAdmin(NoDeleteAdmin):
    list_display = ["family_name", "given_name", "clinic", "date_of_birth"]
    list_select_related = ["clinic"]
    list_filter = ["clinic"]
    search_fields = ["family_name", "given_name"]
    raw_id_fields = ["portal_user"]
    # A filtered list shows "Show all" instead of counting every patient a second time.
    show_full_result_count = False


@admin.register(Alliance)
class AllianceAdmin(NoDeleteAdmin):
    list_display = ["patient", "therapist", "status", "started_on", "ended_on"]
    list_select_related = ["patient", "therapist"]
    list_filter = ["status", "clinic"]
    raw_id_fields = ["patient", "therapist", "ended_by"]


@admin.register(Supervision)
class SupervisionAdmin(NoDeleteAdmin):
    list_display = ["supervisor", "therapist", "starts_on", "ends_on", "requires_cosign"]
    list_select_related = ["supervisor", "therapist"]
    raw_id_fields = ["supervisor", "therapist"]


@admin.register(AuditEvent)
class AuditEventAdmin(NoDeleteAdmin):
    """The audit trail, for reading only: written by the app, never added, changed or removed."""

    list_display = ["at", "action", "actor", "url_name", "record_type", "status", "ip"]
    list_filter = ["action", "clinic"]
    list_select_related = ["actor"]
    raw_id_fields = ["actor", "clinic", "patient"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def _superusers_only(request) -> bool:
    # is_staff alone (with model permissions) is not enough: only operators use the admin.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only
