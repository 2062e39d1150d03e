"""Fast writes: bulk inserts for imports and demo seeding (COPY on PostgreSQL, executemany on
SQLite), and the few fixed statements that run on every request (:func:`insert_one`,
:func:`hot_cursor`, :func:`batch`).

Rows are tuples of Python values in the order of ``columns``; datetimes must be aware and JSON
columns are given as JSON text.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
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
    (defined on first use: psycopg is needed for PostgreSQL only).

    psycopg also keeps the translation of a statement's text (its ``%s`` placeholders found
    and numbered), but not for one of more than 50 parameters, such as a batch's: those are
    translated here once per text (the cursor only ever sees the few fixed texts of
    :func:`hot_cursor`)."""
    from django.db.backends.postgresql import base as postgresql
    from psycopg import _queries

    translate = getattr(_queries, "_query2pg_nocache", None)
    base: type = postgresql.ServerBindingCursor  # type: ignore[attr-defined]

    class PreparedCursor(base):  # type: ignore[misc]
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            kwargs.setdefault("prepare", True)
            return super().execute(query, params, **kwargs)

    if translate is None or not hasattr(_queries.PostgresQuery, "dump"):  # pragma: no cover
        return PreparedCursor  # another psycopg: its own translation for every statement

    translated = functools.lru_cache(maxsize=128)(translate)

    class FixedTextQuery(_queries.PostgresQuery):
        __slots__ = ()

        def convert(self, query: Any, vars: Any) -> None:
            if vars is None or not isinstance(query, str):
                super().convert(query, vars)
                return
            encoding = self._tx.encoding
            self.query, self._want_formats, self._order, self._parts = translated(
                query.encode(encoding), encoding
            )
            self.dump(vars)

    PreparedCursor._query_cls = FixedTextQuery
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
    # An empty date, time or amount is NULL whatever the database.
    models.DateField: (_NONE,),
    models.DateTimeField: (_NONE,),
    models.DecimalField: (_NONE,),
}
#: What psycopg takes as it is, where Django's conversion for PostgreSQL would hand the value
#: on unchanged (an aware datetime: a naive one takes the full path, which warns and makes it
#: aware).
_PLAIN_POSTGRESQL: dict[type[models.Field[Any, Any]], tuple[type, ...]] = {
    models.DateField: (dt.date, _NONE),
    models.DateTimeField: (dt.datetime, _NONE),
}
_AUTO = (models.AutoField, models.BigAutoField)
_DATES = (models.DateField, models.DateTimeField)


def _plain_types(field: models.Field[Any, Any], vendor: str = "") -> tuple[type, ...]:
    """The value types ``field`` stores unconverted on ``vendor``'s database, or () when every
    value is converted."""
    if type(field) in _DATES:
        if field.auto_now or field.auto_now_add:  # type: ignore[attr-defined]
            return ()
    elif type(field).pre_save is not models.Field.pre_save:  # a value of its own at save
        return ()
    if type(field) is models.ForeignKey:
        return (int, _NONE) if type(field.target_field) in _AUTO else (_NONE,)
    if vendor == "postgresql" and type(field) in _PLAIN_POSTGRESQL:
        return _PLAIN_POSTGRESQL[type(field)]
    return _PLAIN.get(type(field), ())


_Plan = list[tuple[Any, str, tuple[type, ...]]]  # (field, attribute, plain value types)
_INSERTS: dict[tuple[str, str, bool, bool], tuple[str, _Plan]] = {}


def _insert(
    obj: Any, db: BaseDatabaseWrapper, *, with_pk: bool = False, returning: bool = True
) -> tuple[str, list[Any]]:
    """The INSERT of ``obj`` and its values, the statement built once per model, database and
    form: ``with_pk``, the primary key given (else the database draws it); ``returning``, the
    statement returns the key it drew."""
    meta = obj._meta
    returning = returning and not with_pk
    key = (meta.label, db.vendor, with_pk, returning)
    prepared = _INSERTS.get(key)
    if prepared is None:
        fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
        quoted = ", ".join(db.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {db.ops.quote_name(meta.db_table)} ({quoted}) VALUES ({marks})"  # noqa: S608
        if returning:
            sql += f" RETURNING {db.ops.quote_name(meta.pk.column)}"
        plan = [(f, f.attname, _plain_types(f, db.vendor)) for f in fields]
        prepared = _INSERTS[key] = (sql, plan)
    sql, plan = prepared
    values = []
    for field, attname, plain in plan:
        if plain:
            value = getattr(obj, attname)
            kind = type(value)
            # Exact types: a bool is not an int here, nor a datetime a date.
            if kind in plain and (kind is not dt.datetime or value.tzinfo is not None):
                values.append(value)
                continue
        values.append(field.get_db_prep_save(field.pre_save(obj, add=True), db))
    return sql, values


def insert_one(obj: Any) -> Any:
    """INSERT one new model instance with a statement built once per model and database.

    What ``Model.save()`` does for a plain new row (field defaults, ``auto_now``, each value
    converted for the database) without compiling the query again on every call: for rows
    written on every request (a new report, its first event, an idempotency record). Sends no
    signals (none are used for these models). Returns ``obj`` with its primary key set.
    """
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-thread proxy
    sql, values = _insert(obj, db)
    with hot_cursor(db) as cursor:
        cursor.execute(sql, values)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = db.alias
    return obj


# --------------------------------------------------------------------------- batches

#: Primary keys drawn from a table's sequence at a time, kept by the process for its next new
#: rows (as PostgreSQL's own ``CACHE`` of a sequence does per session): a row's key then costs
#: no round trip of its own. Keys are unique as ever, but rows filed by different processes no
#: longer get them in the order they were written, and a process that ends leaves its unused
#: keys as a gap.
ID_BLOCK = 20
_IDS: dict[tuple[str, str, str], list[int]] = {}
_ID_LOCK = threading.Lock()
_SEQUENCES: dict[tuple[str, str, str], str] = {}
_JOINED: dict[tuple[str, ...], str] = {}
_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE: no transaction begun on the connection


@contextmanager
def _before_any_transaction(db: BaseDatabaseWrapper) -> Iterator[None]:
    """Run the statement inside in autocommit when the open transaction has sent nothing yet:
    then psycopg sends no BEGIN for it (and, when nothing else follows, no COMMIT either)."""
    db.ensure_connection()
    raw = db.connection
    idle = not raw.autocommit and raw.pgconn.transaction_status == _IDLE
    if idle:
        raw.autocommit = True
    try:
        yield
    finally:
        if idle and raw.pgconn.transaction_status == _IDLE:  # (a broken one is left as is)
            raw.autocommit = False


class Batch:
    """Statements of one transaction sent to PostgreSQL as one, when they are needed.

    Filing a report through the API writes six rows (the report, its first event, the outbox
    row, the audit entry and its chain's head, the idempotency record); each round trip to the
    database cost both sides more than the row itself. A batch keeps the statements it is
    given and sends them together as one statement (each a data-modifying ``WITH`` part),
    either when the batch ends or just before any other statement runs on the connection, so
    that every other statement sees them as if each had run on its own, in order.

    Rules for what goes in: plain INSERT, UPDATE or DELETE statements without a ``WITH`` of
    their own, whose result nobody reads, no two of them changing the same row (the parts of
    one statement share one snapshot and run in no given order; foreign keys are checked at
    commit, as Django creates them). A new row's primary key is drawn beforehand
    (:meth:`insert`).

    When the batch is all its transaction sends (:func:`atomic`), the statement runs in
    autocommit: one statement is atomic by itself, and neither BEGIN nor COMMIT is sent.

    On SQLite (which sends no statements over a network) each statement runs at once.
    """

    def __init__(self, db: BaseDatabaseWrapper, *, alone: bool = False) -> None:
        self.db = db
        self.deferring = db.vendor == "postgresql"
        #: Nothing but this batch runs in its transaction before the commit (see atomic()).
        self.alone = alone
        self.statements: list[tuple[str, Sequence[Any]]] = []
        self.sent = 0  # statements sent so far

    @property
    def position(self) -> int:
        """How many statements the batch was given so far (for :meth:`discard`)."""
        return self.sent + len(self.statements)

    def add(self, sql: str, params: Sequence[Any]) -> None:
        """Run ``sql`` with ``params`` as part of the batch (see the class's rules)."""
        if not self.deferring:
            with hot_cursor(self.db) as cursor:
                cursor.execute(sql, params)
            return
        if not self.statements:
            self.db.execute_wrappers.append(self._before_others)
        self.statements.append((sql, params))

    def insert(self, obj: Any, *, pk: bool = True) -> Any:
        """INSERT the new model instance ``obj`` as :func:`insert_one` does, in the batch.

        With ``pk`` (the default) its primary key is drawn from the table's sequence first
        (:data:`ID_BLOCK` at a time, outside the transaction when it has not begun: a sequence
        is never rolled back anyway), so that what follows can name the row; ``pk=False``
        leaves it unset for a row nothing refers to."""
        if not self.deferring:
            return insert_one(obj)
        if pk and obj.pk is None:
            obj.pk = self._next_id(obj._meta.db_table)
        sql, values = _insert(obj, self.db, with_pk=obj.pk is not None, returning=False)
        self.add(sql, values)
        obj._state.adding = False
        obj._state.db = self.db.alias
        return obj

    def _next_id(self, table: str) -> int:
        key = (self.db.alias, str(self.db.settings_dict["NAME"]), table)
        with _ID_LOCK:
            drawn = _IDS.get(key)
            if drawn:
                return drawn.pop()
        self.flush()  # what waits goes first, in the transaction
        sql = _SEQUENCES.get(key)
        if sql is None:
            with _before_any_transaction(self.db), self.db.cursor() as cursor:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                name = cursor.fetchone()[0]
            sql = _SEQUENCES[key] = (
                "SELECT nextval('{}'::regclass) FROM generate_series(1, {})".format(  # noqa: S608
                    name.replace("'", "''"), ID_BLOCK
                )
            )
        with _before_any_transaction(self.db), hot_cursor(self.db) as cursor:
            cursor.execute(sql)
            fresh = sorted((row[0] for row in cursor.fetchall()), reverse=True)
        with _ID_LOCK:
            drawn = _IDS.setdefault(key, [])
            drawn[:0] = fresh  # taken from the end: the lowest first
            return drawn.pop()

    def _before_others(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,  # noqa: FBT001 - Django's signature of an execute wrapper
        context: Any,
    ) -> Any:
        """An execute wrapper (Django's): what waits goes before any other statement."""
        self.flush()
        return execute(sql, params, many, context)

    def discard(self, position: int = 0) -> None:
        """Forget the waiting statements given after ``position`` (they are not to be written;
        those already sent are the transaction's to roll back)."""
        del self.statements[max(position - self.sent, 0) :]
        if not self.statements and self._before_others in self.db.execute_wrappers:
            self.db.execute_wrappers.remove(self._before_others)

    def flush(self, *, last: bool = False) -> None:
        """Send what is waiting, as one statement; ``last``: nothing else follows in the
        transaction before its commit."""
        statements = self.statements
        if not statements:
            return
        self.statements = []
        self.sent += len(statements)
        self.db.execute_wrappers.remove(self._before_others)
        texts = tuple(sql for sql, _params in statements)
        sql = _JOINED.get(texts)
        if sql is None:
            parts = [f"b{i} AS ({text})" for i, text in enumerate(texts[:-1])]
            sql = f"WITH {', '.join(parts)} {texts[-1]}" if parts else texts[0]
            if len(_JOINED) < 256:
                _JOINED[texts] = sql
        params = [value for _sql, values in statements for value in values]
        if last and self.alone:
            with _before_any_transaction(self.db), hot_cursor(self.db) as cursor:
                cursor.execute(sql, params)
        else:
            with hot_cursor(self.db) as cursor:
                cursor.execute(sql, params)


@contextmanager
def batch() -> Iterator[Batch]:
    """A :class:`Batch` on the default database, sent when the block ends; inside another
    batch's block, that batch (sent when it ends). Only inside ``transaction.atomic()``, and a
    batch is given statements only in its own block: those given in a block that raises are
    dropped, as a savepoint would drop them."""
    db = connections[DEFAULT_DB_ALIAS]
    if not db.in_atomic_block:
        raise RuntimeError("bulk.batch() must be used inside transaction.atomic()")
    outer: Batch | None = getattr(db, "_satupintu_batch", None)
    if outer is not None:
        start = outer.position
        try:
            yield outer
        except BaseException:
            outer.discard(start)
            raise
        return
    current = db._satupintu_batch = Batch(db)  # type: ignore[attr-defined]
    try:
        yield current
        current.flush(last=True)
    except BaseException:
        current.discard()
        raise
    finally:
        db._satupintu_batch = None  # type: ignore[attr-defined]


@contextmanager
def atomic(*, savepoint: bool = True) -> Iterator[Batch]:
    """``transaction.atomic(savepoint=...)`` with a batch sent just before its commit: the
    frame of a write whose rows go through the batch. When this is the outermost transaction
    and nothing else ran in it, the batch is the whole transaction: one statement, without
    BEGIN and COMMIT."""
    db = connections[DEFAULT_DB_ALIAS]
    outermost = not db.in_atomic_block and getattr(db, "_satupintu_batch", None) is None
    with transaction.atomic(using=db.alias, savepoint=savepoint), batch() as found:
        if outermost:  # (a batch of its own: no other batch was open)
            found.alone = True
        yield found
