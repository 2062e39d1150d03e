"""The service catalogue: each unit's services with their standar pelayanan, and the unit's
maklumat pelayanan. Units and services are what surveys and evaluations are about.

The 14 components of a service standard are UU 25/2009 Art. 21 (a)–(n), one text column each,
named as in ``domain.evaluation.standard.COMPONENTS``. Every change goes through
catalogue/services.py, which keeps ``filled_count`` and writes the audit log.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from satupintu.agencies.models import Agency
from satupintu.core.models import Edited


def _component(label: Any) -> models.TextField[str, str]:
    return models.TextField(label, blank=True)


class Service(Edited):
    """One service (jenis pelayanan) of a unit and its standar pelayanan."""

    unit = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="services", verbose_name=_("unit layanan")
    )
    code = models.SlugField(_("kode"), max_length=60)
    name = models.CharField(_("nama layanan"), max_length=200)
    summary = models.TextField(_("uraian singkat"), blank=True)
    # UU 25/2009 Art. 21 (a)–(n): domain.evaluation.standard.COMPONENTS.
    legal_basis = _component(_("Dasar hukum"))
    requirements = _component(_("Persyaratan"))
    procedure = _component(_("Sistem, mekanisme, dan prosedur"))
    duration = _component(_("Jangka waktu penyelesaian"))
    cost = _component(_("Biaya/tarif"))
    product = _component(_("Produk pelayanan"))
    facilities = _component(_("Sarana, prasarana, dan/atau fasilitas"))
    competence = _component(_("Kompetensi pelaksana"))
    internal_supervision = _component(_("Pengawasan internal"))
    complaint_handling = _component(_("Penanganan pengaduan, saran, dan masukan"))
    staff_count = _component(_("Jumlah pelaksana"))
    service_guarantee = _component(_("Jaminan pelayanan"))
    safety_guarantee = _component(_("Jaminan keamanan dan keselamatan pelayanan"))
    performance_evaluation = _component(_("Evaluasi kinerja pelaksana"))
    # How the standard was made and kept (PEKPPP, domain.md §4.1).
    decree = models.CharField(_("ditetapkan dengan keputusan nomor"), max_length=200, blank=True)
    decree_date = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    participation = models.TextField(_("pelibatan masyarakat dalam penyusunan"), blank=True)
    reviewed_on = models.DateField(_("tanggal reviu terakhir"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    is_published = models.BooleanField(_("dipublikasikan"), default=False)
    published_at = models.DateTimeField(_("dipublikasikan pada"), null=True, blank=True)
    #: How many of the 14 components are filled (kept by catalogue/services.py).
    filled_count = models.PositiveSmallIntegerField(_("komponen terisi"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = pgettext_lazy("plural", "layanan")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="service_unit_code_uniq"),
            models.CheckConstraint(
                condition=models.Q(filled_count__lte=14), name="service_filled_count_max_14"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "is_published"], name="service_unit_published_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_chain(self) -> str:
        return f"service:{self.pk}"


class UnitProfile(Edited):
    """What a unit publishes about itself: its maklumat pelayanan, hours and address."""

    unit = models.OneToOneField(
        Agency,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="service_profile",
        verbose_name=_("unit layanan"),
    )
    maklumat = models.TextField(
        _("maklumat pelayanan"),
        blank=True,
        help_text=_("Pernyataan kesanggupan unit untuk melayani sesuai standar pelayanan."),
    )
    hours = models.TextField(_("jam pelayanan"), blank=True)
    address = models.TextField(_("alamat pelayanan"), blank=True)

    class Meta:
        verbose_name = _("profil unit layanan")
        verbose_name_plural = pgettext_lazy("plural", "profil unit layanan")

    def __str__(self) -> str:
        return str(self.unit)

    @property
    def audit_chain(self) -> str:
        return f"unitprofile:{self.unit_id}"
