from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Region(models.Model):
    """Administrative region by Kepmendagri code (provinsi, kab/kota, kecamatan, kelurahan/desa)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("provinsi")
        REGENCY = 2, _("kabupaten/kota")
        DISTRICT = 3, _("kecamatan")
        VILLAGE = 4, _("kelurahan/desa")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = pgettext_lazy("plural", "wilayah")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Agency(models.Model):
    """An agency in the tree Pemda → OPD → unit, or an external agency that can receive forwards.

    External agencies (the province, ministries, vertical bodies such as PLN, BPJS, BPN, Polri)
    take reports forwarded under the No Wrong Door Policy (domain.md §1.7).
    """

    class Kind(models.TextChoices):
        PEMDA = "pemda", _("Pemerintah Daerah")
        OPD = "opd", _("Perangkat Daerah (OPD)")
        UNIT = "unit", _("Unit layanan")
        EXTERNAL = "external", _("Instansi eksternal")

    class ExternalType(models.TextChoices):
        NONE = "", _("—")
        PROVINCE = "provinsi", _("Pemerintah Provinsi")
        MINISTRY = "kementerian", _("Kementerian/Lembaga")
        VERTICAL = "vertikal", _("Instansi vertikal")
        SOE = "bumn", _("BUMN")
        REGIONAL_SOE = "bumd", _("BUMD")
        POLICE = "polri", _("Kepolisian")
        OTHER_PEMDA = "pemda_lain", _("Pemerintah daerah lain")

    code = models.SlugField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    external_type = models.CharField(
        _("jenis instansi eksternal"), max_length=12, choices=ExternalType.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("induk"),
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("wilayah")
    )
    email = models.EmailField(_("surel"), blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    # Federation (docs/open311.md): an external agency with its own complaint system that
    # speaks Open311 GeoReport v2 gets the reports forwarded to it there, and its answers come
    # back onto our timeline.
    open311_url = models.URLField(
        _("alamat Open311"),
        max_length=300,
        blank=True,
        help_text=_(
            "Alamat GeoReport v2 instansi ini, misalnya https://lapor.contoh.go.id/open311/v2"
        ),
    )
    open311_jurisdiction = models.CharField(
        _("jurisdiction_id Open311"),
        max_length=100,
        blank=True,
        help_text=_("Kosongkan bila server itu hanya melayani satu pemerintah."),
    )
    open311_service_code = models.CharField(
        _("kode layanan Open311"),
        max_length=100,
        blank=True,
        help_text=_("service_code di server itu tempat laporan terusan dicatat."),
    )
    #: The API key we use there, encrypted at rest (core/crypto.py); set through the admin.
    open311_key_encrypted = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = pgettext_lazy("plural", "instansi")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="external") | models.Q(external_type=""),
                name="agency_external_type_only_for_external",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="external") | models.Q(open311_url=""),
                name="agency_open311_only_for_external",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_external(self) -> bool:
        return self.kind == self.Kind.EXTERNAL

    @property
    def is_federated(self) -> bool:
        """Reports forwarded here are filed on the agency's own Open311 server."""
        return bool(self.is_external and self.open311_url and self.open311_service_code)


class Role(models.TextChoices):
    """design.md §5."""

    VERIFIER = "verifier", _("Verifikator (admin instansi)")
    LIAISON = "liaison", _("Pejabat penghubung")
    AGENCY_HEAD = "agency_head", _("Kepala instansi")
    LEADER = "leader", _("Pimpinan")
    EVALUATOR = "evaluator", _("Evaluator")
    SYSADMIN = "sysadmin", _("Administrator sistem")


class Membership(models.Model):
    """A person's role in an agency; one person may hold several roles in several agencies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = pgettext_lazy("plural", "keanggotaan")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_user_agency_role_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class CalendarDay(models.Model):
    """A local holiday or a correction of the national calendar (domain.md §7).

    National holidays and cuti bersama come from the ``holidays`` package; rows here add local
    holidays (``holiday``) or mark a date as a working day after all (``workday``), e.g. when a
    decree moves a cuti bersama.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Hari libur (tambahan)")
        WORKDAY = "workday", _("Hari kerja (koreksi)")

    date = models.DateField(_("tanggal"), unique=True)
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("keterangan"), max_length=200)
    decree = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hari kalender")
        verbose_name_plural = _("kalender hari kerja")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}: {self.name}"


class RegionBoundary(models.Model):
    """The boundary polygon of a region, loaded by ``satupintu regions load-boundaries``.

    ``geometry`` is a GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude, rounded to 6
    decimals (about 0.1 m), checked by :mod:`satupintu.domain.geo` before it is stored.
    ``area_km2`` is its geodesic area, ``bbox`` is ``[min_lon, min_lat, max_lon, max_lat]`` and
    ``centroid`` ``[lon, lat]``. ``source`` names where the polygon came from and its licence.
    """

    region = models.OneToOneField(
        Region,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="boundary",
        verbose_name=_("wilayah"),
    )
    geometry = models.JSONField(_("geometri"))
    area_km2 = models.FloatField(_("luas (km²)"))
    bbox = models.JSONField(_("kotak batas"))
    centroid = models.JSONField(_("titik tengah"))
    source = models.CharField(_("sumber"), max_length=300)
    loaded_at = models.DateTimeField(_("dimuat pada"), db_index=True)

    class Meta:
        verbose_name = _("batas wilayah")
        verbose_name_plural = pgettext_lazy("plural", "batas wilayah")
        ordering = ["region"]

    def __str__(self) -> str:
        return f"{self.region_id} ({self.area_km2:.3f} km²)"


class RegionPopulation(models.Model):
    """A region's population in a year, loaded by ``satupintu regions load-population``."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="populations", verbose_name=_("wilayah")
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    population = models.PositiveIntegerField(_("jumlah penduduk"))
    source = models.CharField(_("sumber"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("dimuat pada"), db_index=True)

    class Meta:
        verbose_name = _("penduduk wilayah")
        verbose_name_plural = pgettext_lazy("plural", "penduduk wilayah")
        ordering = ["region", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="regionpopulation_region_year"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.population}"
