"""The demo clinic for tests, built by `seed_demo` once and then put back row for row.

Seeding the demo goes through the services (signing notes, recording ratings, raising alerts),
some five thousand statements. Tests that read the demo get the same rows, written straight
back into their own transaction: the first such test seeds inside a savepoint, keeps every
row the seed added, and rolls the savepoint back.

Load the demo before a test creates anything else: on SQLite the ids the seed used are handed
out again once its savepoint is rolled back. A clash fails loudly with an integrity error.
"""

import zoneinfo

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from alliance import demo

# The zones of the demo's clinics: their "today" decides every date the demo writes.
_ZONES = ("Europe/London", "America/Toronto")
_FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Rows the database's own triggers write as the others go in (alliance.caseload_triggers).
MADE_BY_TRIGGERS = {"alliance.CaseloadStamp"}
_kept: dict[tuple, list] = {}


def _tables():
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.label not in MADE_BY_TRIGGERS:
            yield model


def _key() -> tuple:
    now = timezone.now()
    days = tuple(now.astimezone(zoneinfo.ZoneInfo(zone)).date() for zone in _ZONES)
    return (connection.vendor, connection.settings_dict["NAME"], *days)


def _seeded_rows() -> list[tuple[type, list]]:
    """Seed inside a savepoint, keep what it added, and roll it back."""
    before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in _tables()}
    with override_settings(DEBUG=True, PASSWORD_HASHERS=_FAST_HASHER), transaction.atomic():
        demo.seed_demo()
        added = []
        for model, kept in before.items():
            rows = [row for row in model._base_manager.all() if row.pk not in kept]
            if rows:
                added.append((model, rows))
        transaction.set_rollback(True)
    return added


def _insert(model, rows) -> None:
    fields = model._meta.local_concrete_fields
    size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    for start in range(0, len(rows), size):
        # raw: the values are written as the seed left them (no auto_now, no signals).
        model._base_manager._insert(rows[start : start + size], fields=fields, raw=True)


def load_demo() -> None:
    """Write the demo clinic into the current test's database."""
    key = _key()
    if key not in _kept:
        _kept.clear()
        _kept[key] = _seeded_rows()
    added = _kept[key]
    # One transaction: the tables go in in no particular order, so each row's references are
    # checked at its end (a test without a wrapping transaction included).
    with transaction.atomic():
        for model, rows in added:
            _insert(model, rows)
        if connection.vendor == "postgresql":
            models = [model for model, _ in added]
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)


@pytest.fixture
def demo_clinic(db) -> None:
    """The demo clinic, exactly as `manage.py seed_demo` leaves a new database."""
    load_demo()
