"""Reads of one record's rows, built and compiled by the ORM once, then run for any record.

The patient page and the portal list a record's goals, sessions, ratings and alerts on every
first visit. Each list is one small, indexed query, and the ORM spent about twice as long building
and compiling it as the database took to answer. A `CompiledRead` builds its queryset once per
database connection (so per thread and per database), for a stand-in key; every later run
puts the real key where the stand-in's parameters were, runs the same SQL, and passes the
rows back through the same compiler, so each value is converted exactly as the ORM converts
it. The SQL is the ORM's own: nothing here writes SQL.

`build(key)` returns a queryset whose only varying value is `key` (a UUID): no clock, no
user, no prefetch. A build that does not use its key is refused. A `values()` read gives
dicts; a read of a model gives instances, with what they select_related and their
annotations, made as the ORM makes them.
"""

import uuid
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet, UUIDField
from django.db.models.query import ModelIterable, get_related_populators

# A key no record has: where its parameters land in the SQL is where a real key goes.
STAND_IN = uuid.UUID("5e7a11d0-0000-4000-8000-00000000c0de")
_KEY_FIELD = UUIDField()
_CACHE_ATTRIBUTE = "_alliance_compiled_reads"


class CompiledRead:
    def __init__(self, build: Callable[[uuid.UUID], QuerySet]):
        self.build = build

    def _compiled(self, connection):
        cache = connection.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
        compiled = cache.get(self)
        if compiled is None:
            queryset = self.build(STAND_IN)
            if queryset._prefetch_related_lookups or queryset._known_related_objects:
                raise ImproperlyConfigured(f"{self.build.__qualname__}: one query, no prefetch.")
            query = queryset.query
            compiler = query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            marker = _KEY_FIELD.get_db_prep_value(STAND_IN, connection)
            slots = [index for index, value in enumerate(params) if value == marker]
            if not slots:
                raise ImproperlyConfigured(f"{self.build.__qualname__} does not use its key.")
            if issubclass(queryset._iterable_class, ModelIterable):
                make = _instances(compiler, connection.alias)
            else:
                make = _rows(query)
            compiled = cache[self] = (compiler, sql, tuple(params), slots, make)
        return compiled

    def __call__(self, key: uuid.UUID, using: str = DEFAULT_DB_ALIAS) -> list:
        """The rows for `key`: dicts for a values() read, model instances (with what they
        select_related and their annotations) for a read of a model."""
        connection = connections[using]
        compiler, sql, params, slots, make = self._compiled(connection)
        params = list(params)
        value = _KEY_FIELD.get_db_prep_value(key, connection)
        for index in slots:
            params[index] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:  # columns the ORM adds for ordering, never returned
            rows = [row[: compiler.col_count] for row in rows]
        return [make(row) for row in compiler.results_iter([rows])]


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
