"""Every change to a report goes through one function here, whichever door it came from.

Each ``report_<verb>(*, actor, ...)`` runs in one transaction: it locks the report row, checks the
policy (policies.py) and the lifecycle table (domain/lifecycle.py), stores the new status, the
deadline that now runs (domain.md §1.6, in working days), a timeline event, and an audit entry
with the old and new values. A refused action raises a ``core.errors`` type and changes nothing.

Messages are Indonesian msgids translated when raised (``gettext``), so they follow the language
of the request that caused them; the error ``code`` never changes with the language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency, Region
from satupintu.complaints import deadlines, tracking
from satupintu.complaints.attachments import CleanFile, clean_files, keep
from satupintu.complaints.models import (
    Attachment,
    Category,
    CategoryAttribute,
    Channel,
    Disposition,
    Report,
    ReportEvent,
    ReportTypeChoices,
    StatusChoices,
)
from satupintu.complaints.policies import (
    RemoteAgency,
    Reporter,
    access_for,
    may_read_identity,
    party_for,
)
from satupintu.core import audit, bulk, crypto
from satupintu.core.errors import (
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotPermitted,
    StaleReport,
    WindowClosed,
)
from satupintu.core.memo import RefreshedMap
from satupintu.core.models import AuditHead
from satupintu.domain.attributes import AttributeErrors, Problem, clean_answers
from satupintu.domain.lifecycle import (
    RUNNING_DEADLINE,
    TRANSITIONS,
    Action,
    Party,
    Status,
    TransitionError,
    next_status,
)
from satupintu.notifications import outbox

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

TITLE_MAX = 200
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 10_000
BODY_MAX = 10_000
OFFICER_CHANNELS = {Channel.COUNTER, Channel.PHONE, Channel.CALL_112}


@dataclass(frozen=True)
class Contact:
    """A reporter's identity and contact details; stored encrypted (core/crypto.py)."""

    name: str = ""
    email: str = ""
    phone: str = ""

    def is_empty(self) -> bool:
        return not (self.name or self.email or self.phone)


# --------------------------------------------------------------------------- messages

#: How each input is named in a message; marked for makemessages, translated when raised.
FIELD_LABELS = {
    "title": gettext_noop("Judul laporan"),
    "description": gettext_noop("Isi laporan"),
    "name": gettext_noop("Nama"),
    "email": gettext_noop("Surel"),
    "phone": gettext_noop("Nomor telepon"),
    "address": gettext_noop("Alamat"),
    "latitude": gettext_noop("Garis lintang"),
    "longitude": gettext_noop("Garis bujur"),
    "body": gettext_noop("Isi"),
    "message": gettext_noop("Pesan untuk pelapor"),
    "reason": gettext_noop("Alasan"),
    "answer": gettext_noop("Jawaban"),
    "instruction": gettext_noop("Instruksi"),
    "comment": gettext_noop("Komentar"),
    "purpose": gettext_noop("Keperluan"),
    "external_ref": gettext_noop("Rujukan kanal asal"),
}

#: What each action does to a report, as a passive verb that completes "Laporan berstatus ...
#: tidak dapat ..."; the context "report action" keeps these short words apart from the same
#: words elsewhere in the catalogue (xgettext needs it written out in every call).
ACTION_LABELS: dict[Action, _StrPromise] = {
    Action.RECEIVE: pgettext_lazy("report action", "diterima"),
    Action.HOLD: pgettext_lazy("report action", "ditunda"),
    Action.ARCHIVE: pgettext_lazy("report action", "diarsipkan"),
    Action.HOLD_EXPIRE: pgettext_lazy("report action", "diarsipkan karena batas tunda lewat"),
    Action.DISPATCH: pgettext_lazy("report action", "didisposisikan"),
    Action.ACCEPT: pgettext_lazy("report action", "diterima oleh instansi"),
    Action.FOLLOW_UP: pgettext_lazy("report action", "ditindaklanjuti"),
    Action.FORWARD: pgettext_lazy("report action", "diteruskan ke instansi lain"),
    Action.RETURN: pgettext_lazy("report action", "dikembalikan sebagai bukan wewenang"),
    Action.NOTE: pgettext_lazy("report action", "diberi catatan internal"),
    Action.PUBLIC_REPLY: pgettext_lazy("report action", "diberi tanggapan"),
    Action.RESOLVE: pgettext_lazy("report action", "diselesaikan"),
    Action.REPORTER_REPLY: pgettext_lazy("report action", "ditanggapi pelapor"),
    Action.CONFIRM: pgettext_lazy("report action", "dikonfirmasi selesai"),
    Action.APPEAL: pgettext_lazy("report action", "diajukan banding"),
    Action.AUTO_CLOSE: pgettext_lazy("report action", "ditutup otomatis"),
    Action.ESCALATE: pgettext_lazy("report action", "dieskalasi"),
    Action.SET_PRIVACY: pgettext_lazy("report action", "diubah pengaturan privasinya"),
    Action.ASSIGN: pgettext_lazy("report action", "ditugaskan kepada petugas"),
    Action.ATTACH: pgettext_lazy("report action", "diberi lampiran"),
    Action.REMOTE_UPDATE: pgettext_lazy("report action", "diberi kabar oleh instansi tujuan"),
}


def field_label(field: str) -> str:
    """The name of an input in the active language (the key itself when it has none)."""
    label = FIELD_LABELS.get(field)
    return _(label) if label else field


def action_label(action: Action) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label else action.value.replace("_", " ")


def status_label(status: Status | str) -> str:
    """A status as written inside a sentence ("diterima"), in the active language."""
    try:
        return str(StatusChoices(Status(status).value).label).lower()
    except ValueError:
        return str(status)


def _transition_refused(exc: TransitionError) -> InvalidTransition:
    """The Indonesian message for a refusal of domain/lifecycle.py (its reason stays English)."""
    transition = TRANSITIONS.get(exc.action)
    if transition is not None and exc.status not in transition.sources:
        message = _("Laporan berstatus %(status)s tidak dapat %(action)s.") % {
            "status": status_label(exc.status),
            "action": action_label(exc.action),
        }
    else:
        message = _("Tindakan ini tidak tersedia bagi Anda untuk laporan ini.")
    return InvalidTransition(message, detail=exc.reason)


# --------------------------------------------------------------------------- helpers


def _text(value: str | None, field: str, *, required: bool = True, max_len: int = BODY_MAX) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(
            _("%(field)s wajib diisi.") % {"field": field_label(field)},
            fields={field: _("Wajib diisi.")},
        )
    if "\x00" in text:  # no database column can store it
        raise InvalidInput(
            _("%(field)s tidak boleh berisi karakter NUL.") % {"field": field_label(field)},
            fields={field: _("Tidak boleh berisi karakter NUL.")},
        )
    if len(text) > max_len:
        raise InvalidInput(
            _("%(field)s terlalu panjang: %(length)s karakter, paling banyak %(max)s.")
            % {"field": field_label(field), "length": len(text), "max": max_len},
            fields={field: _("Paling banyak %(max)s karakter.") % {"max": max_len}},
        )
    return text


def _coordinate(value: Any, field: str, limit: int) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(
            _("%(field)s harus berupa angka.") % {"field": field_label(field)},
            fields={field: _("Harus berupa angka.")},
        ) from None
    if not number.is_finite() or not -limit <= number <= limit:
        values = {"field": field_label(field), "limit": limit}
        raise InvalidInput(
            _("%(field)s harus di antara -%(limit)s dan %(limit)s.") % values,
            fields={field: _("Antara -%(limit)s dan %(limit)s.") % values},
        )
    return number.quantize(Decimal("0.000001"))


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return workcal.today()


def _lock(report_id: int, expected_version: int | None) -> Report:
    """The report, row-locked for this transaction, with its audit chain's head read alongside.

    Every append to a report's audit chain happens under this lock, so the head read here stays
    valid for the whole transaction and audit.record need not read it again. It is one plain
    SQL statement because it runs on every change, and building it through the ORM cost more
    than running it.
    """
    features = connection.features
    lock = (
        " FOR UPDATE OF r"
        if features.has_select_for_update_of
        else (" FOR UPDATE" if features.has_select_for_update else "")
    )
    sql = (
        f"SELECT r.*, h.seq AS _audit_seq, h.hash AS _audit_hash "  # noqa: S608
        f"FROM {_REPORT_TABLE} r LEFT JOIN {_HEAD_TABLE} h ON h.chain = %s "
        f"WHERE r.id = %s{lock}"
    )
    found: list[Report] = list(Report.objects.raw(sql, [f"report:{report_id}", report_id]))
    if not found:
        raise NotFound(_("Laporan tidak ditemukan."))
    report = found[0]
    if expected_version is not None and report.version != expected_version:
        raise StaleReport(
            _("Laporan ini sudah diubah oleh petugas lain; muat ulang halaman lalu coba lagi.")
        )
    return report


_REPORT_TABLE = Report._meta.db_table
_HEAD_TABLE = AuditHead._meta.db_table


def _known_head(report: Report) -> tuple[int, str] | None:
    seq, last = getattr(report, "_audit_seq", None), getattr(report, "_audit_hash", None)
    return (seq, last) if seq is not None and last is not None else None


def _step(report: Report, action: Action, actor: Any) -> tuple[Party, Status]:
    party = party_for(actor, report, action)
    try:
        status = next_status(Status(report.status), action, party)
    except TransitionError as exc:
        raise _transition_refused(exc) from None
    return party, status


def _actor_user(actor: Any) -> Any:
    return None if actor is None or isinstance(actor, Reporter | RemoteAgency) else actor


def _actor_label(actor: Any) -> Any:
    if isinstance(actor, RemoteAgency):
        return actor.audit_label
    return "reporter" if isinstance(actor, Reporter) else actor


_SNAPSHOT = (
    "status",
    "current_agency_id",
    "assignee_id",
    "category_id",
    "report_type",
    "is_anonymous",
    "is_confidential",
    "verify_due",
    "hold_due",
    "followup_due",
    "complete_due",
    "autoclose_due",
    "appeal_until",
    "next_due",
    "escalation_level",
    "rating",
)


def _snapshot(report: Report) -> dict[str, Any]:
    return {name: getattr(report, name) for name in _SNAPSHOT}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def _commit(
    report: Report,
    before: dict[str, Any],
    *,
    actor: Any,
    action: Action,
    event: ReportEvent | None,
    extra_audit: dict[str, Any] | None = None,
    fields: set[str] | None = None,
) -> Report:
    """Set the running deadline, save, write the timeline event and the audit entry."""
    running = RUNNING_DEADLINE[Status(report.status)]
    report.next_due = getattr(report, running.value) if running else None
    after_all = _snapshot(report)
    old, new = _diff(before, after_all)
    if extra_audit:
        new.update(extra_audit)
    report.version = report.version + 1
    update = {"version", "updated_at"} | {k.removesuffix("_id") for k in old} | (fields or set())
    report.save(update_fields=sorted(update))
    if event is not None:
        event.report = report
        event.save(force_insert=True)
        outbox.record(report, action, event, previous_agency_id=before["current_agency_id"])
    entry = audit.record(
        chain=report.audit_chain,
        actor=_actor_label(actor),
        action=action.value,
        object_type="report",
        object_id=report.pk,
        before=old,
        after=new,
        head=_known_head(report),
    )
    report._audit_seq, report._audit_hash = entry.seq, entry.hash  # type: ignore[attr-defined]
    return report


def _event(
    kind: str,
    actor: Any,
    *,
    body: str = "",
    public: bool,
    agency_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> ReportEvent:
    return ReportEvent(
        kind=kind,
        actor=_actor_user(actor),
        agency_id=agency_id,
        body=body,
        is_public=public,
        created_at=_now(),
        data=data or {},
    )


def _next_seq(report: Report) -> int:
    # Dispositions are made by dispatch and forward (each counted in hop_count) and by appeal
    # (counted in appeal_count); the (report, seq) unique constraint guards the arithmetic.
    return report.hop_count + report.appeal_count + 1


def _agency(agency: Agency | int | str, field: str = "agency") -> Agency:
    if isinstance(agency, Agency):
        found = agency
    else:
        lookup: dict[str, int | str] = (
            {"pk": agency} if isinstance(agency, int) else {"code": agency}
        )
        found_or_none = Agency.objects.filter(**lookup).first()
        if found_or_none is None:
            raise InvalidInput(
                _('Instansi "%(agency)s" tidak dikenal.') % {"agency": agency},
                fields={field: _("Instansi tidak dikenal.")},
            )
        found = found_or_none
    if not found.is_active:
        raise InvalidInput(
            _("Instansi %(agency)s sudah tidak aktif.") % {"agency": found},
            fields={field: _("Instansi tidak aktif.")},
        )
    return found


def _load_category(key: tuple[str, int | str]) -> Category | None:
    field, value = key
    found = Category.objects.filter(**{field: value}).select_related("default_agency").first()
    if found is not None:
        found.attribute_specs = tuple(  # type: ignore[attr-defined]
            attribute.spec()
            for attribute in CategoryAttribute.objects.filter(category=found, is_active=True)
        )
    return found


#: Categories by code or id, with their questions: read on nearly every new report.
_categories: RefreshedMap[tuple[str, int | str], Category] = RefreshedMap(_load_category)
_categories.watch(Category, CategoryAttribute, Agency)


def _village(code: str) -> Region | None:
    return Region.objects.select_related("parent").filter(code=code).first()


_villages: RefreshedMap[str, Region] = RefreshedMap(_village)
_villages.watch(Region)


def _category(category: Category | int | str | None) -> Category | None:
    if category is None or category == "":
        return None
    if isinstance(category, Category):
        found: Category | None = category
    else:
        found = _categories.get(
            ("pk", category) if isinstance(category, int) else ("code", category)
        )
    if found is None:
        raise InvalidInput(
            _('Kategori "%(category)s" tidak dikenal.') % {"category": category},
            fields={"category": _("Kategori tidak dikenal.")},
        )
    if not found.is_active:
        raise InvalidInput(
            _("Kategori %(category)s sudah tidak aktif.") % {"category": found},
            fields={"category": _("Kategori tidak aktif.")},
        )
    return found


_REPORT_TYPES = frozenset(ReportTypeChoices.values)
_CHANNELS = frozenset(Channel.values)


def _report_type(value: str, field: str = "report_type") -> str:
    if value not in _REPORT_TYPES:
        allowed = ", ".join(ReportTypeChoices.values)
        raise InvalidInput(
            _('Jenis laporan "%(value)s" tidak dikenal; pilih salah satu dari: %(allowed)s.')
            % {"value": value, "allowed": allowed},
            fields={field: _("Jenis laporan tidak dikenal.")},
        )
    return value


def _start_disposition(
    report: Report,
    *,
    kind: str,
    to: Agency,
    from_agency_id: int | None,
    actor: Any,
    reason: str,
    now: dt.datetime,
) -> Disposition:
    today = _today()
    sla = deadlines.policy()
    followup_due = deadlines.add_workdays(today, sla.follow_up)
    complete_due = deadlines.add_workdays(
        today, deadlines.completion_days(report.report_type, report.category)
    )
    disposition = Disposition.objects.create(
        report=report,
        seq=_next_seq(report),
        kind=kind,
        from_agency_id=from_agency_id,
        to_agency=to,
        by=_actor_user(actor),
        created_at=now,
        reason=reason,
        followup_due=followup_due,
        complete_due=complete_due,
    )
    report.current_agency = to
    report.followup_due = followup_due
    report.complete_due = complete_due
    return disposition


def _open_hop(report: Report) -> Any:
    # No lock of its own: every writer of a report's dispositions holds the report's row lock.
    return Disposition.objects.filter(report_id=report.pk, outcome=Disposition.Outcome.OPEN)


def _end_disposition(report: Report, outcome: str, reason: str, now: dt.datetime) -> None:
    _open_hop(report).update(outcome=outcome, outcome_reason=reason, ended_at=now)


# --------------------------------------------------------------------------- intake


def report_receive(
    *,
    actor: Any,
    channel: str,
    title: str,
    description: str,
    report_type: str | None = None,
    category: Category | int | str | None = None,
    contact: Contact | None = None,
    is_anonymous: bool = False,
    is_confidential: bool = False,
    region_code: str | None = None,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    incident_date: dt.date | None = None,
    external_ref: str = "",
    attributes: Mapping[str, object] | None = None,
    attachments: list[tuple[str, IO[bytes]]] | None = None,
) -> tuple[Report, str]:
    """Receive a report from any door; returns it and the reporter's secret (shown once)."""
    if channel not in _CHANNELS:
        raise InvalidInput(
            _('Kanal "%(channel)s" tidak dikenal.') % {"channel": channel},
            fields={"channel": _("Kanal tidak dikenal.")},
        )
    if channel in OFFICER_CHANNELS and not access_for(actor).is_officer:
        raise NotPermitted(
            _("Laporan dari kanal %(channel)s hanya dapat dicatat oleh petugas.")
            % {"channel": Channel(channel).label}
        )
    title = _text(title, "title", max_len=TITLE_MAX)
    description = _text(description, "description", max_len=DESCRIPTION_MAX)
    if len(description) < DESCRIPTION_MIN:
        raise InvalidInput(
            _("Isi laporan terlalu pendek; jelaskan masalahnya paling sedikit %(min)s karakter.")
            % {"min": DESCRIPTION_MIN},
            fields={
                "description": _("Paling sedikit %(min)s karakter.") % {"min": DESCRIPTION_MIN}
            },
        )
    found_category = _category(category)
    rtype = _report_type(
        report_type or (found_category.report_type if found_category else "pengaduan")
    )
    region = None
    if region_code:
        region = _villages.get(region_code)
        if region is None or region.level != Region.Level.VILLAGE:
            raise InvalidInput(
                _('Kode kelurahan/desa "%(code)s" tidak dikenal.') % {"code": region_code},
                fields={"region_code": _("Kelurahan/desa tidak dikenal.")},
            )
    lat = _coordinate(latitude, "latitude", 90)
    lon = _coordinate(longitude, "longitude", 180)
    if (lat is None) != (lon is None):
        raise InvalidInput(
            _("Isi garis lintang dan garis bujur sekaligus, atau kosongkan keduanya."),
            fields={
                "latitude": _("Garis bujur juga perlu diisi."),
                "longitude": _("Garis lintang juga perlu diisi."),
            },
        )
    today = _today()
    if incident_date is not None and incident_date > today:
        raise InvalidInput(
            _("Tanggal kejadian tidak boleh di masa depan."),
            fields={"incident_date": _("Tidak boleh di masa depan.")},
        )
    answers = _attribute_answers(found_category, attributes or {})
    files = clean_files(attachments or [])
    contact = contact or Contact()
    contact = Contact(
        name=_text(contact.name, "name", required=False, max_len=150),
        email=_text(contact.email, "email", required=False, max_len=254),
        phone=_text(contact.phone, "phone", required=False, max_len=32),
    )
    secret = tracking.new_secret()
    now = _now()
    verify_due = deadlines.add_workdays(today, deadlines.policy().verify)
    fields = {
        "secret_hash": tracking.hash_secret(secret),
        "report_type": rtype,
        "category": found_category,
        "title": title,
        "description": description,
        "channel": channel,
        "status": Status.RECEIVED.value,
        "is_anonymous": bool(is_anonymous),
        "is_confidential": bool(is_confidential),
        "contact_encrypted": "" if contact.is_empty() else crypto.encrypt_json(contact.__dict__),
        "contact_index": crypto.blind_index(contact.phone or contact.email)
        if (contact.phone or contact.email)
        else "",
        "region": region,
        "address": _text(address, "address", required=False, max_len=255),
        "latitude": lat,
        "longitude": lon,
        "incident_date": incident_date,
        "received_at": now,
        "received_by": _actor_user(actor),
        "external_ref": _text(external_ref, "external_ref", required=False, max_len=100),
        "attributes": answers,
        "verify_due": verify_due,
        "next_due": verify_due,
    }
    # Inside a caller's transaction (an idempotent API write) no savepoint is taken: a clash of
    # tracking numbers (about 1 in 10^15 per report) then fails the whole request instead.
    nested = transaction.get_connection().in_atomic_block
    for _attempt in range(5):
        number = tracking.new_tracking_number()
        try:
            with transaction.atomic(savepoint=not nested):
                # Plain INSERTs built once: this runs for every report filed (core/bulk.py).
                report = bulk.insert_one(Report(tracking_number=number, **fields))
                event = bulk.insert_one(
                    ReportEvent(
                        report=report,
                        kind=ReportEvent.Kind.RECEIVED,
                        actor=_actor_user(actor),
                        is_public=True,
                        created_at=now,
                        data={"channel": channel},
                    )
                )
                outbox.record(report, Action.RECEIVE, event)
                after = _snapshot(report) | {
                    "tracking_number": report.tracking_number,
                    "channel": channel,
                    "title": title,
                    "description": description,
                    "contact": "encrypted" if report.contact_encrypted else "",
                }
                if answers:
                    after["attributes"] = answers
                if report.external_ref:
                    after["external_ref"] = report.external_ref
                audit.record(
                    chain=report.audit_chain,
                    actor=_actor_label(actor),
                    action=Action.RECEIVE.value,
                    object_type="report",
                    object_id=report.pk,
                    after=after,
                    new_chain=True,
                )
                if files:
                    _store_files(report, files, actor=actor, event=None)
                return report, secret
        except IntegrityError:
            if not nested and Report.objects.filter(tracking_number=number).exists():
                continue
            raise
    raise RuntimeError("could not draw a free tracking number")  # pragma: no cover


ATTRIBUTE_PROBLEMS = {
    Problem.UNKNOWN: gettext_noop("Atribut ini tidak dikenal untuk kategori yang dipilih."),
    Problem.REQUIRED: gettext_noop("Wajib diisi."),
    Problem.NOT_A_NUMBER: gettext_noop("Harus berupa angka."),
    Problem.NOT_A_DATETIME: gettext_noop(
        "Harus berupa tanggal dan waktu, misalnya 2026-11-30T08:00:00+07:00."
    ),
    Problem.TOO_LONG: gettext_noop("Terlalu panjang."),
    Problem.NOT_A_CHOICE: gettext_noop("Pilih dari daftar pilihan yang tersedia."),
    Problem.ONE_VALUE_ONLY: gettext_noop("Hanya satu nilai yang boleh dipilih."),
    Problem.INVALID: gettext_noop("Harus berupa teks, angka, atau daftar keduanya."),
}


def _attribute_answers(category: Category | None, raw: Mapping[str, object]) -> dict[str, Any]:
    """The category's extra questions answered (domain/attributes.py), or InvalidInput."""
    if not isinstance(raw, Mapping):
        raise InvalidInput(
            _("Atribut harus berupa pasangan kode dan nilai."),
            fields={"attributes": _("Harus berupa pasangan kode dan nilai.")},
        )
    # Categories found by _category() carry their questions already.
    specs = getattr(category, "attribute_specs", None)
    if specs is None and category is not None:
        specs = [
            attribute.spec()
            for attribute in CategoryAttribute.objects.filter(category=category, is_active=True)
        ]
    if not specs and not raw:
        return {}
    specs = specs or []
    try:
        return clean_answers(specs, raw)
    except AttributeErrors as exc:
        fields = {
            f"attributes.{code}": _(ATTRIBUTE_PROBLEMS[problem])
            for code, problem in exc.problems.items()
        }
        first = next(iter(exc.problems))
        raise InvalidInput(
            _("Atribut %(code)s: %(problem)s")
            % {"code": first, "problem": _(ATTRIBUTE_PROBLEMS[exc.problems[first]])},
            fields=fields,
            detail=str(exc),
        ) from None


def _store_files(
    report: Report, files: list[CleanFile], *, actor: Any, event: ReportEvent | None
) -> list[Attachment]:
    now, by = _now(), _actor_user(actor)
    by_reporter = isinstance(actor, Reporter) or actor is None
    stored = [
        keep(Attachment(report=report, event=event, by_reporter=by_reporter), clean, by=by, at=now)
        for clean in files
    ]
    audit.record(
        chain=report.audit_chain,
        actor=_actor_label(actor),
        action=Action.ATTACH.value,
        object_type="report",
        object_id=report.pk,
        after={"files": [[a.original_name, a.sha256, a.size] for a in stored]},
    )
    return stored


def report_add_attachments(
    *, actor: Any, report_id: int, files: list[tuple[str, IO[bytes]]]
) -> list[Attachment]:
    """Add photos or PDFs to an open report (reporter, verifier or the holding agency)."""
    cleaned = clean_files(files)
    if not cleaned:
        raise InvalidInput(
            _("Pilih paling sedikit satu berkas untuk diunggah."),
            fields={"attachments": _("Pilih berkas.")},
        )
    with transaction.atomic():
        report = _lock(report_id, None)
        _step(report, Action.ATTACH, actor)
        return _store_files(report, cleaned, actor=actor, event=None)


# --------------------------------------------------------------------------- verification


def report_hold(
    *, actor: Any, report_id: int, message: str, expected_version: int | None = None
) -> Report:
    """Tunda: ask the reporter to complete the report (domain.md §1.5 stage 2)."""
    message = _text(message, "message")
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _party, status = _step(report, Action.HOLD, actor)
        before = _snapshot(report)
        report.status = status.value
        report.hold_due = deadlines.add_workdays(_today(), deadlines.policy().hold)
        event = _event(ReportEvent.Kind.HELD, actor, body=message, public=True)
        return _commit(
            report,
            before,
            actor=actor,
            action=Action.HOLD,
            event=event,
            extra_audit={"message": message},
        )


def report_archive(
    *, actor: Any, report_id: int, reason: str, expected_version: int | None = None
) -> Report:
    """Arsipkan: not processable (spam, unintelligible, out of scope); the reason is shown."""
    reason = _text(reason, "reason")
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _party, status = _step(report, Action.ARCHIVE, actor)
        before = _snapshot(report)
        report.status = status.value
        report.closed_at = _now()
        event = _event(ReportEvent.Kind.ARCHIVED, actor, body=reason, public=True)
        return _commit(
            report,
            before,
            actor=actor,
            action=Action.ARCHIVE,
            event=event,
            extra_audit={"reason": reason},
            fields={"closed_at"},
        )


def report_dispatch(
    *,
    actor: Any,
    report_id: int,
    agency: Agency | int | str | None = None,
    category: Category | int | str | None = None,
    report_type: str | None = None,
    instruction: str = "",
    is_anonymous: bool | None = None,
    is_confidential: bool | None = None,
    expected_version: int | None = None,
) -> Report:
    """Verify and dispatch (disposisi) to the competent agency; defaults to the category's."""
    instruction = _text(instruction, "instruction", required=False)
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _party, status = _step(report, Action.DISPATCH, actor)
        before = _snapshot(report)
        found_category = _category(category) if category else report.category
        if found_category is None:
            raise InvalidInput(
                _("Pilih kategori sebelum laporan didisposisikan."),
                fields={"category": _("Pilih kategori.")},
            )
        target = _agency(agency) if agency else found_category.default_agency
        report.category = found_category
        if report_type:
            report.report_type = _report_type(report_type)
        _apply_privacy(report, anonymous=is_anonymous, confidential=is_confidential)
        now = _now()
        _start_disposition(
            report,
            kind=Disposition.Kind.DISPATCH,
            to=target,
            from_agency_id=None,
            actor=actor,
            reason=instruction,
            now=now,
        )
        report.status = status.value
        report.hop_count += 1
        if report.dispatched_at is None:
            report.dispatched_at = now
        event = _event(
            ReportEvent.Kind.DISPATCHED,
            actor,
            body=instruction,
            public=True,
            agency_id=target.pk,
            data={"to": target.code},
        )
        _commit(
            report,
            before,
            actor=actor,
            action=Action.DISPATCH,
            event=event,
            extra_audit={"instruction": instruction},
            fields={"hop_count", "dispatched_at", "category", "report_type"},
        )
        return report


def _apply_privacy(report: Report, *, anonymous: bool | None, confidential: bool | None) -> None:
    # domain.md §1.8: a verifier may set either flag; neither is ever lifted against the
    # reporter's choice.
    if anonymous is False and report.is_anonymous:
        raise InvalidInput(
            _("Anonimitas pelapor tidak dapat dicabut."),
            fields={"is_anonymous": _("Tidak dapat dicabut.")},
        )
    if confidential is False and report.is_confidential:
        raise InvalidInput(
            _("Laporan rahasia tidak dapat dijadikan terbuka untuk publik."),
            fields={"is_confidential": _("Tidak dapat dicabut.")},
        )
    if anonymous:
        report.is_anonymous = True
    if confidential:
        report.is_confidential = True


def report_set_privacy(
    *,
    actor: Any,
    report_id: int,
    is_anonymous: bool | None = None,
    is_confidential: bool | None = None,
    expected_version: int | None = None,
) -> Report:
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _step(report, Action.SET_PRIVACY, actor)
        before = _snapshot(report)
        _apply_privacy(report, anonymous=is_anonymous, confidential=is_confidential)
        if before == _snapshot(report):
            return report
        event = _event(ReportEvent.Kind.PRIVACY, actor, public=False)
        return _commit(report, before, actor=actor, action=Action.SET_PRIVACY, event=event)


# --------------------------------------------------------------------------- agency work


def report_accept(
    *,
    actor: Any,
    report_id: int,
    expected_version: int | None = None,
    data: Mapping[str, Any] | None = None,
) -> Report:
    """The agency acknowledges the disposisi (status stays ``dispatched``); ``data`` is kept on
    the timeline event (e.g. the number an external agency's system gave the report)."""
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _step(report, Action.ACCEPT, actor)
        if not _open_hop(report).filter(accepted_at=None).update(accepted_at=_now()):
            return report  # already accepted: nothing changes
        before = _snapshot(report)
        event = _event(
            ReportEvent.Kind.ACCEPTED,
            actor,
            public=True,
            agency_id=report.current_agency_id,
            data=dict(data or {}),
        )
        return _commit(
            report,
            before,
            actor=actor,
            action=Action.ACCEPT,
            event=event,
            extra_audit={"disposition": "accepted"},
        )


def report_follow_up(
    *, actor: Any, report_id: int, body: str, expected_version: int | None = None
) -> Report:
    """Tindak lanjut: the agency posts progress; the first one meets the 5-day deadline."""
    return _progress(
        actor=actor,
        report_id=report_id,
        body=_text(body, "body"),
        action=Action.FOLLOW_UP,
        kind=ReportEvent.Kind.FOLLOW_UP,
        expected_version=expected_version,
    )


def report_remote_update(
    *, actor: RemoteAgency, report_id: int, body: str, data: Mapping[str, Any] | None = None
) -> Report:
    """News from the holding external agency's own system (Open311 federation): its status and
    notes, on the timeline as that agency's tindak lanjut."""
    return _progress(
        actor=actor,
        report_id=report_id,
        body=_text(body, "body", required=False),
        action=Action.REMOTE_UPDATE,
        kind=ReportEvent.Kind.REMOTE_UPDATE,
        data=data,
    )


def _progress(
    *,
    actor: Any,
    report_id: int,
    body: str,
    action: Action,
    kind: str,
    expected_version: int | None = None,
    data: Mapping[str, Any] | None = None,
) -> Report:
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _party, status = _step(report, action, actor)
        before = _snapshot(report)
        now = _now()
        _open_hop(report).filter(accepted_at=None).update(accepted_at=now)
        report.status = status.value
        if report.first_followup_at is None:
            report.first_followup_at = now
        event = _event(
            kind,
            actor,
            body=body,
            public=True,
            agency_id=report.current_agency_id,
            data=dict(data or {}),
        )
        return _commit(
            report,
            before,
            actor=actor,
            action=action,
            event=event,
            extra_audit={"body": body},
            fields={"first_followup_at"},
        )


def report_forward(
    *,
    actor: Any,
    report_id: int,
    to_agency: Agency | int | str,
    reason: str,
    expected_version: int | None = None,
) -> Report:
    """No Wrong Door (domain.md §1.7): pass a misrouted report on to the competent agency."""
    reason = _text(reason, "reason")
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _party, status = _step(report, Action.FORWARD, actor)
        target = _agency(to_agency, "to_agency")
        if target.pk == report.current_agency_id:
            raise InvalidInput(
                _("Laporan ini sudah berada di instansi tersebut; pilih instansi lain."),
                fields={"to_agency": _("Pilih instansi lain.")},
            )
        before = _snapshot(report)
        now = _now()
        source = report.current_agency
        _end_disposition(report, Disposition.Outcome.FORWARDED, reason, now)
        report.assignee = None
        _start_disposition(
            report,
            kind=Disposition.Kind.FORWARD,
            to=target,
            from_agency_id=source.pk if source else None,
            actor=actor,
            reason=reason,
            now=now,
        )
        report.status = status.value
        report.hop_count += 1
        event = _event(
            ReportEvent.Kind.FORWARDED,
            actor,
            body=reason,
            public=True,
            agency_id=target.pk,
            data={"from": source.code if source else None, "to": target.code},
        )
        _commit(
            report,
            before,
            actor=actor,
            action=Action.FORWARD,
            event=event,
            extra_audit={"reason": reason},
            fields={"hop_count"},
        )
        return report


def report_return(
    *, actor: Any, report_id: int, reason: str, expected_version: int | None = None
) -> Report:
    """Bukan wewenang: hand the report back to the verifiers for re-routing, with a reason."""
    reason = _text(reason, "reason")
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _party, status = _step(report, Action.RETURN, actor)
        before = _snapshot(report)
        now = _now()
        source_id = report.current_agency_id
        _end_disposition(report, Disposition.Outcome.RETURNED, reason, now)
        report.status = status.value
        report.current_agency = None
        report.assignee = None
        report.followup_due = None
        report.complete_due = None
        report.verify_due = deadlines.add_workdays(_today(), deadlines.policy().verify)
        event = _event(
            ReportEvent.Kind.RETURNED, actor, body=reason, public=True, agency_id=source_id
        )
        return _commit(
            report,
            before,
            actor=actor,
            action=Action.RETURN,
            event=event,
            extra_audit={"reason": reason},
        )


def report_add_note(
    *,
    actor: Any,
    report_id: int,
    body: str,
    public: bool = False,
    expected_version: int | None = None,
) -> ReportEvent:
    """An internal note (officers only) or a public reply (the reporter and the public see it)."""
    body = _text(body, "body")
    action = Action.PUBLIC_REPLY if public else Action.NOTE
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _step(report, action, actor)
        holder = report.current_agency_id
        event = _event(
            ReportEvent.Kind.PUBLIC_REPLY if public else ReportEvent.Kind.NOTE,
            actor,
            body=body,
            public=public,
            agency_id=holder if holder in access_for(actor).agencies else None,
        )
        event.report = report
        event.save(force_insert=True)
        audit.record(
            chain=report.audit_chain,
            actor=actor,
            action=action.value,
            object_type="report",
            object_id=report.pk,
            after={"body": body},
            head=_known_head(report),
        )
        return event


def report_resolve(
    *,
    actor: Any,
    report_id: int,
    answer: str,
    expected_version: int | None = None,
    data: Mapping[str, Any] | None = None,
) -> Report:
    """Selesai: the agency's answer; the reporter may confirm, reply or appeal."""
    answer = _text(answer, "answer")
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _party, status = _step(report, Action.RESOLVE, actor)
        before = _snapshot(report)
        now = _now()
        today = _today()
        sla = deadlines.policy()
        _end_disposition(report, Disposition.Outcome.RESOLVED, answer, now)
        report.status = status.value
        report.resolved_at = now
        if report.first_followup_at is None:
            report.first_followup_at = now
        report.autoclose_due = deadlines.add_workdays(today, sla.auto_close)
        report.appeal_until = deadlines.add_workdays(today, sla.appeal)
        event = _event(
            ReportEvent.Kind.RESOLVED,
            actor,
            body=answer,
            public=True,
            agency_id=report.current_agency_id,
            data=dict(data or {}),
        )
        return _commit(
            report,
            before,
            actor=actor,
            action=Action.RESOLVE,
            event=event,
            extra_audit={"answer": answer},
            fields={"resolved_at", "first_followup_at"},
        )


def report_assign(
    *, actor: Any, report_id: int, assignee: Any, expected_version: int | None = None
) -> Report:
    """Give the report to one officer of the agency that holds it (None takes it back)."""
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _step(report, Action.ASSIGN, actor)
        if assignee is not None:
            from satupintu.agencies.models import Membership

            holder = report.current_agency_id
            if holder is None:
                raise InvalidTransition(_("Laporan ini tidak sedang ditangani instansi mana pun."))
            members = Membership.objects.filter(
                user_id=assignee.pk, agency_id=holder, is_active=True
            )
            if not assignee.is_active or not members.exists():
                raise InvalidInput(
                    _("%(officer)s bukan petugas instansi yang sedang menangani laporan ini.")
                    % {"officer": assignee.get_full_name() or assignee.get_username()},
                    fields={"assignee": _("Bukan petugas instansi ini.")},
                )
        if report.assignee_id == (assignee.pk if assignee else None):
            return report
        before = _snapshot(report)
        report.assignee = assignee
        event = _event(
            ReportEvent.Kind.ASSIGNED,
            actor,
            public=False,
            agency_id=report.current_agency_id,
            data={"assignee": assignee.get_username() if assignee else None},
        )
        return _commit(
            report,
            before,
            actor=actor,
            action=Action.ASSIGN,
            event=event,
        )


# --------------------------------------------------------------------------- reporter


def reporter_authenticate(tracking_number: str, secret: str) -> Reporter:
    """The reporter's own access: tracking number plus secret; one error for both mistakes."""
    number = tracking.normalize_tracking_number(tracking_number or "")
    row = Report.objects.filter(tracking_number=number).values("pk", "secret_hash").first()
    if row is None or not secret or not tracking.secret_matches(secret, row["secret_hash"]):
        raise NotFound(_("Tidak ada laporan dengan nomor pelacakan dan kode rahasia ini."))
    return Reporter(report_id=row["pk"])


def report_reporter_reply(
    *, actor: Reporter, report_id: int, body: str, expected_version: int | None = None
) -> Report:
    """Tanggapan pelapor: completes a report on hold, or keeps a resolved one open."""
    body = _text(body, "body")
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _party, status = _step(report, Action.REPORTER_REPLY, actor)
        before = _snapshot(report)
        today = _today()
        sla = deadlines.policy()
        if report.status == Status.ON_HOLD and status is Status.RECEIVED:
            report.hold_due = None
            report.verify_due = deadlines.add_workdays(today, sla.verify)
        elif report.status == Status.RESOLVED:
            # domain.md §1.5 stage 6: closed after 10 working days *with no reply*.
            report.autoclose_due = deadlines.add_workdays(today, sla.auto_close)
        report.status = status.value
        event = _event(ReportEvent.Kind.REPORTER_REPLY, actor, body=body, public=True)
        return _commit(
            report,
            before,
            actor=actor,
            action=Action.REPORTER_REPLY,
            event=event,
            extra_audit={"body": body},
        )


def report_confirm(
    *,
    actor: Reporter,
    report_id: int,
    rating: int,
    comment: str = "",
    expected_version: int | None = None,
) -> Report:
    """The reporter accepts the answer and rates it 1–5; the report closes."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput(
            _("Penilaian harus berupa angka bulat dari 1 sampai 5."),
            fields={"rating": _("Pilih 1 sampai 5.")},
        )
    comment = _text(comment, "comment", required=False, max_len=2000)
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _party, status = _step(report, Action.CONFIRM, actor)
        before = _snapshot(report)
        report.status = status.value
        report.rating = rating
        report.rating_comment = comment
        report.closed_at = _now()
        event = _event(
            ReportEvent.Kind.CONFIRMED, actor, body=comment, public=True, data={"rating": rating}
        )
        return _commit(
            report,
            before,
            actor=actor,
            action=Action.CONFIRM,
            event=event,
            extra_audit={"comment": comment},
            fields={"rating_comment", "closed_at"},
        )


def report_appeal(
    *, actor: Reporter, report_id: int, reason: str, expected_version: int | None = None
) -> Report:
    """Banding: the reporter disputes the answer within the appeal window; back to the agency."""
    reason = _text(reason, "reason")
    with transaction.atomic():
        report = _lock(report_id, expected_version)
        _party, status = _step(report, Action.APPEAL, actor)
        today = _today()
        if report.appeal_until is not None and today > report.appeal_until:
            raise WindowClosed(
                _("Masa banding laporan ini sudah berakhir pada %(date)s.")
                % {"date": formats.date_format(report.appeal_until)},
                detail=f"the appeal window ended on {report.appeal_until.isoformat()}",
            )
        agency = report.current_agency
        if agency is None:
            raise InvalidTransition(
                _("Laporan ini tidak memiliki instansi yang dapat menangani bandingnya.")
            )
        before = _snapshot(report)
        now = _now()
        _start_disposition(
            report,
            kind=Disposition.Kind.DISPATCH,
            to=agency,
            from_agency_id=None,
            actor=None,
            reason=reason,
            now=now,
        )
        report.status = status.value
        report.appeal_count += 1
        report.autoclose_due = None
        report.closed_at = None
        report.rating = None
        event = _event(
            ReportEvent.Kind.APPEALED, actor, body=reason, public=True, agency_id=agency.pk
        )
        _commit(
            report,
            before,
            actor=actor,
            action=Action.APPEAL,
            event=event,
            extra_audit={"reason": reason},
            fields={"appeal_count", "closed_at"},
        )
        return report


# --------------------------------------------------------------------------- identity


def report_read_identity(*, actor: Any, report_id: int, purpose: str) -> Contact:
    """The reporter's identity for an officer who may see it; every read is audited."""
    purpose = _text(purpose, "purpose", max_len=500)
    access = access_for(actor)
    with transaction.atomic():
        # Locked like every other append to the report's audit chain.
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or not access.is_officer:
            raise NotFound(_("Laporan tidak ditemukan."))
        if not may_read_identity(access, report):
            if report.is_anonymous:
                raise NotPermitted(
                    _("Pelapor memilih untuk anonim; identitasnya tidak dapat ditampilkan.")
                )
            raise NotFound(_("Laporan tidak ditemukan."))
        audit.record(
            chain=report.audit_chain,
            actor=actor,
            action="identity_read",
            object_type="report",
            object_id=report.pk,
            after={"purpose": purpose},
        )
        data = crypto.decrypt_json(report.contact_encrypted)
        return Contact(
            name=data.get("name", ""), email=data.get("email", ""), phone=data.get("phone", "")
        )


# --------------------------------------------------------------------------- SLA sweep


@dataclass
class SweepResult:
    auto_closed: int = 0
    hold_expired: int = 0
    escalated: int = 0


def _system_transition(report_id: int, action: Action, today: dt.date) -> bool:
    """Apply a system action to one report if it still qualifies; False when someone won."""
    with transaction.atomic():
        report = Report.objects.select_for_update(skip_locked=True).filter(pk=report_id).first()
        if report is None or report.next_due is None or report.next_due >= today:
            return False
        if action is Action.AUTO_CLOSE and report.status != Status.RESOLVED:
            return False
        if action is Action.HOLD_EXPIRE and report.status != Status.ON_HOLD:
            return False
        _party, status = _step(report, action, None)
        before = _snapshot(report)
        report.status = status.value
        report.closed_at = _now()
        kind = (
            ReportEvent.Kind.AUTO_CLOSED
            if action is Action.AUTO_CLOSE
            else ReportEvent.Kind.ARCHIVED
        )
        # The reason is a code, shown in the reader's language by the templates.
        data = {} if action is Action.AUTO_CLOSE else {"reason": "hold_expired"}
        event = _event(kind, None, public=True, data=data)
        _commit(report, before, actor=None, action=action, event=event, fields={"closed_at"})
        return True


def _escalate(report_id: int, today: dt.date) -> bool:
    with transaction.atomic():
        report = Report.objects.select_for_update(skip_locked=True).filter(pk=report_id).first()
        if (
            report is None
            or report.status
            not in {
                s.value
                for s in (Status.RECEIVED, Status.DISPATCHED, Status.IN_PROGRESS, Status.REOPENED)
            }
            or report.next_due is None
            or report.next_due >= today
            or report.escalated_due == report.next_due
        ):
            return False
        _step(report, Action.ESCALATE, None)
        before = _snapshot(report)
        report.escalated_due = report.next_due
        report.escalation_level = report.escalation_level + 1
        running = RUNNING_DEADLINE[Status(report.status)]
        days_late = workcal.calendar().between(report.next_due, today)
        event = _event(
            ReportEvent.Kind.ESCALATED,
            None,
            public=False,
            agency_id=report.current_agency_id,
            data={
                "deadline": running.value if running else None,
                "due": report.next_due.isoformat(),
                "working_days_late": days_late,
                "level": report.escalation_level,
            },
        )
        _commit(
            report,
            before,
            actor=None,
            action=Action.ESCALATE,
            event=event,
            fields={"escalated_due"},
        )
        return True


def overdue_queryset(today: dt.date) -> Any:
    """Reports whose running deadline has passed and that still owe work (selectors)."""
    from satupintu.complaints.selectors import overdue_reports

    return overdue_reports(today=today)


def sla_sweep(*, today: dt.date | None = None, batch: int = 1000) -> SweepResult:
    """Auto-close, expire holds and escalate what is overdue. Idempotent; safe every minute.

    Each report is handled in its own short transaction under ``SKIP LOCKED``, so a sweep never
    waits for an officer, and two sweeps running at once never act twice on one report.
    """
    today = today or _today()
    result = SweepResult()
    due = Report.objects.filter(next_due__lt=today)
    for pk in list(due.filter(status=Status.RESOLVED).values_list("pk", flat=True)[:batch]):
        result.auto_closed += _system_transition(pk, Action.AUTO_CLOSE, today)
    for pk in list(due.filter(status=Status.ON_HOLD).values_list("pk", flat=True)[:batch]):
        result.hold_expired += _system_transition(pk, Action.HOLD_EXPIRE, today)
    pending = overdue_queryset(today).filter(
        Q(escalated_due__isnull=True) | ~Q(escalated_due=F("next_due"))
    )
    for pk in list(pending.values_list("pk", flat=True)[:batch]):
        result.escalated += _escalate(pk, today)
    return result
