"""Reads of a record's rows, built and compiled by the ORM once, then run for any record.

The patient page and the portal list a record's goals, sessions, ratings and alerts on every
first visit. Each list is one small, indexed query, and the ORM spent about twice as long building
and compiling it as the database took to answer. A `CompiledRead` builds its queryset once per
database connection (so per thread and per database) and shape of keys, for stand-in keys; every
later run puts the real keys where the stand-ins' parameters were, runs the same SQL, and passes
the rows back through the same compiler, so each value is converted exactly as the ORM converts
it. The SQL is the ORM's own: nothing here writes SQL.

`build(*keys)` returns a queryset whose only varying values are its keys: no clock, no user, no
prefetch. A key is a UUID, an integer, a date, a datetime, or a list of UUIDs (a read per
length of list, up to `LONGEST_LIST`; a longer or empty list is read by the ORM itself, as is
a key of any other kind). The build is compiled twice, with two sets of stand-ins; one that
does not use a key, or uses it in some other form than as a parameter of its own (its text,
a day later), is refused. A `values()` read gives dicts; a read of a model gives instances,
with what they select_related and their annotations, made as the ORM makes them. On
PostgreSQL each is prepared once per database session (`alliance.prepared_reads`).
"""

import datetime
import uuid
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import DateField, DateTimeField, IntegerField, QuerySet, UUIDField
from django.db.models.query import ModelIterable, get_related_populators
from django.db.transaction import TransactionManagementError

from alliance import prepared_reads

LONGEST_LIST = 16
_CACHE_ATTRIBUTE = "_alliance_compiled_reads"
_EPOCH = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)


# For each kind of key: the field that makes it a parameter, and the n-th stand-in of a set.
# Stand-ins are values no record has. The two sets differ by an amount that grows with the
# position, so a value derived from one key (a key plus a day) can never fall on another
# key's stand-in in both sets.
def _step(n: int, set_: int) -> int:
    return 1000 * n + set_ * 7 * (n + 1)


_KINDS = {
    uuid.UUID: (UUIDField(), lambda n, set_: uuid.UUID(int=(0x5E7A11D0 << 96) + _step(n, set_))),
    int: (IntegerField(), lambda n, set_: -(7_000_000_000 + _step(n, set_))),
    datetime.datetime: (
        DateTimeField(),
        lambda n, set_: _EPOCH + datetime.timedelta(days=_step(n, set_)),
    ),
    datetime.date: (
        DateField(),
        lambda n, set_: _EPOCH.date() + datetime.timedelta(days=_step(n, set_)),
    ),
}


def _shape(keys: tuple) -> tuple | None:
    """Each key's kind (a list's is its length), or None when the ORM should read it itself."""
    shape = []
    for key in keys:
        if isinstance(key, list | tuple):
            if not 0 < len(key) <= LONGEST_LIST or any(type(k) is not uuid.UUID for k in key):
                return None
            shape.append(len(key))
        elif type(key) in _KINDS and not (type(key) is datetime.datetime and key.tzinfo is None):
            shape.append(type(key))
        else:
            return None
    return tuple(shape)


def _flat(shape: tuple, keys: tuple) -> list:
    values = []
    for kind, key in zip(shape, keys, strict=True):
        values.extend(key if isinstance(kind, int) else [key])
    return values


def _kinds(shape: tuple) -> list:
    kinds = []
    for kind in shape:
        kinds.extend([uuid.UUID] * kind if isinstance(kind, int) else [kind])
    return kinds


def _stand_ins(shape: tuple, set_: int) -> tuple:
    position, keys = 0, []
    for kind in shape:
        if isinstance(kind, int):
            keys.append([_KINDS[uuid.UUID][1](position + n, set_) for n in range(kind)])
            position += kind
        else:
            keys.append(_KINDS[kind][1](position, set_))
            position += 1
    return tuple(keys)


class CompiledRead:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build

    def _queryset(self, keys: tuple) -> QuerySet:
        queryset = self.build(*keys)
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ImproperlyConfigured(f"{self.build.__qualname__}: one query, no prefetch.")
        return queryset

    def _compiled(self, connection, shape: tuple):
        cache = connection.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
        compiled = cache.get((self, shape))
        if compiled is not None:
            return compiled
        kinds = _kinds(shape)
        prepared = []
        for set_ in (0, 1):
            queryset = self._queryset(_stand_ins(shape, set_))
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            markers = [
                _KINDS[kind][0].get_db_prep_value(value, connection)
                for kind, value in zip(kinds, _flat(shape, _stand_ins(shape, set_)), strict=True)
            ]
            prepared.append((queryset, compiler, sql, list(params), markers))
        (queryset, compiler, sql, params, markers), (_, _, other_sql, other_params, others) = (
            prepared
        )
        slots = [[i for i, value in enumerate(params) if value == m] for m in markers]
        same = sql == other_sql and len(params) == len(other_params)
        for key_slots, other in zip(slots, others, strict=True):
            same = same and bool(key_slots) and all(other_params[i] == other for i in key_slots)
        taken = {i for key_slots in slots for i in key_slots}
        same = same and all(
            params[i] == other_params[i] for i in range(len(params)) if i not in taken
        )
        if not same:
            raise ImproperlyConfigured(
                f"{self.build.__qualname__} does not use its key as a parameter of its own."
            )
        if issubclass(queryset._iterable_class, ModelIterable):
            make = _instances(compiler, connection.alias)
        else:
            make = _rows(queryset.query)
        name = prepared_reads.new_name()
        convert = _converter(compiler)
        locks = bool(queryset.query.select_for_update) and _locks_rows(connection)
        compiled = (compiler, sql, tuple(params), slots, kinds, make, name, convert, locks)
        cache[(self, shape)] = compiled
        return compiled

    def __call__(self, *keys, using: str = DEFAULT_DB_ALIAS) -> list:
        """The rows for `keys`: dicts for a values() read, model instances (with what they
        select_related and their annotations) for a read of a model."""
        shape = _shape(keys)
        if shape is None:
            return list(self._queryset(keys).using(using))
        connection = connections[using]
        compiler, sql, stand_ins, slots, kinds, make, name, convert, locks = self._compiled(
            connection, shape
        )
        if locks and connection.get_autocommit():
            # As the ORM refuses it: a lock outside a transaction would end with the read.
            raise TransactionManagementError(
                f"{self.build.__qualname__} locks its rows: read it inside transaction.atomic()."
            )
        params = list(stand_ins)
        for key_slots, kind, key in zip(slots, kinds, _flat(shape, keys), strict=True):
            value = _KINDS[kind][0].get_db_prep_value(key, connection)
            for index in key_slots:
                params[index] = value
        with connection.cursor() as cursor:
            cursor.execute(prepared_reads.statement(connection, name, sql, stand_ins), params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:  # columns the ORM adds for ordering, never returned
            rows = [row[: compiler.col_count] for row in rows]
        return [make(row) for row in convert(rows)]


def _locks_rows(connection) -> bool:
    features = connection.features
    return features.has_select_for_update and features.supports_transactions


def _converter(compiler) -> Callable:
    """What `results_iter` does to fetched rows, with the converters found once: each value
    converted as the ORM converts it (decimals, dates, JSON)."""
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    if compiler.has_composite_fields(fields):
        return lambda rows: compiler.results_iter([rows])
    converters = compiler.get_converters(fields)
    if not converters:
        return lambda rows: rows
    return lambda rows: compiler.apply_converters(rows, converters)


def _rows(query) -> Callable:
    # The columns' names in the order the ORM's own values() rows give them.
    if query.selected:
        names = list(query.selected)
    else:
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
    return lambda row: dict(zip(names, row, strict=True))


def _instances(compiler, alias: str) -> Callable:
    """Model instances from rows, as the ORM's ModelIterable makes them."""
    select, klass_info = compiler.select, compiler.klass_info
    annotations = compiler.annotation_col_map.items()
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    attnames = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, alias)

    def make(row):
        instance = model.from_db(alias, attnames, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        for name, position in annotations:
            setattr(instance, name, row[position])
        return instance

    return make
