"""The load's users and what each asks for: logged-in sessions made directly in the database,
draft notes to save, and the requests of every page (JSON, turned into Lua for wrk).

    python -m bench.prepare --out var/bench/targets
"""

import argparse
import json
import random
import secrets
import string
from pathlib import Path
from urllib.parse import urlencode

from bench import db

# The pages measured, in the order they run; "floor" is what each is compared with.
PAGES = [
    ("floor", "Floor (base template only)"),
    ("caseload", "Therapist home (caseload)"),
    ("patient", "Patient page"),
    ("note_save", "Saving a session note (autosave)"),
    ("review", "Supervisor caseload review"),
    ("portal", "Portal home"),
    ("admin", "Django admin patient list"),
]
CSRF_CHARS = string.ascii_letters + string.digits


def parse(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.prepare")
    parser.add_argument("--database-url", default=db.database_url())
    parser.add_argument("--out", default="var/bench/targets", help="path without extension")
    parser.add_argument("--portal-users", type=int, default=1000)
    parser.add_argument("--patient-pages", type=int, default=2000)
    parser.add_argument("--drafts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def login_cookies(users) -> dict[int, tuple[str, str]]:
    """A logged-in session per user, made by Django's own login() as the login page would
    (its signals set whatever the app keeps in a fresh session), without the password step.
    """
    from django.contrib.auth import login
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory
    from django_otp import login as otp_login

    from alliance import two_factor

    factory = RequestFactory(REMOTE_ADDR="127.0.0.1")
    cookies = {}
    for user in users:
        request = factory.post("/login/")
        request.session = SessionStore()
        request.user = AnonymousUser()  # login() puts the user here only if it is there
        login(request, user, backend="alliance.auth_backend.EmailBackend")
        if two_factor.second_step_needed(request):
            # Operators always pass a second step: as after a right code from their app.
            otp_login(request, _confirmed_app(user))
        request.session.save()
        csrf = "".join(secrets.choice(CSRF_CHARS) for _ in range(32))
        cookies[user.pk] = (request.session.session_key, csrf)
    return cookies


def _confirmed_app(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Authenticator app", defaults={"confirmed": True}
    )
    type(user).objects.filter(pk=user.pk).update(two_factor_on=True)
    return device


def _get(path: str, cookie: tuple[str, str]) -> dict:
    return {"method": "GET", "path": path, "cookie": f"sessionid={cookie[0]}"}


def draft_bodies(drafts, cookies) -> list[dict]:
    """A full note as the editor posts it, with progress on one goal; the revision goes last."""
    from django.utils import timezone

    from bench import texts
    from goals.models import Goal, Lifecycle

    entries = []
    for session in drafts:
        goal = (
            Goal.objects.filter(alliance=session.alliance, lifecycle_status=Lifecycle.ACTIVE)
            .order_by("created_at")
            .first()
        )
        fields = {
            "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "50",
            "modality": "in_person",
            "attendance": "attended",
            "note_format": "soap",
            "subjective": texts.SUBJECTIVE[0],
            "objective": texts.OBJECTIVE[0],
            "data": "",
            "assessment": texts.ASSESSMENT[0],
            "plan": texts.PLAN[0],
            "homework": texts.HOMEWORK[0],
            "next_steps": texts.NEXT_STEPS[0],
            "risk_level": "none",
            "risk_plan": "",
            "repair": "",
            "communication": "active_listening",
            "patient_centred": "shared_power",
            "private_note": "",
        }
        if goal is not None:
            prefix = f"goal-{goal.id}"
            fields |= {f"{prefix}-worked_on": "on", f"{prefix}-value": "2", f"{prefix}-comment": ""}
        key, csrf = cookies[session.alliance.therapist_id]
        entries.append(
            {
                "method": "POST",
                "path": f"/sessions/{session.id}/autosave/",
                "cookie": f"sessionid={key}; csrftoken={csrf}",
                "csrf": csrf,
                "body": urlencode(fields) + "&revision=",
                "revision": session.revision,
            }
        )
    return entries


def build(args) -> dict[str, list[dict]]:
    from django.utils import timezone

    from alliance.models import Alliance, Role, User
    from sessions_log.models import Session

    rng = random.Random(args.seed)
    therapists = list(User.objects.filter(role=Role.THERAPIST).order_by("pk"))
    supervisors = list(User.objects.filter(role=Role.SUPERVISOR).order_by("pk"))
    operators = list(User.objects.filter(is_superuser=True).order_by("pk"))
    portal = list(
        User.objects.filter(
            role=Role.PATIENT,
            patient_record__alliances__status=Alliance.Status.ACTIVE,
        )
        .distinct()
        .order_by("pk")
    )
    portal = rng.sample(portal, min(args.portal_users, len(portal)))
    cookies = login_cookies([*therapists, *supervisors, *operators, *portal])
    active = list(Alliance.objects.active().values_list("id", "therapist_id").order_by("id"))
    pages = rng.sample(active, min(args.patient_pages, len(active)))
    # Today's note on some current alliances, being written: the drafts that are saved.
    now = timezone.now().replace(second=0, microsecond=0)
    drafts = [
        Session.objects.create(
            alliance_id=alliance_id, created_by_id=therapist_id, starts_at=now, note_format="soap"
        )
        for alliance_id, therapist_id in rng.sample(active, min(args.drafts, len(active)))
    ]
    drafts = list(Session.objects.filter(pk__in=[d.pk for d in drafts]).select_related("alliance"))
    return {
        "floor": [_get("/bench/floor/", cookies[u.pk]) for u in therapists],
        "caseload": [_get("/caseload/", cookies[u.pk]) for u in therapists],
        "patient": [_get(f"/alliances/{a}/", cookies[t]) for a, t in pages],
        "note_save": draft_bodies(drafts, cookies),
        "review": [_get("/review/", cookies[u.pk]) for u in supervisors],
        "portal": [_get("/portal/", cookies[u.pk]) for u in portal],
        "admin": [_get("/admin/alliance/patient/", cookies[u.pk]) for u in operators],
    }


def main(argv=None) -> dict:
    args = parse(argv)
    db.setup_django(args.database_url)
    targets = build(args)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(targets))
    counts = {name: len(entries) for name, entries in targets.items()}
    print("prepare: " + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)
    return counts


if __name__ == "__main__":
    main()
