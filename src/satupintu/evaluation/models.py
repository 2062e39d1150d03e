"""Evaluation: PEKPPP self-evaluation worksheets and the complaint-management indicators.

* The PEKPPP instrument (aspects, indicators and their weights, domain.md §4.1) is data an
  administrator edits; ``satupintu pekppp load-instrument`` stores the default of
  ``domain.indices.PEKPPP_2023``. A worksheet scores one unit for one year, 0–5 per indicator
  with notes and evidence files; the index and category are computed by domain/indices/pekppp.py.
* ``ComplaintSnapshot`` rows hold the complaint-management indicators per agency and year,
  computed with SQL aggregates by ``satupintu indicators refresh`` (evaluation/indicators.py), so
  pages never aggregate the reports themselves.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from satupintu.agencies.models import Agency
from satupintu.core.models import Edited, StoredFile
from satupintu.domain.evaluation.prefill import Source
from satupintu.domain.evaluation.sp4n import mean, share

WEIGHT_RANGE = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))]


class PrefillSource(models.TextChoices):
    NONE = Source.NONE.value, _("tidak ada (dinilai dari bukti)")
    STANDARD = Source.STANDARD.value, _("kelengkapan standar pelayanan")
    STANDARD_PUBLISHED = Source.STANDARD_PUBLISHED.value, _("publikasi standar pelayanan")
    MAKLUMAT = Source.MAKLUMAT.value, _("maklumat pelayanan")
    SKM_DONE = Source.SKM_DONE.value, _("SKM dilaksanakan")
    SKM_PUBLISHED = Source.SKM_PUBLISHED.value, _("hasil SKM dipublikasikan")
    SKM_FOLLOWUP = Source.SKM_FOLLOWUP.value, _("tindak lanjut hasil SKM")
    SKM_FOLLOWUP_SPEED = Source.SKM_FOLLOWUP_SPEED.value, _("ketepatan waktu tindak lanjut SKM")
    COMPLAINTS = Source.COMPLAINTS.value, _("kinerja pengelolaan pengaduan")


class PekpppInstrument(models.Model):
    """A PEKPPP instrument: its aspects and indicators with weights (domain.md §4.1)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    source = models.CharField(_("sumber"), max_length=200, blank=True)
    is_active = models.BooleanField(
        _("dipakai untuk lembar kerja baru"),
        default=True,
        help_text=_("Lembar kerja baru memakai instrumen aktif yang terbaru."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("instrumen PEKPPP")
        verbose_name_plural = pgettext_lazy("plural", "instrumen PEKPPP")
        ordering = ["-is_active", "-pk"]

    def __str__(self) -> str:
        return self.name


class PekpppAspect(models.Model):
    instrument = models.ForeignKey(
        PekpppInstrument, on_delete=models.CASCADE, related_name="aspects"
    )
    code = models.SlugField(_("kode"), max_length=20)
    name = models.CharField(_("nama aspek"), max_length=200)
    weight = models.DecimalField(
        _("bobot (%)"), max_digits=5, decimal_places=2, validators=WEIGHT_RANGE
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("aspek PEKPPP")
        verbose_name_plural = pgettext_lazy("plural", "aspek PEKPPP")
        ordering = ["instrument", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "code"], name="pekpppaspect_instrument_code_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PekpppIndicator(models.Model):
    aspect = models.ForeignKey(PekpppAspect, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("kode"), max_length=20)
    name = models.CharField(_("nama indikator"), max_length=300)
    weight = models.DecimalField(
        _("bobot dalam aspek (%)"), max_digits=5, decimal_places=2, validators=WEIGHT_RANGE
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    rubric = models.TextField(_("rubrik penilaian 0–5"), blank=True)
    prefill = models.CharField(
        _("isian otomatis dari"),
        max_length=24,
        choices=PrefillSource.choices,
        blank=True,
        default=PrefillSource.NONE,
    )

    class Meta:
        verbose_name = _("indikator PEKPPP")
        verbose_name_plural = pgettext_lazy("plural", "indikator PEKPPP")
        ordering = ["aspect__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["aspect", "code"], name="pekpppindicator_aspect_code_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PekpppWorksheet(Edited):
    """One unit's PEKPPP self-evaluation for one year."""

    unit = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="pekppp_worksheets",
        verbose_name=_("unit layanan"),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    instrument = models.ForeignKey(
        PekpppInstrument, on_delete=models.PROTECT, verbose_name=_("instrumen")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("lembar kerja PEKPPP")
        verbose_name_plural = pgettext_lazy("plural", "lembar kerja PEKPPP")
        ordering = ["-year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="pekpppworksheet_unit_year_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    @property
    def audit_chain(self) -> str:
        return f"pekpppworksheet:{self.pk}"


class PekpppScore(models.Model):
    """An indicator's score (0–5, domain.md §4.1) on a worksheet, with the evaluator's note."""

    worksheet = models.ForeignKey(PekpppWorksheet, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(PekpppIndicator, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("nilai"), max_digits=3, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    #: The score is the system's suggestion, not (yet) changed by an evaluator.
    from_system = models.BooleanField(_("dari data sistem"), default=False)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("nilai indikator PEKPPP")
        verbose_name_plural = pgettext_lazy("plural", "nilai indikator PEKPPP")
        constraints = [
            models.UniqueConstraint(
                fields=["worksheet", "indicator"], name="pekpppscore_worksheet_indicator_uniq"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=5),
                name="pekpppscore_score_0_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.score}"


def evidence_path(instance: PekpppEvidence, filename: str) -> str:
    # Stored under a random-looking name: the original name is kept in the row, never in the path.
    return f"evaluasi/{instance.worksheet_id}/{instance.sha256[:32]}{instance.extension}"


class PekpppEvidence(StoredFile):
    """A document (PDF or image) supporting an indicator's score; checked like report
    attachments (complaints/attachments.py)."""

    worksheet = models.ForeignKey(
        PekpppWorksheet, on_delete=models.CASCADE, related_name="evidence"
    )
    indicator = models.ForeignKey(PekpppIndicator, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("berkas"), upload_to=evidence_path, max_length=200)

    class Meta:
        verbose_name = _("bukti dukung PEKPPP")
        verbose_name_plural = pgettext_lazy("plural", "bukti dukung PEKPPP")
        ordering = ["worksheet", "indicator", "uploaded_at", "pk"]


class ComplaintSnapshot(models.Model):
    """The complaint-management indicators of one agency (or, with no agency, the whole Pemda)
    for one year, as of ``computed_at``. Written only by ``satupintu indicators refresh``.

    Counts are over the disposisi (hops) the agency received in the year; see
    evaluation/indicators.py for each definition.
    """

    year = models.PositiveSmallIntegerField(_("tahun"))
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("instansi"),
    )
    computed_at = models.DateTimeField(_("dihitung"))
    #: The last day counted (31 December, or the refresh day within the year).
    as_of = models.DateField(_("data sampai"))
    hops = models.PositiveIntegerField(_("disposisi diterima"), default=0)
    wrong_door = models.PositiveIntegerField(_("salah alamat"), default=0)
    wrong_door_days = models.PositiveIntegerField(_("hari kerja di instansi yang salah"), default=0)
    followup_due = models.PositiveIntegerField(_("wajib ditindaklanjuti"), default=0)
    followup_on_time = models.PositiveIntegerField(_("tindak lanjut tepat waktu"), default=0)
    followup_median = models.DecimalField(
        _("median hari kerja sampai tindak lanjut"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
    )
    resolved = models.PositiveIntegerField(_("diselesaikan"), default=0)
    resolution_median = models.DecimalField(
        _("median hari kerja sampai selesai"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
    )
    completion_due = models.PositiveIntegerField(_("wajib selesai"), default=0)
    overdue = models.PositiveIntegerField(_("melewati tenggat penyelesaian"), default=0)
    ratings = models.PositiveIntegerField(_("jumlah penilaian pelapor"), default=0)
    rating_total = models.PositiveIntegerField(_("jumlah nilai penilaian"), default=0)
    officers = models.PositiveIntegerField(_("akun petugas"), default=0)
    officers_signed_in = models.PositiveIntegerField(_("masuk dalam 30 hari"), default=0)
    officers_acted = models.PositiveIntegerField(_("bertindak dalam 30 hari"), default=0)
    last_login = models.DateTimeField(_("terakhir masuk"), null=True, blank=True)

    class Meta:
        verbose_name = _("indikator pengelolaan pengaduan")
        verbose_name_plural = pgettext_lazy("plural", "indikator pengelolaan pengaduan")
        ordering = ["-year", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "agency"], name="complaintsnapshot_year_agency_uniq"
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(agency__isnull=True),
                name="complaintsnapshot_year_pemda_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.agency or '*'}"

    # Shares and means from the stored counts (domain.evaluation.sp4n); None: nothing to count.

    @property
    def followup_share(self) -> Fraction | None:
        return share(self.followup_on_time, self.followup_due)

    @property
    def overdue_share(self) -> Fraction | None:
        return share(self.overdue, self.completion_due)

    @property
    def wrong_door_share(self) -> Fraction | None:
        return share(self.wrong_door, self.hops)

    @property
    def wrong_door_mean_days(self) -> Fraction | None:
        return mean(self.wrong_door_days, self.wrong_door)

    @property
    def rating_mean(self) -> Fraction | None:
        return mean(self.rating_total, self.ratings)

    @property
    def officers_active(self) -> bool | None:
        """Someone of the agency signed in or acted within 30 days (None: no officers)."""
        if not self.officers:
            return None
        return bool(self.officers_signed_in or self.officers_acted)


class WorkdayOrdinal(models.Model):
    """Working days counted from an epoch, one row per date, so that SQL can count working days
    between two dates as a difference (``ordinal(end) − ordinal(start)`` = working days in
    (start, end], as ``domain.workdays.WorkdayCalendar.between``). Rebuilt by the refresh."""

    day = models.DateField(primary_key=True)
    ordinal = models.IntegerField()

    class Meta:
        verbose_name = _("urutan hari kerja")
        verbose_name_plural = pgettext_lazy("plural", "urutan hari kerja")

    def __str__(self) -> str:
        return f"{self.day} #{self.ordinal}"
