"""The demo the tests load is the demo `manage.py seed_demo` makes."""

import io
import json
from collections import Counter

from django.core.management import call_command
from django.db import models, transaction
from django.urls import reverse

from alliance.models import CaseloadStamp, Clinic, User
from sessions_log.models import Session
from tests.demo_rows import _tables, load_demo


def _contents() -> dict[str, Counter]:
    """Every table's rows, by the values that do not depend on ids or on the clock."""
    contents = {}
    for model in _tables():
        names = [
            field.attname
            for field in model._meta.local_concrete_fields
            if not field.primary_key
            and not field.is_relation
            and not isinstance(field, models.DateTimeField)
            and field.attname != "password"  # salted afresh each time
        ]
        rows = model._base_manager.values_list(*names) if names else model._base_manager.all()
        contents[model._meta.label] = Counter(
            json.dumps(row, sort_keys=True, default=str) if names else None
            for row in rows.iterator()
        )
    return contents


def test_the_loaded_demo_holds_what_seeding_makes(db, settings):
    settings.DEBUG = True
    with transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        seeded = _contents()
        stamps = CaseloadStamp.objects.count()
        transaction.set_rollback(True)
    assert not Clinic.objects.exists()

    load_demo()

    assert Session.objects.count() > 100
    assert _contents() == seeded
    # The triggers wrote the caseload stamps again as the rows went in.
    assert CaseloadStamp.objects.count() == stamps


def test_the_loaded_demo_is_complete_and_its_logins_work(demo_clinic, client, settings):
    settings.DEBUG = True
    counts = {model._meta.label: model._base_manager.count() for model in _tables()}

    call_command("seed_demo", stdout=io.StringIO())  # adds only what is missing

    assert {model._meta.label: model._base_manager.count() for model in _tables()} == counts
    assert client.login(email="therapist@demo.test", password="demo-pass-2026")
    response = client.get(reverse("caseload"))
    assert response.status_code == 200
    assert User.objects.get(email="therapist@demo.test").full_name in response.text
