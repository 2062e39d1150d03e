"""Shared fixtures: a small city with named personas (style.md: citizen, verifier, officer of
agency A, officer of agency B, leader)."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from satupintu.agencies.models import Agency, Membership, Region, Role
from satupintu.complaints import services
from satupintu.complaints.models import Category, CategoryAttribute, Channel, Report
from satupintu.complaints.policies import Reporter
from satupintu.core.models import User

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
)


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in parallel threads, each on its own database connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the site's language: a request in English leaves English active on
    its thread (LocaleMiddleware activates, nothing deactivates), and a later test on the same
    worker would read English messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _steady_rate_limit_windows(monkeypatch: Any) -> None:
    """Rate limits count in fixed windows (core/throttle.py): a test crossing the top of a
    minute or an hour would find its counts gone. Their clock stands in mid-hour for a test."""
    from satupintu.core import throttle

    midway = int(time.time()) // 3600 * 3600 + 1800
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: midway))


@pytest.fixture(autouse=True)
def _fresh_caches() -> Any:
    """Master data (calendar, SLA policy, categories, regions) vanishes on rollback without a
    signal: drop the per-process copies."""
    from satupintu.core import memo

    memo.invalidate_all()
    yield
    memo.invalidate_all()


@dataclass
class City:
    pemda: Agency
    dpupr: Agency
    dlhk: Agency
    puskesmas: Agency
    dinkes: Agency
    pln: Agency
    road: Category
    waste: Category
    power: Category
    village: Region
    verifier: User
    officer_a: User
    head_a: User
    officer_b: User
    officer_health: User
    leader: User
    sysadmin: User
    outsider: User

    def file(self, **kwargs: Any) -> tuple[Report, str]:
        """A citizen files a report through the web portal."""
        fields: dict[str, Any] = {
            "actor": None,
            "channel": Channel.WEB,
            "title": "Jalan berlubang di depan sekolah",
            "description": "Lubang besar di Jl. Margonda Raya dekat halte, sudah dua minggu.",
            "category": self.road,
            "contact": services.Contact(
                name="Siti Aminah", email="siti@example.id", phone="081234567890"
            ),
        }
        fields.update(kwargs)
        return services.report_receive(**fields)

    def reporter(self, report: Report) -> Reporter:
        return Reporter(report_id=report.pk)

    def dispatched(self, **kwargs: Any) -> Report:
        report, _ = self.file(**kwargs)
        return services.report_dispatch(actor=self.verifier, report_id=report.pk)

    def resolved(self, **kwargs: Any) -> Report:
        report = self.dispatched(**kwargs)
        services.report_follow_up(actor=self.officer_a, report_id=report.pk, body="Kami tinjau.")
        return services.report_resolve(
            actor=self.officer_a, report_id=report.pk, answer="Sudah ditambal."
        )


def _user(username: str, *memberships: tuple[Agency, str]) -> User:
    user = User.objects.create_user(username=username, password="x-Pass-12345", first_name=username)
    for agency, role in memberships:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def city(db: Any) -> City:
    jabar = Region.objects.create(code="32", name="JAWA BARAT", level=1)
    depok = Region.objects.create(code="32.76", name="KOTA DEPOK", level=2, parent=jabar)
    kec = Region.objects.create(code="32.76.01", name="Pancoran Mas", level=3, parent=depok)
    village = Region.objects.create(code="32.76.01.1001", name="Pancoran Mas", level=4, parent=kec)
    pemda = Agency.objects.create(code="pemkot-depok", name="Pemerintah Kota Depok", kind="pemda")
    dpupr = Agency.objects.create(code="dpupr", name="Dinas PUPR", kind="opd", parent=pemda)
    dlhk = Agency.objects.create(code="dlhk", name="Dinas LHK", kind="opd", parent=pemda)
    dinkes = Agency.objects.create(code="dinkes", name="Dinas Kesehatan", kind="opd", parent=pemda)
    puskesmas = Agency.objects.create(
        code="pkm-pancoran-mas", name="Puskesmas Pancoran Mas", kind="unit", parent=dinkes
    )
    pln = Agency.objects.create(
        code="pln-depok", name="PLN UP3 Depok", kind="external", external_type="bumn"
    )
    road = Category.objects.create(code="jalan-rusak", name="Jalan rusak", default_agency=dpupr)
    waste = Category.objects.create(
        code="sampah", name="Sampah", default_agency=dlhk, report_type="aspirasi"
    )
    power = Category.objects.create(code="listrik", name="Listrik padam", default_agency=pln)
    return City(
        pemda=pemda,
        dpupr=dpupr,
        dlhk=dlhk,
        puskesmas=puskesmas,
        dinkes=dinkes,
        pln=pln,
        road=road,
        waste=waste,
        power=power,
        village=village,
        verifier=_user("verifier", (pemda, Role.VERIFIER)),
        officer_a=_user("officer_a", (dpupr, Role.LIAISON)),
        head_a=_user("head_a", (dpupr, Role.AGENCY_HEAD)),
        officer_b=_user("officer_b", (dlhk, Role.LIAISON)),
        officer_health=_user("officer_health", (dinkes, Role.LIAISON)),
        leader=_user("leader", (pemda, Role.LEADER)),
        sysadmin=_user("sysadmin", (pemda, Role.SYSADMIN)),
        outsider=_user("outsider"),
    )


@pytest.fixture
def evaluator(city: City) -> User:
    """The Pemda's evaluator (Bagian Organisasi): every unit's evaluation and catalogue."""
    user = _user("evaluator", (city.pemda, Role.EVALUATOR))
    user.first_name = "Eva"
    user.save(update_fields=["first_name"])
    return user


@pytest.fixture
def login(db: Any) -> Callable[[User], Client]:
    """A test client signed in as ``user``."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def weekday(time_machine: Any) -> dt.date:
    """Freeze time on Wednesday 2025-03-05, 09:00 WIB (no holiday nearby)."""
    time_machine.move_to(dt.datetime(2025, 3, 5, 2, 0, tzinfo=dt.UTC), tick=False)
    return dt.date(2025, 3, 5)


@pytest.fixture
def road_questions(city: City) -> dict[str, CategoryAttribute]:
    """The questions "Jalan rusak" asks: one of each datatype, one that only informs, one no
    longer asked; ``kerusakan`` (one choice) must be answered."""
    rows = [
        ("ruas", "Nama ruas jalan", "string", False, [], "Tertera di papan nama jalan."),
        (
            "kerusakan",
            "Jenis kerusakan",
            "singlevaluelist",
            True,
            [("lubang", "Lubang"), ("retak", "Retak"), ("amblas", "Amblas")],
            "",
        ),
        (
            "dampak",
            "Akibatnya",
            "multivaluelist",
            False,
            [("macet", "Macet"), ("kecelakaan", "Kecelakaan"), ("genangan", "Genangan")],
            "Pilih semua yang sesuai.",
        ),
        ("lebar_cm", "Perkiraan lebar (cm)", "number", False, [], ""),
        ("sejak", "Sejak kapan?", "datetime", False, [], ""),
        ("catatan", "Catatan untuk petugas", "text", False, [], ""),
    ]
    made = {
        code: CategoryAttribute.objects.create(
            category=city.road,
            code=code,
            label=label,
            datatype=datatype,
            required=required,
            values=[{"key": key, "name": name} for key, name in choices],
            help_text=help_text,
            order=order,
        )
        for order, (code, label, datatype, required, choices, help_text) in enumerate(rows)
    }
    made["info"] = CategoryAttribute.objects.create(
        category=city.road,
        code="info",
        label="Foto dari dua arah sangat membantu.",
        datatype="string",
        variable=False,
        order=90,
    )
    made["lama"] = CategoryAttribute.objects.create(
        category=city.road, code="lama", label="Pertanyaan lama", datatype="string", is_active=False
    )
    return made


def redis_answers() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_db() -> Iterator[str]:
    """A Redis database of this xdist worker's own on 127.0.0.1:6379, emptied before and
    after (the RQ task backend's tests). CI must have Redis; elsewhere they skip without."""
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail("CI must run the RQ tests: no Redis on 127.0.0.1:6379")
        pytest.skip("needs Redis on 127.0.0.1:6379")
    import redis

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    url = f"redis://127.0.0.1:6379/{10 + int(worker) % 5}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()
