"""Reads through the access rule, compiled once per kind of reader: one record
(`RecordRead`), or a reader's rows of some kind (`ReaderRead`, the home page's lists).

Every record page and every save reads its record through the access rule
(`alliance.models.care.access_rule`). A therapist's rule and a patient's depend only on who
they are and on their clinic, so the read is compiled (`alliance.compiled_reads`) once for a
stand-in reader of that role, and run for any reader of the role with their own ids. The rule
itself builds the SQL, as it does for every other read. A supervisor's rule also depends on the
day in their clinic, and their reads, like those of anyone the rule lets see nothing, are the
ORM's own.
"""

import functools
from collections.abc import Callable

from django.core.exceptions import MultipleObjectsReturned
from django.db.models import QuerySet

from alliance.compiled_reads import CompiledRead
from alliance.models.care import Alliance
from alliance.models.users import Role, User

COMPILED_ROLES = (Role.THERAPIST, Role.PATIENT)


def _stand_in(role: str, user_id: int, clinic_id: int) -> User:
    """A reader the rule treats as it treats the real one: the same role, ids given."""
    reader = User(id=user_id, clinic_id=clinic_id, role=role, is_active=True)
    reader._state.adding = False
    return reader


class ReaderRead:
    """`build(reader, *keys)` is a queryset limited by the access rule to what `reader` may
    see; calling the read gives its rows, compiled once per kind of reader and run with the
    reader's own ids. Keys are those `CompiledRead` takes (ids, dates, datetimes)."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled = {role: CompiledRead(self._for(role)) for role in COMPILED_ROLES}

    def _for(self, role: str) -> Callable:
        def build(user_id: int, clinic_id: int, *keys) -> QuerySet:
            return self.build(_stand_in(role, user_id, clinic_id), *keys)

        build.__qualname__ = f"{self.build.__qualname__} ({role})"
        return build

    def __call__(self, user, *keys) -> list:
        covered = user.is_authenticated and user.is_active and user.clinic_id is not None
        if covered and user.role in self._compiled:
            return self._compiled[user.role](user.pk, user.clinic_id, *keys)
        return list(self.build(user, *keys))


class RecordRead:
    """`build(reader, record_id)` is the record's queryset as the page reads it (what it
    selects, what it annotates), limited to what `reader` may see by the access rule. Calling
    the read gives the record, or None when it is not in the caller's view."""

    def __init__(self, build: Callable[[User, object], QuerySet]):
        self.build = build

        def first_two(reader, record_id) -> QuerySet:
            return build(reader, record_id)[:2]

        first_two.__qualname__ = build.__qualname__
        self._rows = ReaderRead(first_two)

    def __call__(self, user, record_id):
        rows = self._rows(user, record_id)
        if len(rows) > 1:
            raise MultipleObjectsReturned(f"{self.build.__qualname__}: more than one record.")
        return rows[0] if rows else None


@functools.cache
def record_read(manager, related: tuple[str, ...]) -> RecordRead:
    """The read of one goal, talk or session (`manager` is its model's) with its alliance's
    patient, therapist and clinic, and `related`."""

    always = ("alliance__patient", "alliance__therapist", "alliance__clinic")

    def build(reader, record_id):
        return manager.visible_to(reader).select_related(*always, *related).filter(id=record_id)

    build.__qualname__ = f"record_read({manager.model.__name__})"
    return RecordRead(build)


def _alliance(reader, alliance_id) -> QuerySet:
    return (
        Alliance.objects.visible_to(reader)
        .select_related("patient__portal_user", "therapist", "clinic")
        .filter(id=alliance_id)
    )


alliance_read = RecordRead(_alliance)
