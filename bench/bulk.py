"""Bulk loading into PostgreSQL with COPY, row by row from Python, in the models' own columns.

Each `Table` buffers rows as CSV and sends them with one COPY per batch. Columns come from the
model, so a field added later with a default is filled with that default: the generator
names only the fields it cares about.
"""

import csv
import datetime
import decimal
import io
import json
import uuid

from django.db import connection, models
from django.utils import timezone

NULL = r"\N"
BATCH = 20_000


def _encoder(field: models.Field):
    if isinstance(field, models.JSONField):
        return lambda value: NULL if value is None else json.dumps(value)
    if isinstance(field, models.BooleanField):
        return lambda value: NULL if value is None else ("t" if value else "f")

    def encode(value):
        if value is None:
            return NULL
        if isinstance(value, str):
            return value
        if isinstance(value, datetime.date | uuid.UUID | decimal.Decimal | int | float):
            return value.isoformat() if isinstance(value, datetime.date) else str(value)
        raise TypeError(f"{field.name}: cannot load {value!r}")

    return encode


class Table:
    def __init__(self, model, *, cursor):
        self.model = model
        self.cursor = cursor
        self.fields = list(model._meta.concrete_fields)
        self.encoders = [_encoder(f) for f in self.fields]
        self.rows = 0
        self._pending = 0
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")
        self._next_id = 1
        self._names = ", ".join(f'"{f.column}"' for f in self.fields)
        self._now = timezone.now()

    def next_id(self) -> int:
        """The next integer primary key (tables are loaded empty, then their sequences set)."""
        value = self._next_id
        self._next_id += 1
        return value

    def add(self, **values) -> None:
        row = []
        for field, encode in zip(self.fields, self.encoders, strict=True):
            value = values.get(field.attname, _MISSING)
            if value is _MISSING:
                value = self._default(field)
            row.append(encode(value))
        self._writer.writerow(row)
        self.rows += 1
        self._pending += 1
        if self._pending >= BATCH:
            self.flush()

    def _default(self, field: models.Field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self._now
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if field.blank and isinstance(field, models.CharField | models.TextField):
            return ""
        raise ValueError(f"{self.model.__name__}.{field.name} needs a value")

    def flush(self) -> None:
        if not self._pending:
            return
        self._buffer.seek(0)
        table = self.model._meta.db_table
        self.cursor.copy_expert(
            f"COPY \"{table}\" ({self._names}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')",
            self._buffer,
        )
        self._buffer.seek(0)
        self._buffer.truncate()
        self._pending = 0

    def reset_sequence(self) -> None:
        pk = self.model._meta.pk
        if not isinstance(pk, models.AutoField | models.BigAutoField):
            return
        # Names from the model's own metadata, never from input.
        table = self.model._meta.db_table
        self.cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk.column}'), "  # noqa: S608
            f'COALESCE((SELECT MAX("{pk.column}") FROM "{table}"), 0) + 1, false)'
        )


_MISSING = object()


class Loader:
    """The tables being loaded, on one connection with triggers off.

    `session_replication_role = replica` skips the foreign-key triggers (every reference is
    made by the generator itself) and the app's own triggers, which guard updates only.
    """

    def __init__(self):
        connection.ensure_connection()
        self.cursor = connection.connection.cursor()
        self.cursor.execute("SET session_replication_role = replica")
        self.tables: dict = {}

    def __getitem__(self, model) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, cursor=self.cursor)
        return self.tables[model]

    def finish(self) -> dict[str, int]:
        for table in self.tables.values():
            table.flush()
            table.reset_sequence()
        self.cursor.execute("SET session_replication_role = DEFAULT")
        return {t.model._meta.label: t.rows for t in self.tables.values()}
