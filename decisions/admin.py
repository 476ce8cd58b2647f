"""The operators' admin (superusers): look, never delete. Clinic staff use the app's pages."""

from django.contrib import admin

from alliance.admin import NoDeleteAdmin
from decisions.models import Decision, DecisionTalk


@admin.register(DecisionTalk)
class DecisionTalkAdmin(NoDeleteAdmin):
    list_display = ["id", "alliance", "stage", "due_on", "created_at"]
    list_filter = ["stage"]
    list_select_related = ["alliance__patient", "alliance__therapist"]
    raw_id_fields = ["alliance", "follows", "created_by"]
    readonly_fields = ["created_at", "stage_changed_at"]


@admin.register(Decision)
class DecisionAdmin(NoDeleteAdmin):
    list_display = ["talk_id", "decided_by", "decided_on", "review_on"]
    raw_id_fields = ["talk", "chosen_option", "recorded_by", "goals"]
    readonly_fields = ["recorded_at"]
