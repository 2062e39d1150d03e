"""The tamper-evident audit log (core/audit.py) and ``satupintu audit verify``.

Each tampering test changes the stored rows the way someone with database access (but without
SATUPINTU_AUDIT_KEY) could, and checks that verify() names the expected entry or chain.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from satupintu.complaints.selectors import reports_without_chain
from satupintu.core import audit
from satupintu.core.models import AuditEntry, AuditHead

CHAIN = "agency:7"


def _record(n: int, chain: str = CHAIN, start: int = 1) -> list[AuditEntry]:
    entries = []
    with transaction.atomic():
        for i in range(start, start + n):
            entries.append(
                audit.record(
                    chain=chain,
                    actor="tester",
                    action="update",
                    object_type="agency",
                    object_id=7,
                    before={"name": f"v{i - 1}"},
                    after={"name": f"v{i}"},
                )
            )
    return entries


@pytest.fixture
def entries(db: Any) -> list[AuditEntry]:
    """Three entries on one chain, plus an unrelated intact chain."""
    made = _record(3)
    _record(2, chain="category:1")
    return made


def _first_break(**kwargs: Any) -> audit.Break:
    result = audit.verify(**kwargs)
    assert not result.ok
    first = result.first
    assert first is not None
    return first


# --------------------------------------------------------------------------- building


def test_record_builds_a_chain(entries: list[AuditEntry]) -> None:
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == audit.GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    assert len({e.hash for e in entries}) == 3
    head = AuditHead.objects.get(chain=CHAIN)
    assert (head.seq, head.hash) == (3, entries[2].hash)
    assert entries[1].actor_label == "tester"
    assert entries[1].changes == '{"after":{"name":"v2"},"before":{"name":"v1"}}'


def test_record_refuses_to_run_outside_a_transaction(transactional_db: Any) -> None:
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        audit.record(chain=CHAIN, actor=None, action="x", object_type="t", object_id=1)
    assert not AuditEntry.objects.exists()


def test_verify_intact(entries: list[AuditEntry]) -> None:
    result = audit.verify()
    assert result.ok, [b.describe() for b in result.breaks]
    assert (result.entries, result.chains) == (5, 2)
    assert result.first is None


def test_verify_with_a_small_chunk_size(entries: list[AuditEntry]) -> None:
    assert audit.verify(chunk=1).ok


# --------------------------------------------------------------------------- tampering


def test_altered_changes_are_detected(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk=entries[1].pk).update(
        changes='{"after":{"name":"forged"},"before":{"name":"v1"}}'
    )
    first = _first_break()
    assert (first.entry_id, first.chain, first.seq) == (entries[1].pk, CHAIN, 2)
    assert "altered" in first.reason


def test_altered_created_at_is_detected(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk=entries[0].pk).update(
        created_at=entries[0].created_at - dt.timedelta(days=1)
    )
    first = _first_break()
    assert (first.entry_id, first.seq) == (entries[0].pk, 1)


def test_altered_actor_is_detected(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk=entries[2].pk).update(actor_label="somebody-else")
    assert _first_break().entry_id == entries[2].pk


def test_deleted_middle_entry_is_detected(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    first = _first_break()
    # The entry after the gap is where the chain visibly breaks.
    assert (first.entry_id, first.chain, first.seq) == (entries[2].pk, CHAIN, 3)
    assert "expected seq 2" in first.reason


def test_deleted_middle_entry_with_renumbering_is_detected(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    AuditEntry.objects.filter(pk=entries[2].pk).update(seq=2)
    first = _first_break()
    assert first.entry_id == entries[2].pk
    assert "previous-hash" in first.reason


def test_deleted_last_entry_is_detected(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    first = _first_break()
    # The head still records 3 entries: the new last entry is named.
    assert (first.entry_id, first.chain, first.seq) == (entries[1].pk, CHAIN, 2)
    assert "removed" in first.reason


def test_forged_entry_appended_with_a_guessed_hash_is_detected(
    entries: list[AuditEntry],
) -> None:
    last = entries[2]
    forged = AuditEntry.objects.create(
        chain=CHAIN,
        seq=4,
        created_at=last.created_at + dt.timedelta(minutes=1),
        actor_label="tester",
        action="update",
        object_type="agency",
        object_id="7",
        changes='{"after":{"name":"v4"},"before":{"name":"v3"}}',
        prev_hash=last.hash,
        hash=hashlib.sha256(f"{last.hash}v4".encode()).hexdigest(),
    )
    AuditHead.objects.filter(chain=CHAIN).update(seq=4, hash=forged.hash)
    first = _first_break()
    assert (first.entry_id, first.seq) == (forged.pk, 4)
    assert "forged" in first.reason


def test_forged_entry_without_touching_the_head_is_detected(
    entries: list[AuditEntry],
) -> None:
    last = entries[2]
    forged = AuditEntry.objects.create(
        chain=CHAIN,
        seq=4,
        created_at=last.created_at,
        action="update",
        object_type="agency",
        object_id="7",
        changes="{}",
        prev_hash=last.hash,
        hash="0" * 64,
    )
    assert _first_break().entry_id == forged.pk


def test_head_rolled_back_to_the_previous_entry_is_detected(entries: list[AuditEntry]) -> None:
    AuditHead.objects.filter(chain=CHAIN).update(seq=2, hash=entries[1].hash)
    first = _first_break()
    assert (first.entry_id, first.chain, first.seq) == (entries[2].pk, CHAIN, 3)
    assert "head" in first.reason


def test_replayed_genuine_old_head_is_detected_while_the_tail_remains(db: Any) -> None:
    _record(2)
    old = AuditHead.objects.values("seq", "hash", "mac").get(chain=CHAIN)
    (third,) = _record(1, start=3)
    AuditHead.objects.filter(chain=CHAIN).update(**old)
    first = _first_break()
    assert (first.entry_id, first.seq) == (third.pk, 3)
    assert "head records 2 entries but the chain ends at 3" in first.reason


def test_truncation_with_a_replayed_old_head_needs_a_checkpoint(db: Any) -> None:
    """Rolling a head back to an older genuine copy leaves nothing in the database to contradict
    it; a checkpoint kept outside the database proves the missing entry existed."""
    _record(2)
    old = AuditHead.objects.values("seq", "hash", "mac").get(chain=CHAIN)
    (third,) = _record(1, start=3)
    out = StringIO()
    assert audit.write_checkpoint(out) == 1
    checkpoint = out.getvalue()
    AuditEntry.objects.filter(pk=third.pk).delete()
    AuditHead.objects.filter(chain=CHAIN).update(**old)
    assert audit.verify().ok  # the database alone cannot tell
    breaks = audit.check_checkpoint(StringIO(checkpoint))
    assert [(b.chain, b.seq) for b in breaks] == [(CHAIN, 3)]
    assert "removed" in breaks[0].reason


def test_checkpoint_round_trip_and_rewritten_entry(
    entries: list[AuditEntry], tmp_path: Any
) -> None:
    path = tmp_path / "checkpoint.txt.gz"
    call_command("audit", "checkpoint", "--output", str(path), stderr=StringIO())
    out = StringIO()
    call_command("audit", "verify", "--checkpoint", str(path), stdout=out)
    assert "intact" in out.getvalue()
    # Someone with the key could re-forge a whole chain: the checkpoint still catches it.
    AuditEntry.objects.filter(pk=entries[2].pk).update(hash="0" * 64)
    AuditHead.objects.filter(chain=CHAIN).update(hash="0" * 64)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        breaks = audit.check_checkpoint(handle)
    assert any(b.entry_id == entries[2].pk and "rewritten" in b.reason for b in breaks)


def test_altered_checkpoint_is_refused(entries: list[AuditEntry], tmp_path: Any) -> None:
    out = StringIO()
    audit.write_checkpoint(out)
    forged = out.getvalue().replace(f"{CHAIN}\t3\t", f"{CHAIN}\t2\t")
    path = tmp_path / "forged.txt"
    path.write_text(forged)
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify", "--checkpoint", str(path))
    assert err.value.returncode == 2 and "signature" in str(err.value)
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify", "--checkpoint", str(tmp_path / "missing.txt"))
    assert err.value.returncode == 2


def test_head_mac_forged_is_detected(entries: list[AuditEntry]) -> None:
    AuditHead.objects.filter(chain=CHAIN).update(mac="f" * 64)
    first = _first_break()
    assert (first.entry_id, first.chain) == (entries[2].pk, CHAIN)


def test_head_deleted_is_detected(entries: list[AuditEntry]) -> None:
    AuditHead.objects.filter(chain=CHAIN).delete()
    first = _first_break()
    assert (first.entry_id, first.chain) == (entries[0].pk, CHAIN)
    assert "no head" in first.reason


def test_whole_chain_deleted_but_head_left_is_detected(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(chain=CHAIN).delete()
    first = _first_break()
    assert (first.entry_id, first.chain) == (None, CHAIN)
    assert "every entry was removed" in first.reason


def test_report_chain_and_head_deleted_while_the_report_exists(city: Any) -> None:
    report, _secret = city.file()
    other, _secret = city.file(title="Lampu jalan mati")
    assert audit.verify(expected_chains=reports_without_chain()).ok
    assert list(reports_without_chain()) == []

    AuditEntry.objects.filter(chain=report.audit_chain).delete()
    AuditHead.objects.filter(chain=report.audit_chain).delete()

    assert list(reports_without_chain()) == [report.audit_chain]
    assert audit.verify().ok  # nothing left to see without knowing which chains must exist
    first = _first_break(expected_chains=reports_without_chain())
    assert (first.entry_id, first.chain) == (None, f"report:{report.pk}")
    assert "no audit chain" in first.reason
    assert other.audit_chain != report.audit_chain
    # The complaints app registers its reports' chains, so the command checks them.
    assert list(audit.expected_chains()) == [report.audit_chain]
    with pytest.raises(CommandError, match=f"chain report:{report.pk}"):
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())


def test_first_break_is_the_lowest_entry_id(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk__in=[entries[0].pk, entries[2].pk]).update(changes="{}")
    other = AuditEntry.objects.filter(chain="category:1").order_by("seq").last()
    assert other is not None
    AuditEntry.objects.filter(pk=other.pk).update(changes="{}")
    result = audit.verify()
    # Each chain reports its first break only; the earliest overall comes first.
    assert [b.entry_id for b in result.breaks] == [entries[0].pk, other.pk]


# --------------------------------------------------------------------------- the command


def test_cli_verify_intact(entries: list[AuditEntry]) -> None:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "audit log intact: 5 entries in 2 chains"


def test_cli_verify_empty_log(db: Any) -> None:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "audit log intact: 0 entries in 0 chains" in out.getvalue()


def test_cli_verify_broken_exits_1_naming_the_entry(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk=entries[1].pk).update(action="delete")
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
    assert caught.value.returncode == 1
    message = str(caught.value)
    assert message.startswith(f"audit log broken at entry #{entries[1].pk} (chain {CHAIN}, seq 2)")
    assert "further" not in message


def test_cli_verify_counts_further_breaks(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk=entries[1].pk).update(action="delete")
    AuditHead.objects.filter(chain="category:1").delete()
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
    assert "\n1 further break (use -v 2 to list them)\n" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify", "-v", "2", stdout=StringIO(), stderr=StringIO())
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"audit log broken at entry #{entries[1].pk} ")
    assert (
        lines[1].startswith("further break at entry #") and "(chain category:1, seq 1)" in lines[1]
    )
    assert lines[2] == "checked 5 entries in 2 chains"


def test_cli_verify_names_a_report_without_chain(city: Any) -> None:
    report, _secret = city.file()
    AuditEntry.objects.filter(chain=report.audit_chain).delete()
    AuditHead.objects.filter(chain=report.audit_chain).delete()
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
    assert caught.value.returncode == 1
    assert f"(chain report:{report.pk})" in str(caught.value)


def test_cli_requires_a_sub_command(db: Any) -> None:
    with pytest.raises(CommandError, match="required"):
        call_command("audit")
