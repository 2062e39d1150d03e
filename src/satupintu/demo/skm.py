"""Demo SKM of Kota Depok: two past semesters (closed, published, with follow-up actions) and
the current semester open and half collected, in a dozen service units.

Each unit has its own quality profile (its weak unsur), improving a little where a follow-up
action was done. Responses are written with bulk inserts; periods, targets and follow-up actions
get their audit entries like the services write them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from satupintu.agencies.models import Agency
from satupintu.core import audit, bulk
from satupintu.domain.indices import sample_size
from satupintu.surveys.models import (
    ANSWER_FIELDS,
    FollowUpAction,
    SkmResponse,
    SurveyPeriod,
    SurveyTarget,
)

ACTOR = "seed-demo"


@dataclass(frozen=True)
class UnitProfile:
    code: str
    #: Service recipients per semester.
    population: int
    #: Mean score (1–4) of each unsur U1..U9 in the first semester.
    means: tuple[float, ...]


def _means(base: float, **weak: float) -> tuple[float, ...]:
    """``base`` for every unsur, free services (U4) near 4, named unsur lowered (``u3=-0.8``)."""
    values = [base] * len(ANSWER_FIELDS)
    values[3] = 3.85  # U4 biaya/tarif: most Pemda services are free
    for name, delta in weak.items():
        values[int(name[1:]) - 1] += delta
    return tuple(min(max(v, 1.2), 3.95) for v in values)


UNITS: tuple[UnitProfile, ...] = (
    UnitProfile("DISDUKCAPIL", 18_000, _means(3.15, u3=-0.55, u8=-0.35, u2=-0.2)),
    UnitProfile("DPMPTSP", 6_500, _means(3.3, u1=-0.3, u3=-0.25)),
    UnitProfile("RSUD", 25_000, _means(3.05, u3=-0.6, u7=-0.2, u9=-0.35)),
    UnitProfile("PKM-PANCORANMAS", 9_000, _means(3.2, u3=-0.45, u8=-0.3)),
    UnitProfile("PKM-CIMANGGIS", 8_000, _means(3.25, u3=-0.35)),
    UnitProfile("PKM-SUKMAJAYA", 7_000, _means(3.0, u8=-0.5, u6=-0.2)),
    UnitProfile("UPTD-PKB", 4_000, _means(3.1, u1=-0.3, u9=-0.4)),
    UnitProfile("BAPENDA", 12_000, _means(3.2, u2=-0.35, u9=-0.3)),
    UnitProfile("DINSOS", 3_000, _means(2.9, u1=-0.45, u3=-0.4)),
    UnitProfile("KEC-BEJI", 2_500, _means(3.35, u8=-0.25)),
    UnitProfile("KEC-TAPOS", 2_000, _means(3.1, u3=-0.3, u2=-0.25)),
    UnitProfile("DISKARPUS", 1_200, _means(3.5, u8=-0.3)),
)

#: Written suggestions, by the unsur they are about (answers to the free-text question).
SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "u1": (
        "Persyaratan mohon diumumkan lengkap di papan informasi dan situs agar tidak bolak-balik.",
        "Fotokopi dokumen masih diminta padahal data sudah ada di sistem.",
    ),
    "u2": (
        "Alur pelayanan membingungkan, tolong ada petugas yang mengarahkan di pintu masuk.",
        "Pendaftaran daring sering gagal, akhirnya harus datang langsung.",
    ),
    "u3": (
        "Antrean terlalu lama, mohon tambah loket pada jam sibuk pagi hari.",
        "Dokumen dijanjikan jadi tiga hari tetapi baru selesai seminggu.",
        "Nomor antrean habis sebelum jam sembilan, kasihan yang datang dari jauh.",
    ),
    "u6": ("Petugas baru belum paham prosedur, jawabannya berbeda-beda.",),
    "u7": (
        "Petugas ramah dan sabar menjelaskan, terima kasih.",
        "Ada petugas yang kurang sopan saat ditanya, mohon dibina.",
    ),
    "u8": (
        "Ruang tunggu panas dan kursinya kurang, mohon tambah kipas angin.",
        "Toilet kotor dan air sering mati.",
        "Tempat parkir sempit, motor sampai ke jalan.",
    ),
    "u9": (
        "Kotak saran ada tapi tidak pernah ada tanggapan.",
        "Nomor pengaduan di spanduk tidak bisa dihubungi.",
    ),
}
GENERAL = (
    "Pelayanan sudah baik, pertahankan.",
    "Semoga ke depan bisa lebih cepat dan tanpa antre.",
    "Terima kasih, prosesnya mudah.",
)
ACTIONS: dict[str, str] = {
    "u1": "Menerbitkan daftar persyaratan per jenis layanan di loket, situs web dan media sosial.",
    "u2": "Menempatkan petugas pemandu di pintu masuk dan menyederhanakan alur pendaftaran.",
    "u3": "Menambah satu loket pada jam 08.00–11.00 dan menerapkan antrean daring.",
    "u6": "Pelatihan standar pelayanan untuk petugas loket baru.",
    "u7": "Pembinaan etika pelayanan dan penilaian petugas oleh pengguna layanan.",
    "u8": "Menambah kursi dan kipas angin di ruang tunggu serta jadwal kebersihan toilet.",
    "u9": "Mengaktifkan nomor WhatsApp pengaduan dan menjawab kotak saran setiap pekan.",
    "u4": "Memasang maklumat bebas biaya di setiap loket.",
    "u5": "Memeriksa kesesuaian produk layanan dengan standar pelayanan setiap bulan.",
}
OWNERS = (
    "Kepala Subbagian Umum",
    "Sekretaris",
    "Kepala Bidang Pelayanan",
    "Kepala UPTD",
    "Koordinator Pelayanan",
)
CHANNELS = (("qr", 50), ("kiosk", 30), ("link", 20))
PROFILE = {
    "gender": (("L", 47), ("P", 50), ("", 3)),
    "age_band": (
        ("lt20", 5),
        ("20-29", 24),
        ("30-39", 28),
        ("40-49", 22),
        ("50-59", 14),
        ("60+", 7),
    ),
    "education": (("sd", 8), ("smp", 12), ("sma", 43), ("diploma", 10), ("s1", 23), ("s2+", 4)),
    "occupation": (
        ("asn", 8),
        ("tni-polri", 2),
        ("swasta", 34),
        ("wirausaha", 26),
        ("pelajar", 10),
        ("lainnya", 20),
    ),
}
RESPONSE_COLUMNS = [f.column for f in SkmResponse._meta.concrete_fields if f.column != "id"]


def _semester(day: dt.date) -> tuple[dt.date, dt.date]:
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31)


def _name(start: dt.date) -> str:
    return f"SKM {start.year} Semester {'I' if start.month == 1 else 'II'}"


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    values = [value for value, _weight in weighted]
    return rng.choices(values, [weight for _value, weight in weighted])[0]


def _score(rng: random.Random, mean: float) -> int | None:
    if rng.random() < 0.03:
        return None  # left blank
    return min(4, max(1, round(rng.gauss(mean, 0.55))))


class _Writer:
    def __init__(self, rng: random.Random, tz: ZoneInfo) -> None:
        self.rng = rng
        self.tz = tz
        self.rows: list[tuple[Any, ...]] = []

    def responses(
        self,
        period: SurveyPeriod,
        unit_id: int,
        means: tuple[float, ...],
        count: int,
        until: dt.date,
    ) -> None:
        rng = self.rng
        days = max((until - period.starts_on).days, 0)
        weakest = sorted(range(len(means)), key=lambda i: means[i])[:2]
        for _ in range(count):
            day = period.starts_on + dt.timedelta(days=rng.randint(0, days))
            moment = dt.datetime.combine(
                day, dt.time(rng.randint(8, 14), rng.randint(0, 59)), tzinfo=self.tz
            )
            scores = [_score(rng, mean) for mean in means]
            suggestion = ""
            if rng.random() < 0.22:
                about = ANSWER_FIELDS[rng.choice(weakest)]
                suggestion = rng.choice(SUGGESTIONS.get(about, GENERAL))
            elif rng.random() < 0.04:
                suggestion = rng.choice(GENERAL)
            values: dict[str, Any] = {
                "period_id": period.pk,
                "unit_id": unit_id,
                "submitted_at": moment,
                "suggestion": suggestion,
                "channel": _pick(rng, CHANNELS),
                **dict(zip(ANSWER_FIELDS, scores, strict=True)),
                **{field: _pick(rng, choices) for field, choices in PROFILE.items()},
            }
            self.rows.append(tuple(values[column] for column in RESPONSE_COLUMNS))


def _period(
    name: str, start: dt.date, end: dt.date, *, opened: dt.datetime, published: dt.datetime | None
) -> SurveyPeriod:
    is_open = published is None and end >= timezone.localdate()
    period = SurveyPeriod.objects.create(
        name=name,
        starts_on=start,
        ends_on=end,
        is_open=is_open,
        opened_at=opened,
        published_at=published,
        created_at=opened - dt.timedelta(days=7),
    )
    audit.record(
        chain=f"surveyperiod:{period.pk}",
        actor=ACTOR,
        action="import",
        object_type="surveyperiod",
        object_id=period.pk,
        after={"name": name, "starts_on": start.isoformat(), "ends_on": end.isoformat()},
        new_chain=True,
    )
    return period


@transaction.atomic
def seed_skm(seed: int = 14) -> int:
    """Three semesters of SKM in the demo units; returns how many responses were added."""
    if SurveyPeriod.objects.exists():
        return 0
    rng = random.Random(seed)
    tz = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    current_start, current_end = _semester(today)
    previous_start, previous_end = _semester(current_start - dt.timedelta(days=1))
    oldest_start, oldest_end = _semester(previous_start - dt.timedelta(days=1))
    ids = dict(Agency.objects.filter(code__in=[u.code for u in UNITS]).values_list("code", "pk"))
    units = [unit for unit in UNITS if unit.code in ids]

    def moment(day: dt.date, hour: int = 9) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)

    semesters = [
        _period(
            _name(start),
            start,
            end,
            opened=moment(start),
            published=moment(end + dt.timedelta(days=20)) if end < current_start else None,
        )
        for start, end in (
            (oldest_start, oldest_end),
            (previous_start, previous_end),
            (current_start, current_end),
        )
    ]
    writer = _Writer(rng, tz)
    targets: list[SurveyTarget] = []
    follow_ups: list[FollowUpAction] = []
    for unit in units:
        means = list(unit.means)
        for index, period in enumerate(semesters):
            population = round(unit.population * rng.uniform(0.9, 1.1))
            targets.append(
                SurveyTarget(period=period, unit_id=ids[unit.code], population=population)
            )
            target = sample_size(population)
            if period.is_open:
                elapsed = (today - period.starts_on).days / max(
                    (period.ends_on - period.starts_on).days, 1
                )
                count = round(target * min(elapsed, 1.0) * rng.uniform(0.6, 1.3))
                until = today
            else:
                count = round(target * rng.uniform(0.95, 1.2))
                until = period.ends_on
            writer.responses(period, ids[unit.code], tuple(means), count, until)
            if period.published_at is None:
                continue
            # One follow-up action on each of the two weakest unsur; the earlier ones done.
            weakest = sorted(range(len(means)), key=lambda i: means[i])[:2]
            for position, element in enumerate(weakest):
                name = ANSWER_FIELDS[element]
                due = period.published_at.date() + dt.timedelta(days=rng.choice((60, 90, 120)))
                done = index == 0 or (position == 0 and rng.random() < 0.5)
                done_on = (
                    min(due + dt.timedelta(days=rng.randint(-30, 15)), today) if done else None
                )
                follow_ups.append(
                    FollowUpAction(
                        period=period,
                        unit_id=ids[unit.code],
                        element=name,
                        action=ACTIONS[name],
                        owner=rng.choice(OWNERS),
                        due_on=due,
                        status=FollowUpAction.Status.DONE
                        if done
                        else rng.choice(
                            (FollowUpAction.Status.PLANNED, FollowUpAction.Status.IN_PROGRESS)
                        ),
                        result="Sudah dilaksanakan; foto dan surat edaran terlampir di arsip unit."
                        if done
                        else "",
                        done_on=done_on,
                        created_at=period.published_at + dt.timedelta(days=3),
                    )
                )
                if done:
                    means[element] = min(means[element] + rng.uniform(0.2, 0.4), 3.9)
    SurveyTarget.objects.bulk_create(targets)
    for item in FollowUpAction.objects.bulk_create(follow_ups):
        audit.record(
            chain=item.audit_chain,
            actor=ACTOR,
            action="import",
            object_type="followupaction",
            object_id=item.pk,
            after={"unit": item.unit_id, "element": item.element, "status": item.status},
            new_chain=True,
        )
    bulk.insert_rows(SkmResponse._meta.db_table, RESPONSE_COLUMNS, writer.rows)
    return len(writer.rows)
