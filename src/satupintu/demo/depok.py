"""Plain data for the demo Pemda: Pemerintah Kota Depok (region code 32.76).

Real bodies (OPDs, external agencies, streets, landmarks) are named as they are publicly known;
the officer personas are fictional. Coordinates are approximate kecamatan centres, good enough to
scatter demo points inside the city, not for navigation.

Nothing here imports Django; the seeding command turns these records into rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final, Literal, cast, get_args

REGION_CODE: Final = "32.76"  # Kota Depok, Kepmendagri 300.2.2-2138/2025
PROVINCE_REGION_CODE: Final = "32"  # Jawa Barat
PEMDA_CODE: Final = "PEMKOT"

# Demo e-mail addresses use a reserved top-level domain (RFC 2606) so that a demo install can
# never mail a real person or a real government mailbox.
EMAIL_DOMAIN: Final = "depok.example"

ReportType = Literal["aspirasi", "pengaduan", "pengaduan_pengawasan", "informasi"]
AgencyKind = Literal[
    # inside the Pemda
    "pemda",
    "opd",
    "kecamatan",
    "unit",
    # outside the Pemda: receive forwarded reports (No Wrong Door, domain.md §1.7)
    "provinsi",
    "kementerian",
    "vertikal",
    "bumn",
    "bumd",
    "polri",
]
Role = Literal["verifier", "liaison", "agency_head", "leader", "evaluator", "sysadmin"]
ROLES: Final[tuple[str, ...]] = get_args(Role)
REPORT_TYPES: Final[tuple[str, ...]] = get_args(ReportType)

INTERNAL_KINDS: Final[frozenset[str]] = frozenset({"pemda", "opd", "kecamatan", "unit"})
EXTERNAL_KINDS: Final[frozenset[str]] = frozenset(
    {"provinsi", "kementerian", "vertikal", "bumn", "bumd", "polri"}
)

# Completion deadline per report type, in working days (domain.md §1.6, PermenPANRB 62/2018
# Ch. VI): aspirasi 5, permintaan informasi 5, pengaduan tidak berkadar pengawasan 14,
# pengaduan berkadar pengawasan 60.
DEFAULT_COMPLETION_DAYS: Final[dict[str, int]] = {
    "aspirasi": 5,
    "informasi": 5,
    "pengaduan": 14,
    "pengaduan_pengawasan": 60,
}


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str
    short_name: str
    kind: AgencyKind
    parent_code: str | None = None
    region_code: str | None = None  # set for the Pemda root and kecamatan offices

    @property
    def is_external(self) -> bool:
        return self.kind in EXTERNAL_KINDS


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name: str
    report_type: ReportType
    agency_code: str  # the agency that handles it by default
    deadline_days: int | None = None  # completion override in working days
    topic: str = ""
    keywords: tuple[str, ...] = ()

    @property
    def completion_days(self) -> int:
        if self.deadline_days is not None:
            return self.deadline_days
        return DEFAULT_COMPLETION_DAYS[self.report_type]


@dataclass(frozen=True, slots=True)
class RoleGrant:
    role: Role
    agency_code: str


@dataclass(frozen=True, slots=True)
class Officer:
    username: str
    name: str
    position: str  # jabatan
    agency_code: str  # where the person works
    roles: tuple[RoleGrant, ...]

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


@dataclass(frozen=True, slots=True)
class District:
    """A kecamatan with an approximate centre, main streets and landmarks."""

    code: str
    name: str
    lat: float
    lon: float
    streets: tuple[str, ...]
    landmarks: tuple[str, ...]


# --------------------------------------------------------------------------------------------
# Agencies
# --------------------------------------------------------------------------------------------

PEMDA: Final = Agency(
    PEMDA_CODE, "Pemerintah Kota Depok", "Pemkot Depok", "pemda", None, REGION_CODE
)


def _opd(code: str, name: str, short_name: str) -> Agency:
    return Agency(code, name, short_name, "opd", PEMDA_CODE)


# Perangkat daerah of Kota Depok (Perda Kota Depok 10/2016 on perangkat daerah, as amended).
OPDS: Final[tuple[Agency, ...]] = (
    _opd("SETDA", "Sekretariat Daerah Kota Depok", "Setda"),
    _opd("SETWAN", "Sekretariat DPRD Kota Depok", "Setwan"),
    _opd("INSPEKTORAT", "Inspektorat Daerah Kota Depok", "Inspektorat"),
    _opd("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    _opd("BKD", "Badan Keuangan Daerah", "BKD"),
    _opd("BAPENDA", "Badan Pendapatan Daerah", "Bapenda"),
    _opd("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
    _opd("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "Kesbangpol"),
    _opd("BPBD", "Badan Penanggulangan Bencana Daerah", "BPBD"),
    _opd("DISDIK", "Dinas Pendidikan", "Disdik"),
    _opd("DINKES", "Dinas Kesehatan", "Dinkes"),
    _opd("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    _opd("DISRUMKIM", "Dinas Perumahan dan Permukiman", "Disrumkim"),
    _opd("SATPOLPP", "Satuan Polisi Pamong Praja", "Satpol PP"),
    _opd("DAMKAR", "Dinas Pemadam Kebakaran dan Penyelamatan", "Damkar"),
    _opd("DINSOS", "Dinas Sosial", "Dinsos"),
    _opd("DISNAKER", "Dinas Tenaga Kerja", "Disnaker"),
    _opd(
        "DP3AP2KB",
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan "
        "Keluarga Berencana",
        "DP3AP2KB",
    ),
    _opd("DKP3", "Dinas Ketahanan Pangan, Pertanian dan Perikanan", "DKP3"),
    _opd("DLHK", "Dinas Lingkungan Hidup dan Kebersihan", "DLHK"),
    _opd("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    _opd("DISHUB", "Dinas Perhubungan", "Dishub"),
    _opd("DISKOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    _opd("DKUM", "Dinas Koperasi dan Usaha Mikro", "DKUM"),
    _opd("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    _opd("DISPORYATA", "Dinas Pemuda, Olahraga, Kebudayaan dan Pariwisata", "Disporyata"),
    _opd("DISKARPUS", "Dinas Perpustakaan dan Kearsipan", "Diskarpus"),
    _opd("DISDAGIN", "Dinas Perdagangan dan Perindustrian", "Disdagin"),
)

# (agency code, kecamatan name, region code) — names and codes as in the Kepmendagri 2025 list.
_KECAMATAN: Final[tuple[tuple[str, str, str], ...]] = (
    ("KEC-PANCORANMAS", "Pancoran Mas", "32.76.01"),
    ("KEC-CIMANGGIS", "Cimanggis", "32.76.02"),
    ("KEC-SAWANGAN", "Sawangan", "32.76.03"),
    ("KEC-LIMO", "Limo", "32.76.04"),
    ("KEC-SUKMAJAYA", "Sukmajaya", "32.76.05"),
    ("KEC-BEJI", "Beji", "32.76.06"),
    ("KEC-CIPAYUNG", "Cipayung", "32.76.07"),
    ("KEC-CILODONG", "Cilodong", "32.76.08"),
    ("KEC-CINERE", "Cinere", "32.76.09"),
    ("KEC-TAPOS", "Tapos", "32.76.10"),
    ("KEC-BOJONGSARI", "Bojongsari", "32.76.11"),
)

# A kecamatan is a perangkat daerah in its own right (PP 17/2018), so its office hangs off the
# Pemda root, next to the OPDs.
KECAMATAN_OFFICES: Final[tuple[Agency, ...]] = tuple(
    Agency(code, f"Kecamatan {name}", f"Kec. {name}", "kecamatan", PEMDA_CODE, region)
    for code, name, region in _KECAMATAN
)


def _unit(code: str, name: str, short_name: str, parent: str) -> Agency:
    return Agency(code, name, short_name, "unit", parent)


UNITS: Final[tuple[Agency, ...]] = (
    _unit("BAG-ORGANISASI", "Bagian Organisasi Setda", "Bag. Organisasi", "SETDA"),
    _unit("BAG-PROKOPIM", "Bagian Protokol dan Komunikasi Pimpinan", "Bag. Prokopim", "SETDA"),
    _unit("BAG-HUKUM", "Bagian Hukum Setda", "Bag. Hukum", "SETDA"),
    _unit("BAG-PEMERINTAHAN", "Bagian Pemerintahan Setda", "Bag. Pemerintahan", "SETDA"),
    # RSUD is a unit organisasi bersifat khusus of the Dinas Kesehatan (PP 72/2019) with its own
    # budget and complaint desk; reports about it go to it directly.
    _unit("RSUD", "Rumah Sakit Umum Daerah Kota Depok", "RSUD Kota Depok", "DINKES"),
    *(
        _unit(f"PKM-{code.removeprefix('KEC-')}", f"UPTD Puskesmas {name}", f"PKM {name}", "DINKES")
        for code, name, _region in _KECAMATAN
    ),
    _unit("UPTD-LABKESDA", "UPTD Laboratorium Kesehatan Daerah", "Labkesda", "DINKES"),
    _unit("UPTD-TPA", "UPTD Tempat Pemrosesan Akhir Sampah Cipayung", "TPA Cipayung", "DLHK"),
    _unit("UPTD-LABLING", "UPTD Laboratorium Lingkungan", "Lab. Lingkungan", "DLHK"),
    _unit("UPTD-PKB", "UPTD Pengujian Kendaraan Bermotor", "UPTD PKB", "DISHUB"),
    _unit("UPTD-PARKIR", "UPTD Perparkiran", "UPTD Parkir", "DISHUB"),
    _unit("UPTD-JALAN", "UPTD Pemeliharaan Jalan dan Jembatan", "UPTD Jalan", "DPUPR"),
    _unit("UPTD-PALD", "UPTD Pengelolaan Air Limbah Domestik", "UPTD PALD", "DPUPR"),
    _unit("UPTD-PEMAKAMAN", "UPTD Pemakaman", "UPTD Pemakaman", "DISRUMKIM"),
    _unit("UPTD-PASAR-KM", "UPTD Pasar Kemiri Muka", "Pasar Kemiri Muka", "DISDAGIN"),
    _unit("UPTD-PASAR-AGUNG", "UPTD Pasar Agung", "Pasar Agung", "DISDAGIN"),
    _unit(
        "UPTD-PPA",
        "UPTD Perlindungan Perempuan dan Anak",
        "UPTD PPA",
        "DP3AP2KB",
    ),
)

# External agencies that receive forwarded reports. Vertical offices, state enterprises and the
# police answer for their own services; the Pemda can only forward (domain.md §1.7).
EXTERNAL_AGENCIES: Final[tuple[Agency, ...]] = (
    Agency("PROV-JABAR", "Pemerintah Provinsi Jawa Barat", "Pemprov Jabar", "provinsi"),
    Agency("PLN", "PT PLN (Persero) UP3 Depok", "PLN UP3 Depok", "bumn"),
    # BPJS are public legal bodies reporting to the President: handled like vertical offices.
    Agency("BPJS-KES", "BPJS Kesehatan Kantor Cabang Depok", "BPJS Kesehatan", "vertikal"),
    Agency("BPJS-TK", "BPJS Ketenagakerjaan Kantor Cabang Depok", "BPJS TK", "vertikal"),
    Agency("BPN", "Kantor Pertanahan (BPN) Kota Depok", "Kantah Depok", "vertikal"),
    Agency("POLRES", "Polres Metro Depok", "Polres Metro Depok", "polri"),
    Agency("PDAM", "Perumda Air Minum Tirta Asasta Kota Depok", "PDAM Tirta Asasta", "bumd"),
    # Kementerian PUPR was split in 2024; the BBWS now sits under Kementerian Pekerjaan Umum.
    Agency(
        "BBWS-CC",
        "Balai Besar Wilayah Sungai Ciliwung Cisadane (Kementerian PU)",
        "BBWS Ciliwung Cisadane",
        "kementerian",
    ),
    Agency("KCI", "PT Kereta Commuter Indonesia (KAI Commuter)", "KAI Commuter", "bumn"),
    Agency("KEMENAG", "Kantor Kementerian Agama Kota Depok", "Kemenag Depok", "vertikal"),
    Agency("IMIGRASI", "Kantor Imigrasi Kelas II Non TPI Depok", "Imigrasi Depok", "vertikal"),
)

# Parents always come before their children.
AGENCIES: Final[tuple[Agency, ...]] = (PEMDA, *OPDS, *KECAMATAN_OFFICES, *UNITS, *EXTERNAL_AGENCIES)
AGENCY_BY_CODE: Final[dict[str, Agency]] = {a.code: a for a in AGENCIES}

# --------------------------------------------------------------------------------------------
# Complaint categories
# --------------------------------------------------------------------------------------------


# One category per line: code | name | default report type | agency | completion override in
# working days (blank: the default of its type) | keywords for routing suggestions.
# A "[Topic]" line starts a group.
_CATEGORY_TABLE: Final = """
[Infrastruktur]
jalan_rusak | Jalan Rusak | pengaduan | DPUPR | | jalan, lubang, aspal, berlubang
banjir_drainase | Banjir dan Drainase | pengaduan | DPUPR | | banjir, genangan, drainase, got
trotoar | Trotoar dan Jalur Pejalan Kaki | pengaduan | DPUPR | | trotoar, pejalan kaki
jembatan | Jembatan Rusak | pengaduan | DPUPR | | jembatan, kali
tata_ruang | Pelanggaran Tata Ruang dan Bangunan | pengaduan | DPUPR | | bangunan, pbg, sempadan
psu_perumahan | Prasarana dan Utilitas Perumahan | pengaduan | DISRUMKIM | | psu, fasos, fasum
rutilahu | Rumah Tidak Layak Huni | aspirasi | DISRUMKIM | | rutilahu, bedah rumah
pemakaman | Pemakaman (TPU) | pengaduan | DISRUMKIM | | makam, tpu, pemakaman
taman_rth | Taman dan Ruang Terbuka Hijau | aspirasi | DISRUMKIM | | taman, rth
situ_kali | Situ dan Sungai | pengaduan | BBWS-CC | | situ, kali, sungai, tanggul, ciliwung
[Lingkungan]
sampah | Sampah Tidak Terangkut | pengaduan | DLHK | | sampah, truk sampah, tps, angkut
tps_liar | Pembuangan Sampah Liar | pengaduan | DLHK | | buang sampah, tps liar, bakar sampah
pencemaran | Pencemaran Lingkungan | pengaduan | DLHK | | limbah, pencemaran, bau, asap
pohon | Pohon Rawan Tumbang | pengaduan | DLHK | 3 | pohon, tumbang, dahan, pangkas
[Perhubungan]
pju | Lampu Penerangan Jalan | pengaduan | DISHUB | | pju, lampu jalan, penerangan, gelap
parkir_liar | Parkir Liar | pengaduan | DISHUB | | parkir, juru parkir, jukir
lalu_lintas | Kemacetan dan Rambu Lalu Lintas | pengaduan | DISHUB | | macet, rambu, lampu merah
angkot | Angkutan Umum | pengaduan | DISHUB | | angkot, angkutan umum, ngetem, sopir
krl | KRL Commuter Line | pengaduan | KCI | | krl, kereta, stasiun, commuter
[Ketertiban]
pkl | Pedagang Kaki Lima | pengaduan | SATPOLPP | | pkl, pedagang kaki lima, lapak
ketertiban | Gangguan Ketertiban Umum | pengaduan | SATPOLPP | | ketertiban, bising, miras
reklame | Reklame dan Spanduk Liar | pengaduan | SATPOLPP | | reklame, spanduk, baliho
kamtibmas | Keamanan dan Ketertiban Masyarakat | pengaduan | POLRES | | begal, balap liar, tawuran
[Kebencanaan]
evakuasi_hewan | Evakuasi Hewan Berbahaya | pengaduan | DAMKAR | 1 | ular, tawon, biawak
proteksi_kebakaran | Proteksi Kebakaran dan Hidran | aspirasi | DAMKAR | | hidran, kebakaran, apar
bencana | Longsor dan Bencana | pengaduan | BPBD | 3 | longsor, bencana, angin kencang
[Kesehatan]
puskesmas | Pelayanan Puskesmas | pengaduan | DINKES | | puskesmas, antrean, dokter, obat
rsud | Pelayanan RSUD | pengaduan | RSUD | | rsud, rumah sakit, igd, rawat inap
dbd | Demam Berdarah dan Fogging | pengaduan | DINKES | | dbd, demam berdarah, fogging, jentik
bpjs_kesehatan | BPJS Kesehatan | pengaduan | BPJS-KES | | bpjs, jkn, kis, pbi, faskes
[Pendidikan]
ppdb | PPDB / SPMB SD dan SMP | pengaduan | DISDIK | 5 | ppdb, spmb, zonasi, domisili
ppdb_sma | PPDB / SPMB SMA dan SMK | pengaduan | PROV-JABAR | | sma, smk, ppdb jabar
pungutan_sekolah | Pungutan di Sekolah | pengaduan | DISDIK | | pungutan, iuran, seragam, komite
fasilitas_sekolah | Sarana Prasarana Sekolah | aspirasi | DISDIK | | ruang kelas, sekolah rusak
[Kependudukan]
ktp_kk | KTP-el dan KK | pengaduan | DISDUKCAPIL | | ktp, e-ktp, kk, kartu keluarga, ikd
akta | Akta Kelahiran dan Kematian | pengaduan | DISDUKCAPIL | | akta, kelahiran, kematian
[Sosial]
bansos | Bantuan Sosial | pengaduan | DINSOS | | bansos, pkh, bpnt, dtks, dtsen
pmks | Gelandangan, Pengemis dan ODGJ Terlantar | pengaduan | DINSOS | | pengemis, odgj
kekerasan_pa | Kekerasan terhadap Perempuan dan Anak | pengaduan | DP3AP2KB | 7 | kdrt, kekerasan
kua_madrasah | Layanan KUA dan Madrasah | pengaduan | KEMENAG | | kua, nikah, madrasah
[Ekonomi]
perizinan | Perizinan Berusaha dan PBG | pengaduan | DPMPTSP | | izin, oss, nib, pbg, slf
pasar | Pasar Tradisional | pengaduan | DISDAGIN | | pasar, los, kios, retribusi
harga_pangan | Harga dan Ketersediaan Bahan Pokok | informasi | DISDAGIN | | harga, beras, elpiji
umkm | Pembinaan UMKM dan Koperasi | aspirasi | DKUM | | umkm, koperasi, usaha mikro
pertanian_hewan | Pertanian dan Kesehatan Hewan | pengaduan | DKP3 | | rabies, hewan, ternak
ketenagakerjaan | Ketenagakerjaan | pengaduan | DISNAKER | | phk, upah, gaji, pesangon
bpjs_tk | BPJS Ketenagakerjaan | pengaduan | BPJS-TK | | jht, bpjs ketenagakerjaan
pajak_daerah | PBB dan Pajak Daerah | pengaduan | BAPENDA | | pbb, bphtb, pajak, sppt
pajak_kendaraan | Pajak Kendaraan dan Samsat | pengaduan | PROV-JABAR | | samsat, stnk, pkb
[Tata Kelola]
pungli | Pungutan Liar | pengaduan_pengawasan | INSPEKTORAT | | pungli, calo, uang pelicin
asn | Perilaku dan Disiplin ASN | pengaduan_pengawasan | BKPSDM | | asn, pns, pegawai, bolos
informasi_publik | Permintaan Informasi Publik | informasi | DISKOMINFO | 10 | ppid, data, dokumen
layanan_digital | Aplikasi dan Website Pemkot | pengaduan | DISKOMINFO | | aplikasi, website, wifi
usulan_pembangunan | Usulan Pembangunan | aspirasi | BAPPEDA | | usulan, musrenbang
olahraga_wisata | Fasilitas Olahraga, Budaya dan Wisata | aspirasi | DISPORYATA | | gor, lapangan
[Utilitas]
listrik | Listrik Padam | pengaduan | PLN | 3 | listrik, pln, padam, mati lampu, gardu
air_pdam | Air PDAM | pengaduan | PDAM | 5 | pdam, air mati, air keruh, pipa bocor
[Layanan Vertikal]
sertifikat_tanah | Sertifikat Tanah | pengaduan | BPN | | sertifikat, bpn, tanah, ptsl
paspor | Layanan Paspor | pengaduan | IMIGRASI | | paspor, imigrasi
"""
# Why the overrides: informasi_publik follows UU 14/2008 Art. 22(7) (10 working days); the
# others are urgent in practice (animals, fallen trees, landslides, outages, school admission).


def _parse_categories(table: str) -> tuple[Category, ...]:
    out: list[Category] = []
    topic = ""
    for line in table.strip().splitlines():
        if line.startswith("["):
            topic = line.strip("[]")
            continue
        code, name, report_type, agency, days, keywords = (f.strip() for f in line.split("|"))
        if report_type not in REPORT_TYPES:
            raise ValueError(f"{code}: unknown report type {report_type!r}")
        out.append(
            Category(
                code=code,
                name=name,
                report_type=cast(ReportType, report_type),
                agency_code=agency,
                deadline_days=int(days) if days else None,
                topic=topic,
                keywords=tuple(k.strip() for k in keywords.split(",")),
            )
        )
    return tuple(out)


CATEGORIES: Final[tuple[Category, ...]] = _parse_categories(_CATEGORY_TABLE)
CATEGORY_BY_CODE: Final[dict[str, Category]] = {c.code: c for c in CATEGORIES}

# Extra questions some categories ask (complaints.CategoryAttribute), one of each datatype
# among them: (category, code, question, datatype, required, choices as (key, name) pairs).
CATEGORY_ATTRIBUTES: Final[
    tuple[tuple[str, str, str, str, bool, tuple[tuple[str, str], ...]], ...]
] = (
    ("pju", "nomor_tiang", "Nomor tiang lampu (tertera di tiang)", "string", False, ()),
    (
        "pju",
        "kondisi",
        "Kondisi lampu",
        "singlevaluelist",
        True,
        (("mati", "Mati total"), ("berkedip", "Berkedip"), ("siang", "Menyala siang hari")),
    ),
    (
        "jalan_rusak",
        "kerusakan",
        "Jenis kerusakan",
        "multivaluelist",
        False,
        (("lubang", "Lubang"), ("retak", "Retak"), ("amblas", "Amblas"), ("genangan", "Genangan")),
    ),
    ("jalan_rusak", "lebar_cm", "Perkiraan lebar kerusakan (cm)", "number", False, ()),
    ("pohon", "sejak", "Sejak kapan pohon terlihat miring?", "datetime", False, ()),
    ("sampah", "keterangan", "Keterangan tambahan lokasi TPS", "text", False, ()),
)

# --------------------------------------------------------------------------------------------
# Officer personas (fictional). Username scheme: first.last in lowercase ASCII, or the single
# name for people with one name. Every officer's e-mail is username@EMAIL_DOMAIN.
# --------------------------------------------------------------------------------------------


def _grants(spec: str) -> tuple[RoleGrant, ...]:
    """Parse "verifier@PEMKOT liaison@DISKOMINFO" into role grants."""
    out: list[RoleGrant] = []
    for item in spec.split():
        role, agency = item.split("@")
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        out.append(RoleGrant(cast(Role, role), agency))
    return tuple(out)


def _officer(username: str, name: str, position: str, agency_code: str, grants: str) -> Officer:
    return Officer(username, name, position, agency_code, _grants(grants))


# Heads and liaisons (pejabat penghubung) of every internal agency that handles a category:
# agency | head | liaison | liaison's position.
_OPD_STAFF: Final = """
DPUPR | Tatang Sutisna | Ade Kurniawan | Kepala Subbagian Umum dan Kepegawaian
DISRUMKIM | Bambang Hariyanto | Rosmawati Nainggolan | Analis Kebijakan Ahli Muda
DLHK | Engkos Kosasih | Nurlaela | Pengawas Lingkungan Hidup Ahli Muda
DISHUB | Heru Susanto | Andri Saputra | Kepala Subbagian Umum dan Kepegawaian
SATPOLPP | Hotman Siregar | Saiful Bahri | Kepala Seksi Penyelidikan dan Penyidikan
DAMKAR | Abdul Rojak | Wawan Hermawan | Kepala Seksi Penyelamatan
BPBD | Zainal Arifin | Yuyun Wahyuni | Analis Kebencanaan
DINKES | Endang Sulistyowati | Rahmi Yuliani | Administrator Kesehatan Ahli Muda
RSUD | Andi Muhammad Arif | Friska Manurung | Kepala Instalasi Humas dan Pengaduan
DISDIK | Joko Purwanto | Euis Komariah | Analis Kebijakan Ahli Muda
DISDUKCAPIL | Nani Sumarni | Ilham Pratama | Administrator Database Kependudukan
DINSOS | Mansyur | Dwi Astuti | Pekerja Sosial Ahli Muda
DP3AP2KB | Retno Palupi | Juliana Pardede | Konselor UPTD Perlindungan Perempuan dan Anak
DPMPTSP | Gunawan Wibisono | Cecep Supriatna | Penata Perizinan Ahli Muda
DISDAGIN | Hendra Wijaya | Siti Nurhasanah | Pengawas Perdagangan Ahli Muda
DKUM | Yusra Effendi | Puji Rahayu | Penyuluh Koperasi dan Usaha Mikro
DKP3 | Slamet Widodo | Ai Rostiani | Medik Veteriner Ahli Muda
DISNAKER | Togar Simatupang | Mursidah | Mediator Hubungan Industrial
BAPENDA | Hadi Sucipto | Yulianti Syafri | Analis Pajak Daerah
INSPEKTORAT | Irwan Lubis | Anik Setyaningsih | Auditor Ahli Madya
BKPSDM | Teuku Fadhil | Iis Nurhayati | Analis SDM Aparatur Ahli Muda
DISKOMINFO | Agus Prasetyo | Dede Suryana | Pranata Humas Ahli Muda
BAPPEDA | Nofrizal | Tri Wulandari | Perencana Ahli Muda
DISPORYATA | Stevan Lumowa | Rudi Sitompul | Analis Pariwisata
"""

# Heads whose title is not simply "Kepala <agency name>".
_HEAD_TITLES: Final[dict[str, str]] = {
    "BPBD": "Kepala Pelaksana BPBD",
    "RSUD": "Direktur RSUD Kota Depok",
    "INSPEKTORAT": "Inspektur Daerah",
}

# Kecamatan office | camat | sekretaris kecamatan (liaison)
_KECAMATAN_STAFF: Final = """
KEC-PANCORANMAS | Yayan Sopyan | Maria Hutapea
KEC-CIMANGGIS | Muhammad Jaelani | Eko Prasetyo
KEC-SAWANGAN | Dadang Suhendar | Nining Kurniasih
KEC-LIMO | Kristiyanto | Rini Marlina
KEC-SUKMAJAYA | Budi Santoso | Neneng Rohaeti
KEC-BEJI | Afrizal | La Ode Hamzah
KEC-CIPAYUNG | Asep Saepudin | Cut Rahmawati
KEC-CILODONG | Lamhot Sinaga | Rohimah
KEC-CINERE | I Made Suardana | Yohana Pattiasina
KEC-TAPOS | Ujang Rahmat | Sri Wahyuningsih
KEC-BOJONGSARI | Hendra Syahputra | Fitri Nasution
"""


def _rows(table: str) -> list[list[str]]:
    return [[f.strip() for f in line.split("|")] for line in table.strip().splitlines()]


def username_for(name: str) -> str:
    """first.last in lowercase ASCII ("La Ode Hamzah" → "la.hamzah", "Mansyur" → "mansyur")."""
    words = [w.lower() for w in name.replace("'", "").split()]
    return words[0] if len(words) == 1 else f"{words[0]}.{words[-1]}"


# People with Pemda-wide roles: name | position | where they work | roles. The admin instansi
# at Diskominfo verify for the whole Pemda; Dede Suryana is also Diskominfo's own liaison (one
# person, roles in two agencies). Leaders are read-only city-wide; service-quality evaluation
# sits with the Bagian Organisasi of the Setda.
_PEMDA_STAFF: Final = """
Rina Nurjanah | Admin Instansi SP4N-LAPOR! | DISKOMINFO | verifier@PEMKOT
Dede Suryana | Pranata Humas Ahli Muda | DISKOMINFO | verifier@PEMKOT liaison@DISKOMINFO
Roy Simanjuntak | Admin Instansi SP4N-LAPOR! | DISKOMINFO | verifier@PEMKOT
Wahyu Kurniawan | Sekretaris Daerah | SETDA | leader@PEMKOT
Suharti | Kepala Bagian Protokol dan Komunikasi Pimpinan | BAG-PROKOPIM | leader@PEMKOT
Benny Harahap | Analis Kelembagaan Ahli Muda | BAG-ORGANISASI | evaluator@PEMKOT
Fajar Maulana | Pranata Komputer Ahli Muda | DISKOMINFO | sysadmin@PEMKOT
"""


def _build_officers() -> tuple[Officer, ...]:
    officers = [
        _officer(username_for(name), name, position, agency, grants)
        for name, position, agency, grants in _rows(_PEMDA_STAFF)
    ]
    taken = {o.username for o in officers}
    for agency, head, liaison, liaison_position in _rows(_OPD_STAFF):
        agency_name = AGENCY_BY_CODE[agency].name
        title = _HEAD_TITLES.get(agency, f"Kepala {agency_name}")
        officers.append(_officer(username_for(head), head, title, agency, f"agency_head@{agency}"))
        if username_for(liaison) not in taken:
            officers.append(
                _officer(
                    username_for(liaison), liaison, liaison_position, agency, f"liaison@{agency}"
                )
            )
    for agency, camat, sekcam in _rows(_KECAMATAN_STAFF):
        office = AGENCY_BY_CODE[agency].name  # "Kecamatan Beji"
        officers.append(
            _officer(
                username_for(camat),
                camat,
                "Camat " + office.removeprefix("Kecamatan "),
                agency,
                f"agency_head@{agency}",
            )
        )
        officers.append(
            _officer(
                username_for(sekcam), sekcam, f"Sekretaris {office}", agency, f"liaison@{agency}"
            )
        )
    return tuple(officers)


OFFICERS: Final[tuple[Officer, ...]] = _build_officers()
OFFICER_BY_USERNAME: Final[dict[str, Officer]] = {o.username: o for o in OFFICERS}

# --------------------------------------------------------------------------------------------
# Geography
# --------------------------------------------------------------------------------------------

CITY_CENTRE: Final = (-6.4025, 106.8180)  # near Balai Kota, Jl. Margonda Raya
# A loose box around the city: jittered points are clamped into it.
CITY_BOUNDS: Final = (-6.4700, 106.7200, -6.3300, 106.9200)  # south, west, north, east

# Kecamatan | approximate centre (lat, lon) | main streets | landmarks. Names as commonly used
# in Depok; coordinates are rough centres of each kecamatan.
_DISTRICT_TABLE: Final = """
32.76.01 | Pancoran Mas | -6.4060, 106.8060
  Jl. Raya Sawangan; Jl. Raya Kartini; Jl. Pitara; Jl. Siliwangi; Jl. Dewi Sartika; Jl. Pemuda
  Jl. Raya Citayam; Jl. Cagar Alam; Jl. Margonda Raya
  Stasiun Depok; Stasiun Depok Baru; Terminal Depok; ITC Depok; Balai Kota Depok
  Situ Rawa Besar; Tahura Pancoran Mas
32.76.02 | Cimanggis | -6.3700, 106.8620
  Jl. Raya Bogor; Jl. Akses UI; Jl. Radar Auri; Jl. Raya Kelapa Dua; Jl. Raya Tugu
  Jl. Komjen Pol. M. Jasin; Jl. Raya Cisalak
  Pasar Cisalak; Mako Brimob Kelapa Dua; Kampus Gunadarma Kelapa Dua; Pasar Tugu
32.76.03 | Sawangan | -6.4030, 106.7650
  Jl. Raya Sawangan; Jl. Raya Muchtar; Jl. Raya Pengasinan; Jl. Raya Cinangka
  Jl. Raya Bedahan; Jl. Raya Kedaung
  RSUD Kota Depok; Situ Pengasinan; Situ Pasir Putih; Perumahan Bukit Sawangan Indah
32.76.04 | Limo | -6.3680, 106.7830
  Jl. Raya Limo; Jl. Raya Krukut; Jl. Raya Meruyung; Jl. Raya Grogol; Jl. Pramuka
  Masjid Kubah Emas Dian Al-Mahri; Kantor Kecamatan Limo; Situ Krukut
32.76.05 | Sukmajaya | -6.3940, 106.8390
  Jl. Tole Iskandar; Jl. Juanda; Jl. Proklamasi; Jl. Merdeka Raya; Jl. Kemakmuran
  Jl. Raya Bogor; Jl. Bahagia Raya
  Pasar Agung; Lapangan Merdeka Depok II; Depok II Tengah; Depok II Timur
32.76.06 | Beji | -6.3760, 106.8200
  Jl. Margonda Raya; Jl. Arif Rahman Hakim; Jl. Nusantara; Jl. H. Amat; Jl. Tanah Baru
  Jl. Palakali; Jl. Juanda; Jl. Kemiri Muka
  Universitas Indonesia; Margo City; Depok Town Square; Stasiun Pondok Cina
  Stasiun Universitas Indonesia; Pasar Kemiri Muka
32.76.07 | Cipayung | -6.4320, 106.8000
  Jl. Raya Citayam; Jl. Ratu Jaya; Jl. Raya Cipayung; Jl. Bojong Pondok Terong
  Jl. Pondok Jaya
  TPA Cipayung; Kantor Kecamatan Cipayung; Situ Citayam
32.76.08 | Cilodong | -6.4400, 106.8420
  Jl. Boulevard Grand Depok City; Jl. Raya Kalimulya; Jl. Raya Jakarta-Bogor
  Jl. Raya Kalibaru; Jl. Jatimulya
  Alun-alun Kota Depok; Grand Depok City; Markas Kostrad Cilodong; Kantor Imigrasi Depok
32.76.09 | Cinere | -6.3350, 106.7830
  Jl. Cinere Raya; Jl. Raya Gandul; Jl. Bandung; Jl. Pangkalan Jati; Jl. Puri Cinere
  Mall Cinere; Gerbang Tol Cinere; Kantor Kecamatan Cinere
32.76.10 | Tapos | -6.4250, 106.8850
  Jl. Raya Tapos; Jl. Raya Bogor; Jl. Raya Cilangkap; Jl. Raya Leuwinanggung
  Jl. Raya Cimpaeun; Jl. Raya Sukatani; Jl. Raya Jatijajar
  Terminal Jatijajar; Pasar Sukatani; Kantor Kecamatan Tapos
32.76.11 | Bojongsari | -6.3960, 106.7370
  Jl. Raya Parung-Ciputat; Jl. Raya Bojongsari; Jl. Raya Pondok Petir; Jl. Raya Curug
  Jl. Raya Serua; Jl. Raya Duren Seribu
  Situ Bojongsari; Kantor Kecamatan Bojongsari; Perumahan Pesona Serua
"""


def _parse_districts(table: str) -> tuple[District, ...]:
    """Each block: a header line, then indented lines of streets ("Jl."/"Gg.") and landmarks."""
    out: list[District] = []
    block: list[str] = []
    for line in [*table.strip().splitlines(), "END"]:
        if not line.startswith(" ") and block:
            code, name, point = (f.strip() for f in block[0].split("|"))
            lat, lon = (float(x) for x in point.split(","))
            items = [x.strip() for rest in block[1:] for x in rest.split(";")]
            streets = tuple(x for x in items if x.startswith(("Jl.", "Gg.")))
            landmarks = tuple(x for x in items if not x.startswith(("Jl.", "Gg.")))
            out.append(District(code, name, lat, lon, streets, landmarks))
            block = []
        block.append(line)
    return tuple(out)


DISTRICTS: Final[tuple[District, ...]] = _parse_districts(_DISTRICT_TABLE)
DISTRICT_BY_NAME: Final[dict[str, District]] = {d.name: d for d in DISTRICTS}
DISTRICT_BY_CODE: Final[dict[str, District]] = {d.code: d for d in DISTRICTS}

STREETS: Final[tuple[str, ...]] = tuple(dict.fromkeys(s for d in DISTRICTS for s in d.streets))
LANDMARKS: Final[tuple[str, ...]] = tuple(dict.fromkeys(x for d in DISTRICTS for x in d.landmarks))

# Small residential streets and alleys found all over the city (generic names).
LOCAL_STREETS: Final[tuple[str, ...]] = tuple(
    x.strip()
    for x in """Gg. Masjid; Gg. Mawar; Gg. Melati; Gg. Kenanga; Gg. H. Dul; Gg. Haji Ipin;
    Gg. Damai; Gg. Swadaya; Gg. Mushola; Jl. Kenari; Jl. Cempaka; Jl. Flamboyan; Jl. Anggrek;
    Jl. Nangka; Jl. Rambutan; Jl. Haji Sulaiman; Jl. Kelurahan; Jl. Bakti; Jl. Sawo; Jl. Belimbing;
    Jl. Lapangan Bola; Jl. Pendidikan""".split(";")
)


def jitter_point(
    rng: random.Random, district: District | None = None, radius: float = 0.012
) -> tuple[float, float]:
    """A random (lat, lon) near a kecamatan centre (or the city centre), inside CITY_BOUNDS."""
    lat, lon = (district.lat, district.lon) if district else CITY_CENTRE
    south, west, north, east = CITY_BOUNDS
    lat = min(north, max(south, lat + rng.uniform(-radius, radius)))
    lon = min(east, max(west, lon + rng.uniform(-radius, radius)))
    return round(lat, 6), round(lon, 6)


# --------------------------------------------------------------------------------------------
# Field teams (who does the site visit or the work) per agency, for follow-up texts.
# --------------------------------------------------------------------------------------------

_TEAM_TABLE: Final = """
DPUPR: tim UPTD Pemeliharaan Jalan dan Jembatan; tim Bidang Sumber Daya Air; tim teknis DPUPR
DISRUMKIM: tim teknis Disrumkim; petugas pertamanan dan pemakaman
DLHK: petugas kebersihan wilayah; tim pengawas lingkungan hidup DLHK; armada angkutan sampah DLHK
DISHUB: petugas Dishub; tim PJU Dinas Perhubungan; petugas lalu lintas Dishub
SATPOLPP: personel Satpol PP; tim penegakan Perda Satpol PP
DAMKAR: regu penyelamatan Damkar; petugas Damkar sektor terdekat
BPBD: Tim Reaksi Cepat BPBD; petugas kaji cepat BPBD
DINKES: petugas puskesmas setempat; tim surveilans Dinas Kesehatan
RSUD: manajemen pelayanan RSUD; tim pengaduan RSUD
DISDIK: pengawas sekolah Dinas Pendidikan; panitia SPMB Dinas Pendidikan
DISDUKCAPIL: petugas layanan Disdukcapil; tim administrator database kependudukan
DINSOS: Tim Reaksi Cepat Dinas Sosial; pendamping sosial wilayah
DP3AP2KB: konselor UPTD PPA; tim penjangkauan UPTD PPA
DPMPTSP: petugas front office DPMPTSP; tim teknis perizinan
DISDAGIN: petugas UPTD Pasar; tim pengawas perdagangan
DKUM: penyuluh koperasi dan usaha mikro
DKP3: petugas kesehatan hewan DKP3; penyuluh pertanian
DISNAKER: mediator hubungan industrial Disnaker
BAPENDA: petugas pelayanan PBB Bapenda
INSPEKTORAT: tim pemeriksa Inspektorat
BKPSDM: tim pemeriksa disiplin pegawai BKPSDM
DISKOMINFO: tim PPID dan pengelola aplikasi Diskominfo
BAPPEDA: tim perencana Bappeda
DISPORYATA: petugas pengelola sarana olahraga
PROV-JABAR: perangkat daerah terkait di Pemerintah Provinsi Jawa Barat
PLN: petugas pelayanan teknik PLN UP3 Depok; regu pemeliharaan jaringan PLN
BPJS-KES: petugas BPJS Kesehatan
BPJS-TK: petugas BPJS Ketenagakerjaan
BPN: petugas Kantor Pertanahan
POLRES: personel Polsek setempat; tim patroli Polres Metro Depok
PDAM: petugas distribusi Tirta Asasta; tim perbaikan pipa Tirta Asasta
BBWS-CC: tim operasi dan pemeliharaan BBWS Ciliwung Cisadane
KCI: petugas layanan KAI Commuter
KEMENAG: petugas Kantor Kementerian Agama
IMIGRASI: petugas Kantor Imigrasi Depok
"""
FIELD_TEAMS: Final[dict[str, tuple[str, ...]]] = {
    code: tuple(t.strip() for t in teams.split(";"))
    for code, teams in (line.split(":", 1) for line in _TEAM_TABLE.strip().splitlines())
}
DEFAULT_FIELD_TEAMS: Final = ("petugas teknis terkait", "tim lapangan")

# --------------------------------------------------------------------------------------------
# Reporter names: the mix of origins found in Depok (Sundanese and Betawi natives, Javanese and
# other migrants). Block: "[origin weight]", then m: / f: first names, lm: / lf: surnames for
# men / women, single: one-word names (common among older Javanese).
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameGroup:
    origin: str
    weight: int
    male: tuple[str, ...]
    female: tuple[str, ...]
    male_surnames: tuple[str, ...]
    female_surnames: tuple[str, ...]
    single: tuple[str, ...] = ()


_NAME_TABLE: Final = """
[Sunda 24]
m: Asep; Ujang; Dadang; Cecep; Deden; Yayan; Acep; Ade; Iwan; Endang; Rizal; Dede; Aep; Wawan
f: Euis; Neneng; Iis; Nining; Cucu; Yuyun; Dewi; Rina; Lilis; Entin; Wulan; Elis; Imas; Teti
lm: Supriatna; Saepudin; Hidayat; Permana; Suryana; Mulyana; Rustandi; Sopandi; Sunandar; Kusnadi
lf: Komariah; Nurjanah; Rohaeti; Kurniasih; Sumarni; Rosita; Nurhayati; Rahmawati; Sukaesih
[Jawa 22]
m: Budi; Joko; Agus; Bambang; Slamet; Wahyu; Heru; Eko; Dwi; Teguh; Sigit; Hadi; Bayu; Yudi
f: Sri; Endang; Tri; Dwi; Retno; Puji; Yuli; Rini; Sulastri; Wulan; Ratna; Sari; Indah; Anik
lm: Santoso; Prasetyo; Susanto; Wibowo; Nugroho; Hartono; Purnomo; Setiawan; Kurniawan; Sutrisno
lf: Lestari; Wulandari; Rahayu; Astuti; Handayani; Kusumawati; Puspitasari; Utami; Wahyuni
single: Suharti; Sutrisno; Wagiman; Sumiati; Kristiyanto; Paijo; Sukarmi; Tukiman; Suparni
[Betawi 14]
m: Muhammad; Ahmad; Abdul; Saiful; Zainal; Rojali; Mamat; Jaelani; Sanusi; Ridwan; Usman
f: Siti; Nur; Rohimah; Mursidah; Aminah; Nurlela; Saodah; Fatimah; Juleha; Maesaroh
lm: Rojak; Jaelani; Bahri; Arifin; Hasan; Ridwan; Sanusi; Sholeh; Syahroni; Mursid
lf: Aminah; Hasanah; Maimunah; Rohmah; Zubaidah; Khodijah; Halimah
[Umum 16]
m: Aditya; Rizky; Fajar; Dimas; Arif; Reza; Galih; Yoga; Farhan; Alif; Ilham; Bagas; Rafi
f: Putri; Nabila; Ayu; Dinda; Salsabila; Aulia; Anisa; Tiara; Nadia; Khairunnisa; Syifa; Zahra
lm: Pratama; Ramadhan; Maulana; Nugraha; Firmansyah; Hakim; Saputra; Kurniawan; Wijaksono
lf: Azzahra; Rahmawati; Permatasari; Maharani; Amelia; Fitriani; Anggraini; Safitri; Lestari
[Batak 8]
m: Roy; Hotman; Togar; Lamhot; Benny; Rudi; Jonathan; Daniel; Parlindungan; Irwan; Poltak
f: Maria; Juliana; Rosmawati; Friska; Lusiana; Debora; Fitri; Rotua; Sondang; Yanti
lm: Siregar; Simanjuntak; Nainggolan; Sitompul; Hutapea; Pardede; Sinaga; Simatupang; Manurung
lm: Harahap; Nasution; Lubis; Tampubolon; Situmorang; Panjaitan
[Minang 7]
m: Afrizal; Nofrizal; Hendra; Rizki; Fadli; Yusra; Andri; Zulkifli; Ilham; Rahmat; Syafrudin
f: Yulianti; Rahmi; Rini; Fitri; Mega; Wirda; Yusnita; Elvira; Desi; Nelmi
lm: Syafri; Effendi; Chaniago; Koto; Tanjung; Piliang; Hamzah; Sikumbang; Jambak
[Tionghoa 4]
m: Hendra; Kevin; Yohanes; Budi; Felix; Andreas; Steven; Wilson
f: Lina; Meiliana; Yenny; Cindy; Vivi; Lily; Susanti; Fransiska
lm: Wijaya; Gunawan; Halim; Kusuma; Santoso; Tanjaya; Lim; Setiadi; Hartanto
[Timur 3]
m: Stevan; Michael; Yohanis; Ricky; Marthen; Frans
f: Grace; Maria; Yohana; Meiske; Novita; Christin
lm: Lumowa; Wowor; Pattiasina; Latuheru; Tuhumury; Mandagi; Sumampouw; Rumbewas
[Bali 2]
m: I Made; I Wayan; I Ketut; I Nyoman; I Gede; I Komang
f: Ni Luh; Ni Made; Ni Ketut; Ni Wayan; Ni Kadek
lm: Suardana; Artawan; Mahendra; Wirawan; Sudiarta; Astawa; Wiguna
lf: Ariani; Sukmawati; Lestari; Sriasih; Purnamasari
"""


def _parse_names(table: str) -> tuple[NameGroup, ...]:
    out: list[NameGroup] = []
    fields: dict[str, list[str]] = {}
    header = ""
    for line in [*table.strip().splitlines(), "[END 0]"]:
        if line.startswith("["):
            if header:
                origin, weight = header.strip("[]").rsplit(" ", 1)
                male_surnames = tuple(fields.get("lm", ()))
                out.append(
                    NameGroup(
                        origin,
                        int(weight),
                        tuple(fields["m"]),
                        tuple(fields["f"]),
                        male_surnames,
                        tuple(fields.get("lf", ())) or male_surnames,
                        tuple(fields.get("single", ())),
                    )
                )
            header, fields = line, {}
            continue
        key, values = line.split(":", 1)
        fields.setdefault(key, []).extend(v.strip() for v in values.split(";"))
    return tuple(out)


NAME_GROUPS: Final[tuple[NameGroup, ...]] = _parse_names(_NAME_TABLE)
