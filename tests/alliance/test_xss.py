"""Stored XSS: script payloads in every text field of every clinical and people model, every
page rendered for every role (and the operators' admin), and none comes out unescaped."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import DatabaseError, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance.models import AuditEvent, User
from decisions import services as decision_services
from decisions.models import DecisionReview, DecisionTalk
from goals import services as goal_services
from goals.models import Goal
from sessions_log.models import (
    Addendum,
    Cosignature,
    ErrorMark,
    PsychotherapyNote,
    Session,
    SessionGoal,
    SupervisorComment,
)
from tests.alliance.test_url_matrix import MODULES, PATTERNS, _url
from tests.conftest import ROLE_FIXTURES
from tests.factories import force_login_verified
from tests.goals.factories import ActiveGoalFactory

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
LINK = "javascript:alert(1)"
ALL = f"{SCRIPT} {ATTRIBUTE} {LINK}"
# What would show that a payload reached the page as markup.
UNESCAPED = ["<script>alert(1)", "<img src=x", "onerror=alert(1)>", 'href="javascript:']
APPS = ["alliance", "goals", "decisions", "sessions_log"]
# Not free text: keys, hashes and settings checked elsewhere; the trail stores no text.
NOT_TEXT = {("User", "password"), ("Clinic", "time_zone"), ("StepCheck", "key")}
SKIP_MODELS = {AuditEvent}
# Rows written once (a PostgreSQL trigger refuses UPDATE): they get their payloads at INSERT.
INSERT_ONLY = {Addendum, Cosignature, ErrorMark, SupervisorComment}


def text_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and not isinstance(f, models.EmailField)
        and (model.__name__, f.name) not in NOT_TEXT
    ]


def payload_for(field) -> str:
    limit = field.max_length or 10_000
    for candidate in (ALL, ATTRIBUTE, LINK, SCRIPT):
        if len(candidate) <= limit:
            return candidate
    raise AssertionError(f"{field} is too short for any payload")


def clinical_models():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model not in SKIP_MODELS and text_fields(model):
                yield model


def _signed_session(alliance, therapist, days_ago=1) -> Session:
    return Session.objects.create(
        alliance=alliance,
        created_by=therapist,
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
        signed_at=timezone.now(),
        signed_by=therapist,
        **_payloads(Session),
    )


def _payloads(model) -> dict:
    return {f.name: payload_for(f) for f in text_fields(model)}


@pytest.fixture
def stored(world, therapist, supervisor, patient_user):
    alliance = world["alliance"]
    today = alliance.clinic.today()
    # Sessions: a signed one (with everything hanging off a signed note), one marked in error,
    # a draft with its private note.
    signed = _signed_session(alliance, therapist)
    wrong = _signed_session(alliance, therapist, days_ago=3)
    Addendum.objects.create(session=signed, author=therapist, **_payloads(Addendum))
    Cosignature.objects.create(session=signed, supervisor=supervisor, **_payloads(Cosignature))
    SupervisorComment.objects.create(
        session=signed, author=supervisor, **_payloads(SupervisorComment)
    )
    ErrorMark.objects.create(session=wrong, marked_by=therapist, **_payloads(ErrorMark))
    draft = Session.objects.create(
        alliance=alliance, created_by=therapist, starts_at=timezone.now()
    )
    PsychotherapyNote.objects.create(session=draft, author=therapist, text=ALL)
    # The records every page of the URL matrix uses (goal, talk at decision stage, session).
    for module in MODULES:
        module.url_kwargs(world, therapist)
    # Goals: an agreed one with progress from both sides, a review and versions.
    goal = ActiveGoalFactory(alliance=alliance, with_gas=True)
    for party, by in (("therapist", therapist), ("patient", patient_user)):
        goal_services.progress_record(
            goal=goal, by=by, party=party, recorded_on=today, value=1, note="n"
        )
    goal_services.review_record(goal=goal, by=therapist, reviewed_on=today, outcome="continue")
    SessionGoal.objects.create(session=signed, goal=goal, comment=SCRIPT)
    reminder = apps.get_app_config("goals").models.get("reviewreminder")
    if reminder is not None:
        reminder.objects.create(
            goal=goal,
            due_on=today,
            recipient=therapist,
            audience="therapist",
            remind_on=today,
            status="failed",
        )
    # Decisions: one decided and reviewed, one deferred, with preferences.
    talk = DecisionTalk.objects.get(alliance=alliance)
    decision_services.preferences_set(talk=talk, by=therapist, items=["matters"])
    decided = decision_services.talk_start(alliance=alliance, by=therapist, question="Q2?")
    for title in ("A", "B"):
        decision_services.option_add(talk=decided, by=therapist, title=title)
    for stage in ("choice", "option"):
        decided = decision_services.talk_advance(talk=decided, by=therapist, from_stage=stage)
    decision = decision_services.decision_record(
        talk=decided,
        by=therapist,
        chosen_option=decided.options.filter(is_no_change=False).first(),
        decided_by="shared",
        reason="r",
        review_on=today + datetime.timedelta(days=30),
    )
    DecisionReview.objects.create(
        talk=decided, decision=decision, reviewed_on=today, outcome="keep", reviewed_by=therapist
    )
    waiting = decision_services.talk_start(alliance=alliance, by=therapist, question="Q3?")
    decision_services.talk_defer(
        talk=waiting, by=therapist, reason="r", come_back_on=today + datetime.timedelta(days=7)
    )
    # Now every row that may still change gets a payload in every text field.
    for model in clinical_models():
        if model in INSERT_ONLY:
            continue
        for pk in model._base_manager.values_list("pk", flat=True):
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**_payloads(model))
            except DatabaseError:
                pass  # a signed note (PostgreSQL's trigger): it was written with payloads
    Goal.objects.filter(pk=goal.pk).update(review_interval_days=28)
    goal.versions.update(wording=dict.fromkeys(goal.wording(), ALL))
    return {"goal": goal, "decided": decided, "waiting": waiting, "signed": signed, "wrong": wrong}


def test_every_text_field_holds_a_payload(stored):
    missing = []
    for model in clinical_models():
        for field in text_fields(model):
            if not model._base_manager.filter(**{f"{field.name}__contains": "alert(1)"}).exists():
                missing.append(f"{model.__name__}.{field.name}")
    assert not missing


def _urls(world, therapist, stored) -> list[str]:
    urls = [_url(pattern, world, therapist) for pattern in PATTERNS.values()]
    goal, decided, waiting = stored["goal"], stored["decided"], stored["waiting"]
    for name, arg in [
        ("goal_detail", goal.id),
        ("goal_history", goal.id),
        ("portal_goal", goal.id),
        ("decision_talk", decided.id),
        ("decision_summary", decided.id),
        ("decision_review", decided.id),
        ("portal_decision", decided.id),
        ("decision_talk", waiting.id),
        ("portal_decision", waiting.id),
        ("session_detail", stored["signed"].id),
        ("session_detail", stored["wrong"].id),
        ("alliance_detail", world["other_alliance"].id),
    ]:
        urls.append(reverse(name, args=[arg]))
    return urls + [reverse("caseload") + "?status=ended", reverse("review") + "?sort=score"]


def assert_escaped(response, url, who):
    if not response["Content-Type"].startswith("text/html"):
        return
    page = response.text
    for marker in UNESCAPED:
        assert marker not in page, f"unescaped {marker!r} on {url} as {who}"


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_no_page_shows_a_payload_unescaped(role, stored, as_user, world, therapist):
    client = as_user(role)
    shown = 0
    for url in _urls(world, therapist, stored):
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        assert_escaped(response, url, role)
        shown += "&lt;script&gt;alert(1)" in response.text
    if role not in ("anonymous", "outsider"):
        assert shown, "the payloads were on some page, escaped"


def test_the_operators_admin_escapes_them_too(stored):
    operator = User.objects.create_superuser("ops@example.org", "an operator passphrase")
    client = Client()
    force_login_verified(client, operator)
    for model in clinical_models():
        if not admin.site.is_registered(model):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse("admin:{}_{}_changelist".format(*info))
        assert_escaped(client.get(url), url, "operator")
        for pk in model._base_manager.values_list("pk", flat=True)[:3]:
            url = reverse("admin:{}_{}_change".format(*info), args=[pk])
            assert_escaped(client.get(url), url, "operator")
