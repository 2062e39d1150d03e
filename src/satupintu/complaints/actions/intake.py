"""Intake: a report enters from any door (domain.md §1.4–§1.5 stage 1), and files join it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from satupintu.agencies import calendar as workcal
from satupintu.agencies.access import access_for
from satupintu.agencies.models import Region
from satupintu.complaints import deadlines, tracking
from satupintu.complaints.actions.inputs import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    TITLE_MAX,
    Contact,
    active_category,
    clean_contact,
    clean_coordinate,
    clean_report_type,
    clean_text,
    villages,
)
from satupintu.complaints.actions.step import lifecycle_step
from satupintu.complaints.actors import Actor, Reporter, audit_label, user_of
from satupintu.complaints.attachments import CleanFile, clean_files, keep
from satupintu.complaints.models import (
    Attachment,
    Category,
    CategoryAttribute,
    Channel,
    Report,
    ReportEvent,
)
from satupintu.core import audit, bulk, crypto
from satupintu.core.errors import InvalidInput, NotPermitted
from satupintu.domain.attributes import AttributeErrors, Problem, clean_answers
from satupintu.domain.lifecycle import Action, Status
from satupintu.notifications import outbox

OFFICER_CHANNELS = {Channel.COUNTER, Channel.PHONE, Channel.CALL_112}
_CHANNELS = frozenset(Channel.values)

#: What the first audit entry of a report records of it (its text and contact are added).
_RECEIVED_FIELDS = (
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


def _reporter_language() -> str:
    """The active language (the visitor's, in a request) as the messages know it: en or id."""
    return "en" if (get_language() or "").lower().startswith("en") else "id"


def report_receive(
    *,
    actor: Actor,
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
    title = clean_text(title, "title", max_len=TITLE_MAX)
    description = clean_text(description, "description", max_len=DESCRIPTION_MAX)
    if len(description) < DESCRIPTION_MIN:
        raise InvalidInput(
            _("Isi laporan terlalu pendek; jelaskan masalahnya paling sedikit %(min)s karakter.")
            % {"min": DESCRIPTION_MIN},
            fields={
                "description": _("Paling sedikit %(min)s karakter.") % {"min": DESCRIPTION_MIN}
            },
        )
    found_category = active_category(category)
    rtype = clean_report_type(
        report_type or (found_category.report_type if found_category else "pengaduan")
    )
    region = None
    if region_code:
        region = villages.get(region_code)
        if region is None or region.level != Region.Level.VILLAGE:
            raise InvalidInput(
                _('Kode kelurahan/desa "%(code)s" tidak dikenal.') % {"code": region_code},
                fields={"region_code": _("Kelurahan/desa tidak dikenal.")},
            )
    lat = clean_coordinate(latitude, "latitude", 90)
    lon = clean_coordinate(longitude, "longitude", 180)
    if (lat is None) != (lon is None):
        raise InvalidInput(
            _("Isi garis lintang dan garis bujur sekaligus, atau kosongkan keduanya."),
            fields={
                "latitude": _("Garis bujur juga perlu diisi."),
                "longitude": _("Garis lintang juga perlu diisi."),
            },
        )
    today = workcal.today()
    if incident_date is not None and incident_date > today:
        raise InvalidInput(
            _("Tanggal kejadian tidak boleh di masa depan."),
            fields={"incident_date": _("Tidak boleh di masa depan.")},
        )
    answers = attribute_answers(found_category, attributes or {})
    files = clean_files(attachments or [])
    contact = clean_contact(contact)
    secret = tracking.new_secret()
    now = timezone.now()
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
        "address": clean_text(address, "address", required=False, max_len=255),
        "latitude": lat,
        "longitude": lon,
        "incident_date": incident_date,
        "received_at": now,
        "received_by": user_of(actor),
        "external_ref": clean_text(external_ref, "external_ref", required=False, max_len=100),
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
            # Plain INSERTs built once, sent as one statement with the caller's (an idempotent
            # API write's record): this runs for every report filed (core/bulk.py).
            with bulk.atomic(savepoint=not nested) as batch:
                report = batch.insert(Report(tracking_number=number, **fields))
                event = batch.insert(
                    ReportEvent(
                        report=report,
                        kind=ReportEvent.Kind.RECEIVED,
                        actor=user_of(actor),
                        is_public=True,
                        created_at=now,
                        # The language the reporter used: the messages to them keep to it.
                        data={"channel": channel, "language": _reporter_language()},
                    ),
                    pk=False,
                )
                outbox.record(report, Action.RECEIVE, event, batch=batch)
                after = {name: getattr(report, name) for name in _RECEIVED_FIELDS} | {
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
                if files:
                    after["files"] = _files_named(store_files(report, files, actor=actor))
                audit.record(
                    chain=report.audit_chain,
                    actor=audit_label(actor),
                    action=Action.RECEIVE.value,
                    object_type="report",
                    object_id=report.pk,
                    after=after,
                    new_chain=True,
                    batch=batch,
                )
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


def attribute_answers(category: Category | None, raw: Mapping[str, object]) -> dict[str, Any]:
    """The category's extra questions answered (domain/attributes.py), or InvalidInput."""
    if not isinstance(raw, Mapping):
        raise InvalidInput(
            _("Atribut harus berupa pasangan kode dan nilai."),
            fields={"attributes": _("Harus berupa pasangan kode dan nilai.")},
        )
    # Categories found by active_category() carry their questions already.
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


def store_files(report: Report, files: list[CleanFile], *, actor: Actor) -> list[Attachment]:
    """Keep checked files on ``report`` (inside the caller's transaction); what the audit
    record names of them."""
    now, by = timezone.now(), user_of(actor)
    by_reporter = isinstance(actor, Reporter) or actor is None
    return [
        keep(Attachment(report=report, by_reporter=by_reporter), clean, by=by, at=now)
        for clean in files
    ]


def _files_named(stored: list[Attachment]) -> list[list[Any]]:
    return [[a.original_name, a.sha256, a.size] for a in stored]


def report_add_attachments(
    *, actor: Actor, report_id: int, files: list[tuple[str, IO[bytes]]]
) -> list[Attachment]:
    """Add photos or PDFs to an open report (reporter, verifier or the holding agency)."""
    cleaned = clean_files(files)
    if not cleaned:
        raise InvalidInput(
            _("Pilih paling sedikit satu berkas untuk diunggah."),
            fields={"attachments": _("Pilih berkas.")},
        )
    with lifecycle_step(actor, report_id, Action.ATTACH) as step:
        stored = store_files(step.report, cleaned, actor=actor)
        step.audit["files"] = _files_named(stored)
    return stored
