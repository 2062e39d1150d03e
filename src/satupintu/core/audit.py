"""The tamper-evident audit log: append-only, hash-chained, keyed.

Design (issue: "who, what, when, before/after ... cannot be re-forged with database access alone"):

* One chain per audited object (``report:<id>``, ``agency:<id>``, ...). Appending locks only
  that chain's head row, so unrelated reports never queue behind one lock.
* ``hash = HMAC-SHA256(SATUPINTU_AUDIT_KEY, canonical(entry) || prev_hash)``. Without the key
  nobody can compute a valid hash for an altered or inserted entry.
* Each chain has a head row (last seq, last hash) carrying its own keyed MAC, so deleting the
  last entries of a chain and rolling the head back is detected too.
* :func:`verify` walks every chain and names the first broken entry (lowest id).
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from satupintu.core import bulk
from satupintu.core.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _key() -> bytes:
    return hashlib.sha256(("audit:" + settings.AUDIT_KEY).encode()).digest()


def canonical_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> str:
    return json.dumps(
        {"before": before or {}, "after": after or {}},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


def _entry_mac(key: bytes, entry: AuditEntry) -> str:
    created = entry.created_at.astimezone(UTC).isoformat()
    message = json.dumps(
        [
            entry.chain,
            entry.seq,
            created,
            entry.actor_id,
            entry.actor_label,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.changes,
            entry.prev_hash,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _head_mac(key: bytes, chain: str, seq: int, last_hash: str) -> str:
    message = f"head\x1f{chain}\x1f{seq}\x1f{last_hash}"
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def cli_actor() -> str:
    """The audit actor label for changes made from the command line: ``cli:<OS user>``."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError, ImportError):
        who = "unknown"
    return f"cli:{who}"


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None:
        return None, "system"
    if isinstance(actor, str):
        return None, actor[:150]
    return actor.pk, actor.get_username()[:150]


@dataclass(frozen=True)
class Change:
    """One audited change, for building a chain in bulk (demo seeding, imports)."""

    action: str
    object_type: str
    object_id: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    at: datetime
    actor: Any = None


def build_chain(chain: str, changes: Iterable[Change]) -> tuple[list[AuditEntry], AuditHead]:
    """Entries and head for a new chain, unsaved, for ``bulk_create``."""
    key = _key()
    entries: list[AuditEntry] = []
    prev = GENESIS
    for seq, change in enumerate(changes, start=1):
        actor_id, actor_label = _actor_fields(change.actor)
        entry = AuditEntry(
            chain=chain,
            seq=seq,
            created_at=change.at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=change.action,
            object_type=change.object_type,
            object_id=change.object_id,
            changes=canonical_changes(change.before, change.after),
            prev_hash=prev,
        )
        entry.hash = _entry_mac(key, entry)
        prev = entry.hash
        entries.append(entry)
    seq = len(entries)
    return entries, AuditHead(chain=chain, seq=seq, hash=prev, mac=_head_mac(key, chain, seq, prev))


def record(
    *,
    chain: str,
    actor: Any,
    action: str,
    object_type: str,
    object_id: object,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    new_chain: bool = False,
    head: tuple[int, str] | None = None,
    batch: bulk.Batch | None = None,
) -> AuditEntry:
    """Append one entry to ``chain``; must run inside the caller's transaction.

    ``new_chain=True`` (the object was just created in this transaction) skips the head look-up;
    so does ``head=(seq, hash)`` when the caller already read the head under a lock that every
    writer of this chain takes (complaints.actions locks the report row). With ``batch`` the
    entry and its chain's head go with the batch's other rows (core/bulk.py), and the entry's
    ``pk`` is not known.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    key = _key()
    if head is None and not new_chain:
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with bulk.hot_cursor(connection) as cursor:
            cursor.execute(f"SELECT seq, hash FROM {_HEADS} WHERE chain = %s{lock}", [chain])  # noqa: S608
            head = cursor.fetchone()
    seq = head[0] + 1 if head else 1
    prev = head[1] if head else GENESIS
    actor_id, actor_label = _actor_fields(actor)
    entry = AuditEntry(
        chain=chain,
        seq=seq,
        created_at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=canonical_changes(before, after),
        prev_hash=prev,
    )
    entry.hash = _entry_mac(key, entry)
    # Plain SQL: this runs on every change, and the ORM's overhead is most of its cost.
    values: list[Any] = [
        chain,
        seq,
        connection.ops.adapt_datetimefield_value(entry.created_at),
        actor_id,
        actor_label,
        action,
        object_type,
        entry.object_id,
        entry.changes,
        prev,
        entry.hash,
    ]
    mac = _head_mac(key, chain, seq, entry.hash)
    move_values: list[Any]
    if head is None:
        move, move_values = _NEW_HEAD, [chain, seq, entry.hash, mac]
    else:
        move, move_values = _MOVE_HEAD, [seq, entry.hash, mac, chain]
    if batch is not None and batch.deferring:
        batch.add(_INSERT, values)
        batch.add(move, move_values)
        return entry
    with bulk.hot_cursor(connection) as cursor:
        if connection.vendor == "postgresql":
            # One round trip: the entry and its chain's head move together (this runs on every
            # change, so the saved round trip shows in every transition's latency).
            cursor.execute(
                f"WITH e AS ({_INSERT} RETURNING id) {move} RETURNING (SELECT id FROM e)",  # noqa: S608
                values + move_values,
            )
            entry.pk = cursor.fetchone()[0]
        else:
            cursor.execute(f"{_INSERT} RETURNING id", values)
            entry.pk = cursor.fetchone()[0]
            cursor.execute(move, move_values)
    return entry


_ENTRIES, _HEADS = AuditEntry._meta.db_table, AuditHead._meta.db_table
_INSERT = (
    f"INSERT INTO {_ENTRIES} (chain, seq, created_at, actor_id, actor_label, action, "  # noqa: S608
    "object_type, object_id, changes, prev_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_NEW_HEAD = f"INSERT INTO {_HEADS} (chain, seq, hash, mac) VALUES (%s, %s, %s, %s)"  # noqa: S608
_MOVE_HEAD = f"UPDATE {_HEADS} SET seq = %s, hash = %s, mac = %s WHERE chain = %s"  # noqa: S608


# --------------------------------------------------------------------------- model changes
#
# A create, update or delete of a model row (master data edited in the admin or by a command, a
# webhook endpoint, a catalogue entry) goes on the chain ``<model_name>:<pk>`` with the values
# before and after; an update lists only the fields that changed.


def object_type_of(obj: models.Model) -> str:
    """The object type used in entries and chain names: the model name (``agency``)."""
    return obj._meta.model_name or type(obj).__name__.lower()


def snapshot(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The audited values of ``obj``: concrete fields by attname, many-to-many as sorted pks.

    Primary keys and automatic timestamps are left out; ``exclude`` names further fields
    (e.g. a password hash) by name.
    """
    skip = set(exclude)
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if (
            field.primary_key
            or field.name in skip
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        data[field.attname] = field.value_from_object(obj)
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            if m2m.name not in skip:
                data[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields whose value changed, as (before, after)."""
    changed = [key for key in after if before.get(key) != after[key]]
    changed += [key for key in before if key not in after]
    return {k: before.get(k) for k in changed}, {k: after.get(k) for k in changed}


def record_change(
    *,
    actor: Any,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    object_id: Any = None,
) -> AuditEntry | None:
    """Append a create (no ``before``), delete (no ``after``) or update entry for ``obj``.

    ``before`` and ``after`` are :func:`snapshot` values. An update that changed nothing writes
    nothing. Must run inside a transaction.
    """
    object_type = object_type_of(obj)
    pk = obj.pk if object_id is None else object_id
    if before is None:
        action, old, new = "create", None, after
    elif after is None:
        action, old, new = "delete", before, None
    else:
        action = "update"
        old, new = diff(before, after)
        if not old and not new:
            return None
    return record(
        chain=f"{object_type}:{pk}",
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=pk,
        before=old,
        after=new,
    )


@dataclass(frozen=True, order=True)
class Break:
    """A place where the log does not verify; ``entry_id`` is None for a head-only problem."""

    sort_key: int
    entry_id: int | None
    chain: str
    seq: int | None
    reason: str

    def describe(self) -> str:
        where = f"entry #{self.entry_id}" if self.entry_id is not None else "chain head"
        seq = f", seq {self.seq}" if self.seq is not None else ""
        return f"{where} (chain {self.chain}{seq}): {self.reason}"


@dataclass
class VerifyResult:
    entries: int
    chains: int
    breaks: list[Break]

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def first(self) -> Break | None:
        return min(self.breaks) if self.breaks else None


_NO_ID = 2**63


def _group(rows: Iterable[AuditEntry]) -> Iterator[tuple[str, list[AuditEntry]]]:
    """Consecutive entries of one chain (rows ordered by chain, seq)."""
    current: list[AuditEntry] = []
    for row in rows:
        if current and current[0].chain != row.chain:
            yield current[0].chain, current
            current = []
        current.append(row)
    if current:
        yield current[0].chain, current


def _check_chain(
    key: bytes, chain: str, entries: list[AuditEntry], head: AuditHead | None
) -> list[Break]:
    breaks: list[Break] = []
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        problem = None
        if entry.seq != expected_seq:
            problem = f"expected seq {expected_seq}: an entry before it was removed or inserted"
        elif entry.prev_hash != prev:
            problem = "previous-hash link broken: an entry before it was altered or removed"
        elif not hmac.compare_digest(_entry_mac(key, entry), entry.hash):
            problem = "content does not match its keyed hash: the entry was altered or forged"
        if problem:
            breaks.append(Break(entry.pk, entry.pk, chain, entry.seq, problem))
            return breaks
        prev = entry.hash
    last = entries[-1]
    if head is None:
        breaks.append(Break(entries[0].pk, entries[0].pk, chain, 1, "chain has no head: inserted"))
    elif not hmac.compare_digest(_head_mac(key, chain, head.seq, head.hash), head.mac):
        breaks.append(Break(last.pk, last.pk, chain, last.seq, "chain head altered or forged"))
    elif head.seq != last.seq or head.hash != last.hash:
        breaks.append(
            Break(
                last.pk,
                last.pk,
                chain,
                last.seq,
                f"head records {head.seq} entries but the chain ends at {last.seq}: "
                "entries after it were removed",
            )
        )
    return breaks


#: Sources of chains that must exist, by name: an app whose objects always get a chain (a report
#: gets one when it is received) registers one in its ``AppConfig.ready``, so that ``satupintu
#: audit verify`` finds a chain removed with every entry and its head. Each source may yield
#: only the chains that lack a head (computed in the database); the rest are present anyway.
_EXPECTED: dict[str, Callable[[], Iterable[str]]] = {}


def expect_chains(name: str, source: Callable[[], Iterable[str]]) -> None:
    """Register (or replace) the source ``name`` of chains that must exist."""
    _EXPECTED[name] = source


def expected_chains() -> Iterator[str]:
    """Every registered source's chains, for :func:`verify`'s ``expected_chains``."""
    for source in _EXPECTED.values():
        yield from source()


def verify(
    *,
    chunk: int = 5000,
    expected_chains: Iterable[str] = (),
    progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Check every chain; ``expected_chains`` are chains that must exist (e.g. one per report).

    Works through the heads in batches of ``chunk`` chains, so memory stays flat however long
    the log is; ``progress`` is called with the number of chains checked in each batch.
    """
    key = _key()
    if transaction.get_connection().vendor == "sqlite":
        chunk = min(chunk, 900)  # SQLite's limit on parameters in one statement
    breaks: list[Break] = []
    counts = {"entries": 0, "chains": 0}

    def check(heads: list[AuditHead]) -> None:
        by_chain = dict(
            _group(
                AuditEntry.objects.filter(chain__in=[h.chain for h in heads]).order_by(
                    "chain", "seq"
                )
            )
        )
        for head in heads:
            entries = by_chain.get(head.chain)
            if not entries:
                breaks.append(
                    Break(_NO_ID, None, head.chain, None, "head exists but every entry was removed")
                )
                continue
            counts["entries"] += len(entries)
            counts["chains"] += 1
            breaks.extend(_check_chain(key, head.chain, entries, head))
        if progress:
            progress(len(heads))

    batch: list[AuditHead] = []
    for head in AuditHead.objects.order_by("chain").iterator(chunk_size=chunk):
        batch.append(head)
        if len(batch) >= chunk:
            check(batch)
            batch = []
    if batch:
        check(batch)
    # Entries whose chain has no head at all were inserted from outside.
    # NOT EXISTS, not NOT IN: PostgreSQL plans NOT IN over a large subquery quadratically.
    orphans = AuditEntry.objects.filter(~Exists(AuditHead.objects.filter(chain=OuterRef("chain"))))
    for chain, entries in _group(orphans.order_by("chain", "seq").iterator(chunk_size=chunk)):
        counts["entries"] += len(entries)
        counts["chains"] += 1
        breaks.extend(_check_chain(key, chain, entries, None))
    known = set(expected_chains)
    if known:
        present = set(
            AuditHead.objects.filter(chain__in=list(known)).values_list("chain", flat=True)
        )
        for chain in sorted(known - present):
            breaks.append(Break(_NO_ID, None, chain, None, "object has no audit chain: removed"))
    return VerifyResult(entries=counts["entries"], chains=counts["chains"], breaks=sorted(breaks))


# --------------------------------------------------------------------------- checkpoints
#
# A chain's head can be rolled back to an older genuine copy (from a backup) after its last
# entries are deleted: nothing left in the database contradicts that. A checkpoint closes the
# gap: a signed list of every chain's (seq, hash) at one moment, kept outside the database
# (printed, mailed, stored off-site). Verifying against it proves every entry it names is
# still there, unchanged.

CHECKPOINT_HEADER = "satupintu-audit-checkpoint v1"


class CheckpointError(ValueError):
    """The checkpoint file is not one this log wrote, or was altered."""


def write_checkpoint(out: Any, *, chunk: int = 5000) -> int:
    """Write a signed checkpoint of every chain head to the text stream ``out``."""
    mac = hmac.new(_key(), digestmod=hashlib.sha256)
    count = 0

    def emit(line: str) -> None:
        out.write(line)
        mac.update(line.encode())

    emit(f"{CHECKPOINT_HEADER}\t{timezone.now().astimezone(UTC).isoformat()}\n")
    rows = AuditHead.objects.order_by("chain").values_list("chain", "seq", "hash")
    for chain, seq, last in rows.iterator(chunk_size=chunk):
        emit(f"{chain}\t{seq}\t{last}\n")
        count += 1
    out.write(f"#signature\t{mac.hexdigest()}\n")
    return count


def _read_checkpoint(lines: Iterable[str]) -> list[tuple[str, int, str]]:
    mac = hmac.new(_key(), digestmod=hashlib.sha256)
    rows: list[tuple[str, int, str]] = []
    signature = None
    for number, line in enumerate(lines, start=1):
        if line.startswith("#signature\t"):
            signature = line.split("\t", 1)[1].strip()
            break
        mac.update(line.encode())
        if number == 1:
            if not line.startswith(CHECKPOINT_HEADER):
                raise CheckpointError("not a satupintu audit checkpoint (bad first line)")
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 3 or not parts[1].isdigit():
            raise CheckpointError(f"line {number} of the checkpoint is malformed")
        rows.append((parts[0], int(parts[1]), parts[2]))
    if signature is None or not hmac.compare_digest(signature, mac.hexdigest()):
        raise CheckpointError(
            "the checkpoint's signature does not match: it was altered, cut short, or made "
            "with another SATUPINTU_AUDIT_KEY"
        )
    return rows


def check_checkpoint(lines: Iterable[str], *, chunk: int = 900) -> list[Break]:
    """Every entry the checkpoint names must still exist with the same hash."""
    rows = _read_checkpoint(lines)
    breaks: list[Break] = []
    for start in range(0, len(rows), chunk):
        batch = rows[start : start + chunk]
        stored = {
            (chain, seq): (pk, last)
            for pk, chain, seq, last in AuditEntry.objects.filter(
                chain__in=[chain for chain, _seq, _hash in batch]
            ).values_list("pk", "chain", "seq", "hash")
        }
        for chain, seq, last in batch:
            found = stored.get((chain, seq))
            if found is None:
                breaks.append(
                    Break(
                        _NO_ID,
                        None,
                        chain,
                        seq,
                        "an entry recorded in the checkpoint was removed (chain cut short)",
                    )
                )
            elif found[1] != last:
                breaks.append(
                    Break(
                        found[0],
                        found[0],
                        chain,
                        seq,
                        "an entry recorded in the checkpoint was rewritten",
                    )
                )
    return sorted(breaks)
