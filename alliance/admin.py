"""The operators' admin (superusers). Clinic staff work in the app's own pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from alliance.models import Alliance, Clinic, Patient, Supervision, User


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "staff_two_factor_required"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
class PatientAdmin(admin.ModelAdmin):
    list_display = ["family_name", "given_name", "clinic", "date_of_birth"]
    list_select_related = ["clinic"]
    list_filter = ["clinic"]
    search_fields = ["family_name", "given_name"]
    raw_id_fields = ["portal_user"]

    def has_delete_permission(self, request, obj=None):
        return False  # nothing clinical is ever hard-deleted


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["patient", "therapist", "status", "started_on", "ended_on"]
    list_select_related = ["patient", "therapist"]
    list_filter = ["status", "clinic"]
    raw_id_fields = ["patient", "therapist", "ended_by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ["supervisor", "therapist", "starts_on", "ends_on", "requires_cosign"]
    list_select_related = ["supervisor", "therapist"]
    raw_id_fields = ["supervisor", "therapist"]
