"""Fast writes: bulk inserts for imports and demo seeding (COPY on PostgreSQL, executemany on
SQLite), and the few fixed statements that run on every request (:func:`insert_one`,
:func:`hot_cursor`).

Rows are tuples of Python values in the order of ``columns``; datetimes must be aware and JSON
columns are given as JSON text.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` into ``table`` in the caller's transaction; returns the row count."""
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            batch = [[_sqlite_value(v) for v in row] for row in rows]
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})",  # noqa: S608
                batch,
            )
            count = len(batch)
    return count


def reserve_ids(table: str, n: int) -> list[int]:
    """``n`` fresh primary keys for ``table`` (call inside the transaction that inserts them)."""
    if n <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, n],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the IMMEDIATE transaction holds the write lock, so max(id) cannot move.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + n))


@functools.cache
def _prepared_cursor_class() -> type:
    """A psycopg cursor that binds parameters on the server and prepares every statement
    (defined on first use: psycopg is needed for PostgreSQL only)."""
    from django.db.backends.postgresql import base as postgresql

    class PreparedCursor(postgresql.ServerBindingCursor):  # type: ignore[misc, name-defined]
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            kwargs.setdefault("prepare", True)
            return super().execute(query, params, **kwargs)

    return PreparedCursor


def hot_cursor(db: BaseDatabaseWrapper | None = None) -> CursorWrapper:
    """A cursor for statements of fixed text that run on every request (a new report, its
    first event, the outbox row, the audit entry, the idempotency record).

    On PostgreSQL these statements are prepared once per connection: parsing, analysing and
    planning them anew each time was about a third of the database's work for a new report.
    Only what runs through this cursor is prepared (Django's own cursors bind on the client
    and never prepare), and only where the connection allows it: ``prepare_threshold`` is set
    in the settings, and ``SATUPINTU_DB_PREPARED=0`` turns it off (e.g. behind a pooler in
    transaction mode without prepared-statement support). Elsewhere an ordinary cursor, and
    also while queries are logged (``DEBUG``, a test counting them), so that the log shows
    each statement with its values.
    """
    db = db or connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.queries_logged:
        return db.cursor()
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    with db.wrap_database_errors:
        raw = _prepared_cursor_class()(db.connection)
    return db.make_cursor(raw)


#: The value types that a field of these classes stores as they are: Django's per-field
#: conversion is skipped for them (any other value takes the full path).
_NONE = type(None)
_PLAIN: dict[type[models.Field[Any, Any]], tuple[type, ...]] = {
    models.CharField: (str, _NONE),
    models.TextField: (str, _NONE),
    models.BooleanField: (bool, _NONE),
    models.IntegerField: (int, _NONE),
    models.BigIntegerField: (int, _NONE),
    models.SmallIntegerField: (int, _NONE),
    models.PositiveIntegerField: (int, _NONE),
    models.PositiveSmallIntegerField: (int, _NONE),
}
_AUTO = (models.AutoField, models.BigAutoField)


def _plain_types(field: models.Field[Any, Any]) -> tuple[type, ...]:
    """The value types ``field`` stores unconverted, or () when every value is converted."""
    if type(field).pre_save is not models.Field.pre_save:  # auto_now and the like
        return ()
    if type(field) is models.ForeignKey and type(field.target_field) in _AUTO:
        return (int, _NONE)
    return _PLAIN.get(type(field), ())


_Plan = list[tuple[Any, str, tuple[type, ...]]]  # (field, attribute, plain value types)
_INSERTS: dict[tuple[str, str], tuple[str, _Plan]] = {}


def insert_one(obj: Any) -> Any:
    """INSERT one new model instance with a statement built once per model and database.

    What ``Model.save()`` does for a plain new row (field defaults, ``auto_now``, each value
    converted for the database) without compiling the query again on every call: for rows
    written on every request (a new report, its first event, an idempotency record). Sends no
    signals (none are used for these models). Returns ``obj`` with its primary key set.
    """
    meta = obj._meta
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-thread proxy
    key = (meta.label, db.vendor)
    prepared = _INSERTS.get(key)
    if prepared is None:
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        quoted = ", ".join(db.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = (
            f"INSERT INTO {db.ops.quote_name(meta.db_table)} ({quoted}) "  # noqa: S608
            f"VALUES ({marks}) RETURNING {db.ops.quote_name(meta.pk.column)}"
        )
        plan = [(f, f.attname, _plain_types(f)) for f in fields]
        prepared = _INSERTS[key] = (sql, plan)
    sql, plan = prepared
    values = []
    for field, attname, plain in plan:
        if plain:
            value = getattr(obj, attname)
            if type(value) in plain:  # exact types: a bool is not an int here
                values.append(value)
                continue
        values.append(field.get_db_prep_save(field.pre_save(obj, add=True), db))
    with hot_cursor(db) as cursor:
        cursor.execute(sql, values)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = db.alias
    return obj
