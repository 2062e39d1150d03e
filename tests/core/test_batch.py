"""core.bulk.Batch: the rows of one write sent as one statement, with the guarantees of the
statements sent one by one (all or nothing, in order, visible to what runs next)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from satupintu.api.models import IdempotencyRecord
from satupintu.complaints.models import Report
from satupintu.core import audit, bulk
from tests.conftest import City, postgres_only


def _record(key: str, owner: str = "test") -> IdempotencyRecord:
    return IdempotencyRecord(
        owner=owner, key=key, fingerprint="f", status_code=201, body="{}", created_at=timezone.now()
    )


def _keys() -> list[str]:
    return sorted(IdempotencyRecord.objects.values_list("key", flat=True))


def _status() -> int:
    raw = connection.connection
    return int(raw.pgconn.transaction_status)


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_a_batch_that_is_its_whole_transaction_is_one_statement_in_autocommit() -> None:
    seen = []

    def log(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen.append((sql, _status()))
        return execute(sql, params, many, context)

    connection.ensure_connection()
    with connection.execute_wrapper(log), bulk.atomic() as batch:
        batch.insert(_record("a"), pk=False)
        batch.insert(_record("b"), pk=False)
        assert not seen  # nothing sent yet
    assert len(seen) == 1
    sql, status = seen[0]
    assert sql.startswith('WITH b0 AS (INSERT INTO "api_idempotencyrecord"')
    assert status == 0  # no transaction was begun for it (no BEGIN, no COMMIT)
    assert _keys() == ["a", "b"]
    assert not connection.in_atomic_block
    assert connection.get_autocommit()


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_a_failing_batch_writes_nothing() -> None:
    with bulk.atomic() as batch:
        batch.insert(_record("a"), pk=False)
    with pytest.raises(IntegrityError), bulk.atomic() as batch:
        batch.insert(_record("b"), pk=False)
        batch.insert(_record("a"), pk=False)  # the same (owner, key): the whole write fails
    assert _keys() == ["a"]
    # The connection is usable and back in autocommit.
    assert connection.get_autocommit()
    with bulk.atomic() as batch:
        batch.insert(_record("c"), pk=False)
    assert _keys() == ["a", "c"]


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_what_runs_in_the_block_sees_the_waiting_rows_and_shares_their_transaction() -> None:
    with pytest.raises(RuntimeError), bulk.atomic() as batch:
        batch.insert(_record("a"), pk=False)
        # Any other statement sends what waits first, inside the transaction.
        assert IdempotencyRecord.objects.filter(key="a").exists()
        assert _status() != 0
        batch.insert(_record("b"), pk=False)
        raise RuntimeError("the write fails after its rows were sent")
    assert _keys() == []


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_an_inner_block_that_raises_drops_its_rows_only() -> None:
    with bulk.atomic() as batch:
        batch.insert(_record("a"), pk=False)
        try:
            with transaction.atomic(), bulk.batch() as inner:
                assert inner is batch
                inner.insert(_record("b"), pk=False)
                raise ValueError
        except ValueError:
            pass
        batch.insert(_record("c"), pk=False)
    assert _keys() == ["a", "c"]


def test_a_batch_needs_a_transaction(transactional_db: None) -> None:
    with pytest.raises(RuntimeError), bulk.batch():
        pass


def test_rows_that_name_each_other_in_one_batch(city: City) -> None:
    # A report, its audit chain and its keys drawn beforehand: every row is stored and the
    # chain verifies, on either database.
    report, _secret = city.file()
    stored = Report.objects.get(pk=report.pk)
    assert stored.tracking_number == report.tracking_number
    assert stored.events.get().kind == "received"
    assert audit.verify(expected_chains=[report.audit_chain]).ok
    again, _secret = city.file()
    assert again.pk != report.pk


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_keys_drawn_ahead_are_unique_across_connections(city: City) -> None:
    from tests.conftest import race

    def file() -> int:
        try:
            return int(city.file()[0].pk)
        finally:
            connection.close()

    filed = race(*[file for _ in range(4)])
    assert len(set(filed)) == 4
    assert Report.objects.filter(pk__in=filed).count() == 4
