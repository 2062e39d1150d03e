"""Demo data for the service catalogue and the evaluation: a few units of Kota Depok with their
service standards, a PEKPPP worksheet, and the complaint indicators of the seeded reports.

Everything goes through the services (catalogue/services.py, evaluation/services.py), acting as
the demo evaluator, so it is audited like any other change. The texts are plausible examples
written for the demo, not the units' real published standards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from satupintu.agencies import calendar as workcal
from satupintu.catalogue import services as catalogue
from satupintu.core.models import User
from satupintu.evaluation import services as evaluation
from satupintu.evaluation.indicators import indicators_refresh

EVALUATOR: Final = "benny.harahap"  # depok._PEMDA_STAFF: evaluator@PEMKOT

COMPLAINTS: Final = (
    "Pengaduan, saran, dan masukan disampaikan langsung di loket pengaduan, melalui portal "
    "satupintu (menu Lapor), SP4N-LAPOR!, atau kotak saran. Tindak lanjut pertama paling "
    "lambat 5 hari kerja."
)
SUPERVISION: Final = "Pengawasan melekat oleh atasan langsung dan Inspektorat Daerah Kota Depok."
GUARANTEE: Final = (
    "Pelayanan diberikan sesuai standar pelayanan yang ditetapkan dan dipublikasikan."
)
SAFETY: Final = (
    "Berkas dan data pribadi pemohon dijaga kerahasiaannya; ruang layanan dilengkapi APAR dan "
    "jalur evakuasi."
)
EVALUATION: Final = (
    "Evaluasi kinerja pelaksana setiap triwulan berdasarkan SKM dan pengaduan yang masuk."
)


@dataclass(frozen=True)
class DemoService:
    name: str
    summary: str
    legal_basis: str
    requirements: str
    procedure: str
    duration: str
    cost: str
    product: str
    facilities: str = "Ruang tunggu, nomor antrean, loket, komputer, toilet, akses kursi roda."
    competence: str = "Memahami peraturan terkait, mampu mengoperasikan komputer, ramah."
    staff_count: str = "4 orang"
    #: Components left empty in the demo, to show an incomplete standard.
    leave_out: tuple[str, ...] = ()
    publish: bool = True
    stipulated: bool = True
    reviewed_days_ago: int | None = 120


@dataclass(frozen=True)
class DemoUnit:
    code: str
    maklumat: str
    hours: str
    address: str
    services: tuple[DemoService, ...] = field(default_factory=tuple)


ADMINDUK = "UU 23/2006 tentang Administrasi Kependudukan jo. UU 24/2013; Perpres 96/2018."

UNITS: Final[tuple[DemoUnit, ...]] = (
    DemoUnit(
        "DISDUKCAPIL",
        "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan "
        "yang telah ditetapkan, dan apabila tidak menepati janji ini kami siap menerima sanksi "
        "sesuai peraturan perundang-undangan yang berlaku.",
        "Senin–Kamis 08.00–15.00 WIB, Jumat 08.00–15.30 WIB",
        "Gedung Dibaleka II, Jl. Margonda Raya No. 54, Depok",
        (
            DemoService(
                "Perekaman dan Pencetakan KTP-el",
                "KTP-el untuk penduduk yang berusia 17 tahun, sudah kawin, atau pernah kawin.",
                ADMINDUK,
                "Fotokopi Kartu Keluarga; berusia 17 tahun atau sudah/pernah kawin.",
                "1. Ambil nomor antrean.\n2. Verifikasi data di loket.\n3. Perekaman foto, "
                "sidik jari, iris, dan tanda tangan.\n4. Pencetakan KTP-el.",
                "1 hari kerja bila blangko tersedia.",
                "Gratis (tidak dipungut biaya).",
                "Kartu Tanda Penduduk elektronik (KTP-el).",
            ),
            DemoService(
                "Penerbitan Kartu Keluarga",
                "Kartu Keluarga baru, perubahan, atau penggantian karena hilang/rusak.",
                ADMINDUK,
                "Formulir F-1.01; KK lama (bila perubahan); surat nikah/akta cerai bila ada.",
                "1. Isi formulir F-1.01.\n2. Serahkan berkas di loket atau melalui aplikasi.\n"
                "3. Verifikasi dan validasi.\n4. Penandatanganan elektronik dan pencetakan.",
                "1 hari kerja setelah berkas lengkap.",
                "Gratis (tidak dipungut biaya).",
                "Kartu Keluarga (KK) dengan tanda tangan elektronik.",
            ),
            DemoService(
                "Penerbitan Akta Kelahiran",
                "Akta kelahiran untuk kelahiran yang dilaporkan di Kota Depok.",
                ADMINDUK,
                "Surat keterangan lahir dari rumah sakit/bidan; KK; KTP-el kedua orang tua; "
                "buku nikah/akta perkawinan.",
                "1. Ajukan di loket atau daring.\n2. Verifikasi berkas.\n3. Pencetakan akta.",
                "1 hari kerja setelah berkas lengkap.",
                "Gratis (tidak dipungut biaya).",
                "Kutipan Akta Kelahiran.",
                leave_out=("staff_count", "performance_evaluation"),
                stipulated=False,
                reviewed_days_ago=None,
            ),
        ),
    ),
    DemoUnit(
        "DPMPTSP",
        "Kami sanggup melayani perizinan sesuai standar pelayanan, cepat, transparan, dan "
        "tanpa pungutan liar.",
        "Senin–Jumat 08.00–15.00 WIB",
        "Mal Pelayanan Publik Kota Depok, Jl. Margonda Raya No. 54",
        (
            DemoService(
                "Persetujuan Bangunan Gedung (PBG)",
                "Izin untuk membangun, mengubah, memperluas, atau merawat bangunan gedung.",
                "PP 16/2021 tentang Bangunan Gedung; Perda Kota Depok tentang Retribusi PBG.",
                "Data pemohon; dokumen rencana teknis; bukti kepemilikan tanah; NIB (usaha).",
                "1. Ajukan di SIMBG.\n2. Konsultasi dengan TPA/TPT.\n3. Penilaian dokumen.\n"
                "4. Penetapan retribusi dan pembayaran.\n5. Penerbitan PBG.",
                "Paling lama 28 hari kerja sejak dokumen lengkap.",
                "Retribusi sesuai Perda (dihitung dalam SIMBG).",
                "Persetujuan Bangunan Gedung.",
                leave_out=("internal_supervision",),
            ),
        ),
    ),
    DemoUnit(
        "RSUD",
        "Kami siap memberikan pelayanan kesehatan yang aman, bermutu, dan ramah.",
        "Rawat jalan Senin–Jumat 07.30–14.00 WIB; IGD 24 jam",
        "Jl. Raya Muchtar No. 99, Sawangan, Depok",
        (
            DemoService(
                "Pelayanan Rawat Jalan",
                "Pemeriksaan dokter umum dan spesialis di poliklinik.",
                "UU 17/2023 tentang Kesehatan; Peraturan Wali Kota tentang Tarif Layanan RSUD.",
                "KTP-el atau KK; kartu BPJS Kesehatan dan surat rujukan (pasien JKN).",
                "1. Daftar di anjungan atau aplikasi.\n2. Verifikasi di loket.\n"
                "3. Pemeriksaan di poliklinik.\n4. Farmasi atau penunjang bila perlu.",
                "Waktu tunggu rawat jalan paling lama 60 menit.",
                "Pasien JKN gratis; pasien umum sesuai tarif Peraturan Wali Kota.",
                "Pemeriksaan, resep, dan rencana tindak lanjut.",
                publish=False,
                stipulated=False,
                reviewed_days_ago=None,
            ),
        ),
    ),
)

#: The demo worksheet: Disdukcapil, this year. Indicator code -> (score, note).
WORKSHEET_UNIT: Final = "DISDUKCAPIL"
WORKSHEET_SCORES: Final[dict[str, tuple[str, str]]] = {
    "KP2": ("4", "Forum konsultasi publik Februari, 32 peserta; notulen terlampir."),
    "KP4": ("3", "Reviu standar pelayanan terakhir tahun lalu."),
    "KP9": ("3", "Rencana tindak lanjut SKM berjalan; belum ada yang selesai."),
    "SDM": ("4", "Pelatihan pelayanan prima untuk seluruh petugas loket."),
    "SARPRAS": ("4", "Ruang tunggu ber-AC, ruang laktasi, jalur kursi roda."),
    "SIPP": ("5", "Layanan daring dan tanda tangan elektronik."),
    "INOVASI": ("4", "Layanan jemput bola untuk lansia dan disabilitas."),
}


def _service(unit: str, spec: DemoService, actor: User, today: dt.date) -> None:
    service = catalogue.service_create(actor=actor, unit=unit, name=spec.name, summary=spec.summary)
    texts = {
        "legal_basis": spec.legal_basis,
        "requirements": spec.requirements,
        "procedure": spec.procedure,
        "duration": spec.duration,
        "cost": spec.cost,
        "product": spec.product,
        "facilities": spec.facilities,
        "competence": spec.competence,
        "internal_supervision": SUPERVISION,
        "complaint_handling": COMPLAINTS,
        "staff_count": spec.staff_count,
        "service_guarantee": GUARANTEE,
        "safety_guarantee": SAFETY,
        "performance_evaluation": EVALUATION,
    }
    values: dict[str, Any] = {k: ("" if k in spec.leave_out else v) for k, v in texts.items()}
    if spec.stipulated:
        values["decree"] = (
            f"Keputusan Kepala {service.unit.name} Nomor 800/{len(spec.name)}/{today.year - 1}"
        )
        values["decree_date"] = dt.date(today.year - 1, 12, 15)
        values["participation"] = "Forum konsultasi publik dengan perwakilan RW, LSM, dan pengguna."
    if spec.reviewed_days_ago is not None:
        values["reviewed_on"] = today - dt.timedelta(days=spec.reviewed_days_ago)
    catalogue.service_update(actor=actor, service_id=service.pk, values=values)
    if spec.publish:
        catalogue.service_set_published(actor=actor, service_id=service.pk, published=True)


def seed_evaluation() -> None:
    """The catalogue, the indicators of this year and last, and one PEKPPP worksheet."""
    actor = User.objects.get(username=EVALUATOR)
    today = workcal.today()
    evaluation.instrument_load_default(actor=actor)
    for unit in UNITS:
        catalogue.unit_profile_update(
            actor=actor,
            unit=unit.code,
            maklumat=unit.maklumat,
            hours=unit.hours,
            address=unit.address,
        )
        for spec in unit.services:
            _service(unit.code, spec, actor, today)
    for year in (today.year - 1, today.year):
        indicators_refresh(year=year, today=today)
    sheet = evaluation.worksheet_open(actor=actor, unit=WORKSHEET_UNIT, year=today.year)
    evaluation.worksheet_save(
        actor=actor,
        worksheet_id=sheet.pk,
        entries={
            code: evaluation.Entry(score=Decimal(score), note=note)
            for code, (score, note) in WORKSHEET_SCORES.items()
        },
    )
