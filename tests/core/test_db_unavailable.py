"""The database out of reach (core/outage.py): 503 with Retry-After at every door, in each
door's own shape, nothing stored, and the next request after recovery served without a restart.

The outage is simulated where Django meets the driver: connecting raises the driver's own
error, wrapped by Django as it wraps a refused connection. On PostgreSQL the tests at the end
also refuse for real (a closed port), drop a live connection from the server side, and make
the server read-only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import (
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    connection,
)
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from satupintu.api import keys
from satupintu.complaints.models import Report
from satupintu.core import health, outage
from satupintu.core.errors import Door, Unavailable, http_status
from tests.api.conftest import Api, _clean, report_body  # noqa: F401 - the API's clean slate
from tests.conftest import City, postgres_only
from tests.open311.conftest import xml
from tests.portal.conftest import report_data

MESSAGE = "Layanan sedang tidak dapat menjangkau basis data; coba lagi sebentar lagi."
RETRY = str(Unavailable.retry_after)


def _refuse(self: BaseDatabaseWrapper) -> None:
    """What connecting does while the server is down: the driver's error, wrapped by Django."""
    with self.wrap_database_errors:
        raise self.Database.OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )


@contextmanager
def database_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", _refuse)
        yield


@pytest.fixture
def gateway_key(city: City) -> str:
    return keys.apikey_create(actor="test", name="gateway-sms")[1]


@pytest.fixture
def watcher_key(city: City) -> str:
    return keys.apikey_create(actor="test", name="dasbor", scopes=["read"])[1]


def assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == RETRY


# --------------------------------------------------------------------------- which errors


def _wrapped(driver_error: Exception) -> Error:
    try:
        with connection.wrap_database_errors:
            raise driver_error
    except Error as exc:
        return exc
    raise AssertionError("not wrapped")


def test_outages_are_told_from_bugs_and_bad_input(db: Any) -> None:
    database = connection.Database
    assert outage.is_outage(_wrapped(database.OperationalError("server closed the connection")))
    assert outage.is_outage(_wrapped(database.InterfaceError("connection already closed")))
    assert outage.is_outage(OperationalError("refused")) and outage.is_outage(InterfaceError())
    for bug in (IntegrityError("dup"), DataError("too long"), ProgrammingError("syntax")):
        assert not outage.is_outage(bug)
    # A query naming a table that does not exist: an OperationalError on SQLite, a
    # ProgrammingError on PostgreSQL, and a bug on both.
    with pytest.raises(Error) as missing, connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_here")
    assert not outage.is_outage(missing.value)
    assert outage.as_unavailable(ValueError("not a database error")) is None
    assert http_status(Unavailable(MESSAGE), Door.API) == 503


def test_sqlite_busy_and_read_only_are_outages_its_generic_error_is_not() -> None:
    def sqlite_error(code: int) -> OperationalError:
        cause = sqlite3.OperationalError("database is locked")
        cause.sqlite_errorcode = code  # type: ignore[attr-defined]
        exc = OperationalError(str(cause))
        exc.__cause__ = cause
        return exc

    assert outage.is_outage(sqlite_error(5))  # SQLITE_BUSY: a lock wait timed out
    assert outage.is_outage(sqlite_error(8))  # SQLITE_READONLY
    assert outage.is_outage(sqlite_error(10 | 3 << 8))  # an extended SQLITE_IOERR
    assert not outage.is_outage(sqlite_error(1))  # SQLITE_ERROR: no such table, bad SQL


@postgres_only
def test_postgres_read_only_and_lock_timeouts_are_outages(db: Any) -> None:
    import psycopg.errors as pg

    assert outage.is_outage(_wrapped(pg.ReadOnlySqlTransaction("read-only transaction")))
    assert outage.is_outage(_wrapped(pg.LockNotAvailable("lock timeout")))
    assert outage.is_outage(_wrapped(pg.AdminShutdown("terminating connection")))
    assert not outage.is_outage(_wrapped(pg.InternalError("some other internal error")))
    assert not outage.is_outage(_wrapped(pg.ProgramLimitExceeded("too many columns")))
    assert not outage.is_outage(_wrapped(pg.UniqueViolation("duplicate key")))


# --------------------------------------------------------------------------- each door


@pytest.mark.django_db
def test_api_answers_503_in_its_error_shape_and_stores_nothing(
    city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = Report.objects.count()
    api = Api()
    with database_down(monkeypatch):
        listed = api.get("/categories")
        filed = api.post("/reports", report_body(), {"Idempotency-Key": "outage-1"})
        english = Api(**{"Accept-Language": "en"}).get("/categories")
    for response in (listed, filed):
        assert_unavailable(response)
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {
            "error": {"code": "unavailable", "message": MESSAGE, "fields": {}}
        }
    assert_unavailable(english)
    assert english.json()["error"]["code"] == "unavailable"

    assert Report.objects.count() == before
    assert api.get("/categories").status_code == 200
    again = api.post("/reports", report_body(), {"Idempotency-Key": "outage-1"})
    assert again.status_code == 201, again.content
    assert Report.objects.count() == before + 1


@pytest.mark.django_db
def test_api_keys_are_looked_up_again_after_the_outage(
    watcher_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    watcher = Api(watcher_key)
    with database_down(monkeypatch):
        assert_unavailable(watcher.get("/reports"))
    assert watcher.get("/reports").status_code == 200


@pytest.mark.django_db
def test_open311_answers_503_in_the_spec_error_format(
    city: City, gateway_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    before = Report.objects.count()
    form = {
        "api_key": gateway_key,
        "service_code": city.waste.code,
        "lat": "-6.402500",
        "long": "106.818000",
        "description": "Sampah menumpuk di pinggir jalan sejak seminggu.",
    }
    with database_down(monkeypatch):
        as_json = client.get("/open311/v2/services.json")
        as_xml = client.get("/open311/v2/requests.xml")
        filed = client.post("/open311/v2/requests.json", form)
    for response in (as_json, filed):
        assert_unavailable(response)
        assert json.loads(response.content) == [{"code": 503, "description": MESSAGE}]
    assert_unavailable(as_xml)
    root = xml(as_xml)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "503"
    assert root.findtext("error/description") == MESSAGE

    assert Report.objects.count() == before
    assert client.get("/open311/v2/services.json").status_code == 200
    again = client.post("/open311/v2/requests.json", form)
    assert again.status_code == 200, again.content
    assert Report.objects.count() == before + 1


@pytest.mark.django_db
def test_portal_answers_a_friendly_503_page_and_stores_nothing(
    city: City, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    before = Report.objects.count()
    for debug in (False, True):  # never a traceback, whatever DEBUG says
        settings.DEBUG = debug
        with database_down(monkeypatch):
            listing = client.get("/laporan/")
            filed = client.post("/lapor/", report_data(city))
        for response in (listing, filed):
            assert_unavailable(response)
            assert response["Cache-Control"] == "no-store"
            page = response.content.decode()
            assert "Layanan sementara tidak tersedia" in page
            assert "Traceback" not in page
    assert Report.objects.count() == before
    assert client.get("/laporan/").status_code == 200
    assert client.post("/lapor/", report_data(city)).status_code == 302
    assert Report.objects.count() == before + 1


@pytest.mark.django_db
def test_desk_pages_of_a_signed_in_officer_answer_503(
    city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    client.force_login(city.officer_a)
    assert client.get("/petugas/").status_code == 200
    with database_down(monkeypatch):
        response = client.get("/petugas/")
    assert_unavailable(response)
    assert "Layanan sementara tidak tersedia" in response.content.decode()
    assert client.get("/petugas/").status_code == 200


@pytest.mark.django_db
def test_readyz_says_whether_the_database_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client()
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"ready": True, "checks": {"database": "ok"}}
    assert "no-cache" in ready["Cache-Control"] or "max-age=0" in ready["Cache-Control"]
    with database_down(monkeypatch):
        down = client.get("/readyz")
    assert_unavailable(down)
    assert down.json() == {"ready": False, "checks": {"database": "unavailable"}}
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_a_bug_in_the_database_layer_is_still_a_500_not_a_503(
    city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Any, *args: Any, **kwargs: Any) -> None:
        raise ProgrammingError('relation "complaints_category" does not exist')

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", broken)
    client = Client(raise_request_exception=False)
    assert client.get("/api/v1/categories").status_code == 500
    assert client.get("/open311/v2/services.json").status_code == 500
    assert client.get("/laporan/").status_code == 500


# --------------------------------------------------------------------------- PostgreSQL, for real


@contextmanager
def closed_port() -> Iterator[None]:
    """The server gone: the open connection dropped, new ones refused at a closed port."""
    saved = {key: connection.settings_dict[key] for key in ("HOST", "PORT")}
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_refusing_connections_then_back(city: City) -> None:
    api = Api()
    before = Report.objects.count()
    with closed_port():
        assert_unavailable(api.get("/categories"))
        assert_unavailable(api.post("/reports", report_body()))
        assert_unavailable(Client().get("/laporan/"))
        assert_unavailable(Client().get("/open311/v2/services.json"))
        assert health.database_state() == "unavailable"
    assert api.get("/categories").status_code == 200
    assert Report.objects.count() == before


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_a_persistent_connection_lost_is_discarded_not_reused(city: City) -> None:
    api = Api()
    assert api.get("/categories").status_code == 200
    assert connection.connection is not None  # kept for the next request (CONN_MAX_AGE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()

    assert_unavailable(api.get("/categories"))  # the server dropped it: the first use fails
    assert connection.connection is None  # and it is gone, not kept for the next request
    assert api.get("/categories").status_code == 200


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_read_only_answers_503_and_stores_nothing(city: City) -> None:
    api = Api()
    before = Report.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    try:
        assert health.database_state() == "read_only"
        assert Client().get("/readyz").status_code == 503
        filed = api.post("/reports", report_body())
        assert_unavailable(filed)
        assert filed.json()["error"]["code"] == "unavailable"
        assert api.get("/categories").status_code == 200  # reading still works
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")
    assert Report.objects.count() == before
    assert api.post("/reports", report_body()).status_code == 201
