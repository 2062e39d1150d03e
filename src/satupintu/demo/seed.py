"""Seed the demo city (Kota Depok): master data, officers, and reports in every status.

Reports are written with bulk inserts (COPY on PostgreSQL) in batches, each batch in one
transaction, so a million reports is practical. Every seeded report gets an audit chain with one
``import`` entry, so ``satupintu audit verify`` holds for seeded data too.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import random
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.utils import timezone

from satupintu.agencies import calendar as workcal
from satupintu.agencies.boundaries import load_packaged as load_packaged_boundaries
from satupintu.agencies.models import Agency, Membership, Region
from satupintu.complaints import deadlines
from satupintu.complaints import tracking as tracking_numbers
from satupintu.complaints.models import (
    Category,
    CategoryAttribute,
    Disposition,
    Report,
    ReportEvent,
    SlaPolicy,
)
from satupintu.core import audit, bulk, crypto
from satupintu.core.models import AuditEntry, AuditHead, User
from satupintu.demo import depok
from satupintu.demo.simulate import CategoryInfo, Simulated, Simulator
from satupintu.demo.textgen import ReportTextGenerator
from satupintu.domain.regions import load_regions

DEMO_PASSWORD = "demo-satupintu"  # noqa: S105 - printed for the local demo on purpose
ADMIN_USERNAME = "admin"

CHANNEL_WEIGHTS = {
    "web": 40,
    "whatsapp": 20,
    "api": 14,
    "sms": 5,
    "email": 6,
    "social": 4,
    "counter": 6,
    "phone": 3,
    "call112": 2,
}
OFFICER_CHANNELS = {"counter", "phone", "call112"}


def is_seeded() -> bool:
    return Agency.objects.filter(code=depok.PEMDA_CODE).exists()


# --------------------------------------------------------------------------- master data


def _agency_row(spec: depok.Agency) -> dict[str, Any]:
    external = spec.is_external
    kind = "external" if external else ("opd" if spec.kind == "kecamatan" else spec.kind)
    return {
        "code": spec.code,
        "name": spec.name,
        "short_name": spec.short_name,
        "kind": kind,
        "external_type": spec.kind if external else "",
    }


@transaction.atomic
def seed_master() -> None:
    """Regions, agencies, categories, the SLA policy and the officers of Kota Depok."""
    regions = load_regions(depok.REGION_CODE)
    Region.objects.bulk_create(
        [
            Region(code=r.code, name=r.display_name, level=r.level, parent_id=r.parent_code)
            for r in sorted(regions, key=lambda r: (r.level, r.code))
        ],
        ignore_conflicts=True,
    )
    # The demo city's packaged kecamatan and kelurahan polygons, for the map.
    load_packaged_boundaries(depok.REGION_CODE, actor="seed-demo")
    ids: dict[str, int] = {}
    for spec in depok.AGENCIES:
        agency = Agency.objects.create(
            **_agency_row(spec),
            parent_id=ids.get(spec.parent_code) if spec.parent_code else None,
            region_id=spec.region_code,
        )
        ids[spec.code] = agency.pk
        audit.record(
            chain=f"agency:{agency.pk}",
            actor="seed-demo",
            action="create",
            object_type="agency",
            object_id=agency.pk,
            after=_agency_row(spec),
            new_chain=True,
        )
    for cat in depok.CATEGORIES:
        category = Category.objects.create(
            code=cat.code,
            name=cat.name,
            report_type=cat.report_type,
            default_agency_id=ids[cat.agency_code],
            completion_days=cat.deadline_days,
            description=cat.topic,
        )
        audit.record(
            chain=f"category:{category.pk}",
            actor="seed-demo",
            action="create",
            object_type="category",
            object_id=category.pk,
            after={"code": cat.code, "name": cat.name, "agency": cat.agency_code},
            new_chain=True,
        )
    for order, (code, attr, label, datatype, required, choices) in enumerate(
        depok.CATEGORY_ATTRIBUTES
    ):
        CategoryAttribute.objects.create(
            category=Category.objects.get(code=code),
            code=attr,
            label=label,
            datatype=datatype,
            required=required,
            values=[{"key": key, "name": name} for key, name in choices],
            order=order,
        )
    if not SlaPolicy.objects.exists():
        SlaPolicy.objects.create()
    password = make_password(DEMO_PASSWORD)
    admin = User.objects.create(
        username=ADMIN_USERNAME,
        password=password,
        is_staff=True,
        is_superuser=True,
        first_name="Administrator",
        email=f"admin@{depok.EMAIL_DOMAIN}",
    )
    Membership.objects.create(user=admin, agency_id=ids[depok.PEMDA_CODE], role="sysadmin")
    for officer in depok.OFFICERS:
        first, _, last = officer.name.partition(" ")
        is_admin = any(g.role == "sysadmin" for g in officer.roles)
        user = User.objects.create(
            username=officer.username,
            password=password,
            first_name=first,
            last_name=last,
            email=officer.email,
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        for grant in officer.roles:
            Membership.objects.create(user=user, agency_id=ids[grant.agency_code], role=grant.role)


# --------------------------------------------------------------------------- reports


@dataclass
class Directory:
    """What report seeding needs to know about the seeded master data."""

    agency_ids: dict[str, int]
    categories: list[tuple[int, CategoryInfo]]
    weights: list[float]
    verifiers: list[int]
    liaison: dict[str, int]
    villages: list[tuple[str, str, str]]  # code, kelurahan name, kecamatan name
    internal: list[str]
    external: list[str] = field(default_factory=list)


def _directory() -> Directory:
    agency_ids = dict(Agency.objects.values_list("code", "pk"))
    sla = deadlines.policy()
    categories = []
    for cat in (
        Category.objects.filter(is_active=True).select_related("default_agency").order_by("pk")
    ):
        days = cat.completion_days or sla.completion(cat.report_type)  # type: ignore[arg-type]
        categories.append(
            (cat.pk, CategoryInfo(cat.code, cat.report_type, cat.default_agency.code, days))
        )
    if not categories:
        raise RuntimeError("no categories: run `satupintu demo` (or seed the master data) first")
    rng = random.Random(11)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(categories))]
    rng.shuffle(weights)
    verifiers = list(
        Membership.objects.filter(role="verifier", is_active=True).values_list("user_id", flat=True)
    )
    liaison: dict[str, int] = {}
    for code, role, user_id in (
        Membership.objects.filter(role__in=["liaison", "agency_head"], is_active=True)
        .values_list("agency__code", "role", "user_id")
        .order_by("role")
    ):
        if role == "liaison" or code not in liaison:
            liaison[code] = user_id
    names = dict(Region.objects.filter(level=3).values_list("code", "name"))
    villages = [
        (code, name, names.get(parent or "", ""))
        for code, name, parent in Region.objects.filter(
            level=4, code__startswith=depok.REGION_CODE
        ).values_list("code", "name", "parent_id")
    ]
    internal = list(
        Agency.objects.filter(kind__in=["opd"], is_active=True).values_list("code", flat=True)
    )
    external = list(
        Agency.objects.filter(kind="external", is_active=True).values_list("code", flat=True)
    )
    return Directory(
        agency_ids, categories, weights, verifiers, liaison, villages, internal, external
    )


REPORT_COLUMNS = [f.column for f in Report._meta.concrete_fields]
DISPOSITION_COLUMNS = [f.column for f in Disposition._meta.concrete_fields if f.column != "id"]
EVENT_COLUMNS = [f.column for f in ReportEvent._meta.concrete_fields if f.column != "id"]
AUDIT_COLUMNS = [f.column for f in AuditEntry._meta.concrete_fields if f.column != "id"]
HEAD_COLUMNS = [f.column for f in AuditHead._meta.concrete_fields]


class ReportFactory:
    def __init__(self, directory: Directory, *, seed: int, now: dt.datetime) -> None:
        self.d = directory
        self.rng = random.Random(seed)
        self.text = ReportTextGenerator(seed)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = now
        self.sim = Simulator(
            rng=self.rng,
            text=self.text,
            calendar=workcal.calendar(),
            now=now,
            tz=self.tz,
            internal_agencies=directory.internal,
            external_agencies=directory.external,
            sla=deadlines.policy(),
        )
        self.channels = list(CHANNEL_WEIGHTS)
        self.channel_weights = list(CHANNEL_WEIGHTS.values())
        self.samples: list[tuple[str, str]] = []

    def _received_at(self) -> dt.datetime:
        rng = self.rng
        ago = dt.timedelta(days=365 * rng.random() ** 1.15)
        day = (self.now - ago).astimezone(self.tz).date()
        if day.weekday() >= 5 and rng.random() < 0.5:
            day -= dt.timedelta(days=day.weekday() - 4)  # fewer reports at weekends
        minutes = rng.randint(5 * 60, 22 * 60 + 30)
        at = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), self.tz)
        return min(at, self.now - dt.timedelta(minutes=rng.randint(1, 600)))

    def build(self, report_id: int, rows: dict[str, list[tuple[Any, ...]]]) -> None:
        rng = self.rng
        d = self.d
        category_id, category = rng.choices(d.categories, weights=d.weights)[0]
        village_code, kelurahan, kecamatan = rng.choice(d.villages)
        generated = self.text.report(category.code, kelurahan=kelurahan, kecamatan=kecamatan)
        received_at = self._received_at()
        sim = self.sim.run(category, received_at)
        channel = rng.choices(self.channels, weights=self.channel_weights)[0]
        anonymous = rng.random() < 0.12
        confidential = (
            category.report_type == "pengaduan_pengawasan"
            and rng.random() < 0.5
            or (rng.random() < 0.04)
        )
        person = self.text.person()
        contact = {"name": person.name, "email": person.email, "phone": person.phone}
        if rng.random() < 0.3:
            contact["email"] = ""
        secret = tracking_numbers.new_secret()
        tracking = tracking_numbers.new_tracking_number()
        if len(self.samples) < 3 and sim.status in {"resolved", "in_progress"}:
            self.samples.append((tracking, secret))
        lat, lon = _point(rng, village_code)
        incident = received_at.astimezone(self.tz).date() - dt.timedelta(days=rng.randint(0, 14))
        counter_officer = rng.choice(d.verifiers) if channel in OFFICER_CHANNELS else None
        values: dict[str, Any] = {
            "id": report_id,
            "tracking_number": tracking,
            "secret_hash": tracking_numbers.hash_secret(secret),
            "report_type": category.report_type,
            "category_id": category_id,
            "title": generated.title,
            "description": generated.description,
            "channel": channel,
            "status": sim.status,
            "is_anonymous": anonymous,
            "is_confidential": confidential,
            "contact_encrypted": crypto.encrypt_json(contact),
            "contact_index": crypto.blind_index(person.phone),
            "region_id": village_code,
            "address": generated.address or "",
            "latitude": lat,
            "longitude": lon,
            "incident_date": incident if rng.random() < 0.7 else None,
            "received_at": received_at,
            "received_by_id": counter_officer,
            "external_ref": "",
            "attributes": "{}",
            "current_agency_id": d.agency_ids.get(sim.current_agency or ""),
            "assignee_id": None,
            "verify_due": sim.verify_due,
            "hold_due": sim.hold_due,
            "followup_due": sim.followup_due,
            "complete_due": sim.complete_due,
            "autoclose_due": sim.autoclose_due,
            "appeal_until": sim.appeal_until,
            "next_due": sim.next_due,
            "escalated_due": sim.escalated_due,
            "escalation_level": sim.escalation_level,
            "dispatched_at": sim.dispatched_at,
            "first_followup_at": sim.first_followup_at,
            "resolved_at": sim.resolved_at,
            "closed_at": sim.closed_at,
            "rating": sim.rating,
            "rating_comment": sim.rating_comment,
            "appeal_count": sim.appeal_count,
            "hop_count": sim.hop_count,
            "version": 1,
            "updated_at": sim.steps[-1].at,
        }
        rows["reports"].append(tuple(values[c] for c in REPORT_COLUMNS))
        self._children(report_id, sim, rows, counter_officer)
        snapshot = {
            k: values[k]
            for k in (
                "tracking_number",
                "status",
                "current_agency_id",
                "category_id",
                "report_type",
                "channel",
                "is_anonymous",
                "is_confidential",
                "next_due",
            )
        }
        snapshot["steps"] = [[s.kind, s.at.isoformat()] for s in sim.steps]
        entries, head = audit.build_chain(
            f"report:{report_id}",
            [
                audit.Change(
                    "import", "report", str(report_id), None, snapshot, self.now, "seed-demo"
                )
            ],
        )
        for e in entries:
            rows["audit"].append(tuple(getattr(e, c) for c in AUDIT_COLUMNS))
        rows["heads"].append((head.chain, head.seq, head.hash, head.mac))

    def _actor(self, role: str, agency: str | None) -> int | None:
        if role == "verifier":
            return self.rng.choice(self.d.verifiers) if self.d.verifiers else None
        if role == "agency" and agency:
            return self.d.liaison.get(agency)
        return None

    def _children(
        self,
        report_id: int,
        sim: Simulated,
        rows: dict[str, list[tuple[Any, ...]]],
        counter_officer: int | None,
    ) -> None:
        ids = self.d.agency_ids
        for step in sim.steps:
            if step.kind == "received":
                actor = counter_officer
            elif step.kind == "forwarded":  # done by the agency it leaves
                actor = self._actor(step.actor, step.data.get("from"))
            else:
                actor = self._actor(step.actor, step.agency)
            data = dict(step.data)
            if step.kind == "received":
                data["channel"] = "demo"
            event = {
                "report_id": report_id,
                "kind": step.kind,
                "actor_id": actor,
                "agency_id": ids.get(step.agency or ""),
                "body": step.body,
                "is_public": step.public,
                "created_at": step.at,
                "data": json.dumps(data, ensure_ascii=False),
            }
            rows["events"].append(tuple(event[c] for c in EVENT_COLUMNS))
        for hop in sim.hops:
            disposition = {
                "report_id": report_id,
                "seq": hop.seq,
                "kind": hop.kind,
                "from_agency_id": ids.get(hop.from_code or ""),
                "to_agency_id": ids[hop.to_code],
                "by_id": self._actor("verifier" if hop.by_verifier else "agency", hop.from_code),
                "created_at": hop.created_at,
                "reason": hop.reason,
                "followup_due": hop.followup_due,
                "complete_due": hop.complete_due,
                "accepted_at": hop.accepted_at,
                "ended_at": hop.ended_at,
                "outcome": hop.outcome,
                "outcome_reason": hop.outcome_reason,
            }
            rows["dispositions"].append(tuple(disposition[c] for c in DISPOSITION_COLUMNS))


def _point(rng: random.Random, village_code: str) -> tuple[float, float]:
    district = depok.DISTRICT_BY_CODE.get(village_code.rsplit(".", 1)[0])
    return depok.jitter_point(rng, district)


@dataclass
class SeedResult:
    reports: int
    samples: list[tuple[str, str]]


def _seed_serial(
    n: int, *, seed: int, batch: int, progress: Callable[[int], None] | None
) -> SeedResult:
    directory = _directory()
    factory = ReportFactory(directory, seed=seed, now=timezone.now())
    done = 0
    while done < n:
        size = min(batch, n - done)
        rows: dict[str, list[tuple[Any, ...]]] = {
            "reports": [],
            "dispositions": [],
            "events": [],
            "audit": [],
            "heads": [],
        }
        with transaction.atomic():
            for report_id in bulk.reserve_ids(Report._meta.db_table, size):
                factory.build(report_id, rows)
            bulk.insert_rows(Report._meta.db_table, REPORT_COLUMNS, rows["reports"])
            bulk.insert_rows(Disposition._meta.db_table, DISPOSITION_COLUMNS, rows["dispositions"])
            bulk.insert_rows(ReportEvent._meta.db_table, EVENT_COLUMNS, rows["events"])
            bulk.insert_rows(AuditEntry._meta.db_table, AUDIT_COLUMNS, rows["audit"])
            bulk.insert_rows(AuditHead._meta.db_table, HEAD_COLUMNS, rows["heads"])
        done += size
        if progress:
            progress(size)
    return SeedResult(reports=done, samples=factory.samples)


def _worker_init() -> None:
    # A forked worker must not share the parent's database socket.
    connections.close_all()


def _worker_chunk(n: int, seed: int, batch: int) -> SeedResult:
    result = _seed_serial(n, seed=seed, batch=batch, progress=None)
    connections.close_all()
    return result


def seed_reports(
    n: int,
    *,
    seed: int | None = None,
    batch: int = 5000,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> SeedResult:
    """Add ``n`` simulated reports with their disposisi, timeline and audit chains.

    On PostgreSQL large runs use one process per core (generating rows is the slow part; each
    process writes its own batches with COPY). SQLite has one writer, so it stays serial.
    """
    base = seed if seed is not None else int.from_bytes(os.urandom(4), "big")
    if workers is None:
        parallel = connection.vendor == "postgresql" and n >= 4 * batch
        workers = min(4, os.cpu_count() or 1) if parallel else 1
    if workers <= 1 or connection.in_atomic_block:
        return _seed_serial(n, seed=base, batch=batch, progress=progress)
    chunks = [min(batch, n - start) for start in range(0, n, batch)]
    connections.close_all()
    total = SeedResult(reports=0, samples=[])
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init) as pool:
        futures = [
            pool.submit(_worker_chunk, size, base + index, batch)
            for index, size in enumerate(chunks)
        ]
        for future in as_completed(futures):
            result = future.result()
            total.reports += result.reports
            total.samples.extend(result.samples[: max(0, 3 - len(total.samples))])
            if progress:
                progress(result.reports)
    return total
