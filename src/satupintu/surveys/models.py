"""SKM storage: survey periods and one row per anonymous respondent (domain.md §3).

Answers are stored one column per unsur (``u1`` .. ``u9``, domain.md §3.1), 1–4 or NULL when the
respondent left the unsur blank, so the IKM is an aggregate over plain columns
(:func:`satupintu.surveys.selectors.ikm_for_period`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from satupintu.agencies.models import Agency

#: The answer columns in questionnaire order (domain.md §3.1: U1..U9).
ANSWER_FIELDS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")


class SurveyPeriod(models.Model):
    """One SKM round (domain.md §3.4: at least once a year; quarterly or by semester allowed)."""

    name = models.CharField(_("nama"), max_length=120)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    is_open = models.BooleanField(_("dibuka"), default=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    #: When the period was first opened (None: still being prepared).
    opened_at = models.DateTimeField(_("pertama dibuka"), null=True, blank=True, editable=False)
    #: When the results were published on the citizen portal (domain.md §3.4: results should be
    #: published and followed up). A published period cannot be reopened.
    published_at = models.DateTimeField(_("dipublikasikan"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("periode survei")
        verbose_name_plural = _("periode survei")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="surveyperiod_ends_on_after_starts_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on} – {self.ends_on})"

    class State(models.TextChoices):
        DRAFT = "draft", _("disiapkan")
        OPEN = "open", _("dibuka")
        CLOSED = "closed", _("ditutup")
        PUBLISHED = "published", _("dipublikasikan")

    @property
    def state(self) -> SurveyPeriod.State:
        if self.published_at is not None:
            return self.State.PUBLISHED
        if self.is_open:
            return self.State.OPEN
        return self.State.CLOSED if self.opened_at is not None else self.State.DRAFT

    def get_state_display(self) -> str:
        return str(self.state.label)

    @property
    def year(self) -> int:
        """The year the period's results count for: the year it ends in."""
        return self.ends_on.year


def _score_check(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": 1, f"{field}__lte": 4}),
        name=f"skmresponse_{field}_1_to_4",
    )


class SkmResponse(models.Model):
    """One respondent's answers. Anonymous: no user, no contact, no audit entry."""

    class Gender(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class AgeBand(models.TextChoices):
        UNDER_20 = "lt20", _("di bawah 20 tahun")
        FROM_20 = "20-29", _("20–29 tahun")
        FROM_30 = "30-39", _("30–39 tahun")
        FROM_40 = "40-49", _("40–49 tahun")
        FROM_50 = "50-59", _("50–59 tahun")
        FROM_60 = "60+", _("60 tahun ke atas")

    class Education(models.TextChoices):
        SD = "sd", _("SD atau di bawahnya")
        SMP = "smp", _("SMP")
        SMA = "sma", _("SMA/SMK")
        DIPLOMA = "diploma", _("D1–D4")
        S1 = "s1", _("S1")
        S2 = "s2+", _("S2 ke atas")

    class Occupation(models.TextChoices):
        CIVIL_SERVANT = "asn", _("PNS/ASN")
        MILITARY_POLICE = "tni-polri", _("TNI/Polri")
        PRIVATE = "swasta", _("Pegawai swasta")
        SELF_EMPLOYED = "wirausaha", _("Wirausaha")
        STUDENT = "pelajar", _("Pelajar/mahasiswa")
        OTHER = "lainnya", _("Lainnya")

    class Channel(models.TextChoices):
        LINK = "link", _("Tautan")
        QR = "qr", _("Kode QR")
        KIOSK = "kiosk", _("Kios/anjungan")
        COUNTER = "counter", _("Loket")

    period = models.ForeignKey(
        SurveyPeriod,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("periode survei"),
    )
    unit = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="skm_responses",
        verbose_name=_("unit layanan"),
    )
    submitted_at = models.DateTimeField(_("waktu pengisian"), default=timezone.now)
    # domain.md §3.1: the nine unsur of PermenPANRB 14/2017, scale 1–4 (§3.2), blank = NULL.
    u1 = models.PositiveSmallIntegerField(_("U1 persyaratan"), null=True, blank=True)
    u2 = models.PositiveSmallIntegerField(
        _("U2 sistem, mekanisme dan prosedur"), null=True, blank=True
    )
    u3 = models.PositiveSmallIntegerField(_("U3 waktu penyelesaian"), null=True, blank=True)
    u4 = models.PositiveSmallIntegerField(_("U4 biaya/tarif"), null=True, blank=True)
    u5 = models.PositiveSmallIntegerField(
        _("U5 produk spesifikasi jenis pelayanan"), null=True, blank=True
    )
    u6 = models.PositiveSmallIntegerField(_("U6 kompetensi pelaksana"), null=True, blank=True)
    u7 = models.PositiveSmallIntegerField(_("U7 perilaku pelaksana"), null=True, blank=True)
    u8 = models.PositiveSmallIntegerField(_("U8 sarana dan prasarana"), null=True, blank=True)
    u9 = models.PositiveSmallIntegerField(
        _("U9 penanganan pengaduan, saran dan masukan"), null=True, blank=True
    )
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("usia"), max_length=8, choices=AgeBand.choices, blank=True)
    education = models.CharField(
        _("pendidikan"), max_length=8, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("pekerjaan"), max_length=12, choices=Occupation.choices, blank=True
    )
    suggestion = models.TextField(_("saran dan masukan"), blank=True)
    channel = models.CharField(_("kanal"), max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("jawaban SKM")
        verbose_name_plural = _("jawaban SKM")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["period", "unit"], name="skmresponse_period_unit"),
        ]
        constraints = [_score_check(field) for field in ANSWER_FIELDS]

    def __str__(self) -> str:
        return f"SKM #{self.pk} · {self.unit_id} · {self.submitted_at:%Y-%m-%d}"

    def answers(self) -> tuple[int | None, ...]:
        """The nine answers in questionnaire order (None = not answered)."""
        return tuple(getattr(self, field) for field in ANSWER_FIELDS)


class Element(models.TextChoices):
    """The nine unsur of PermenPANRB 14/2017 (domain.md §3.1), keyed by their answer column."""

    U1 = "u1", _("U1 Persyaratan")
    U2 = "u2", _("U2 Sistem, mekanisme, dan prosedur")
    U3 = "u3", _("U3 Waktu penyelesaian")
    U4 = "u4", _("U4 Biaya/tarif")
    U5 = "u5", _("U5 Produk spesifikasi jenis pelayanan")
    U6 = "u6", _("U6 Kompetensi pelaksana")
    U7 = "u7", _("U7 Perilaku pelaksana")
    U8 = "u8", _("U8 Sarana dan prasarana")
    U9 = "u9", _("U9 Penanganan pengaduan, saran, dan masukan")


class SurveyTarget(models.Model):
    """A service unit taking part in a period, with its population and so its sample target.

    ``population`` is the number of service recipients of the unit in the previous period; the
    sample target is the Krejcie–Morgan size for it (domain.md §3.4), computed by
    ``domain.indices.sample_size`` wherever it is shown, never stored.
    """

    period = models.ForeignKey(
        SurveyPeriod, on_delete=models.CASCADE, related_name="targets", verbose_name=_("periode")
    )
    unit = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="skm_targets", verbose_name=_("unit layanan")
    )
    population = models.PositiveIntegerField(_("populasi penerima layanan periode sebelumnya"))
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("target sampel SKM")
        verbose_name_plural = _("target sampel SKM")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="surveytarget_period_unit"),
            models.CheckConstraint(
                condition=models.Q(population__gte=1), name="surveytarget_population_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_id} · {self.unit_id} · N={self.population}"


class FollowUpAction(models.Model):
    """A follow-up action (rencana tindak lanjut) on a weak unsur of a unit's SKM result."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
        DONE = "done", pgettext_lazy("tindak lanjut", "Selesai")

    period = models.ForeignKey(
        SurveyPeriod,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("periode"),
    )
    unit = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="skm_follow_ups",
        verbose_name=_("unit layanan"),
    )
    element = models.CharField(_("unsur"), max_length=2, choices=Element.choices)
    action = models.TextField(_("rencana tindak lanjut"))
    owner = models.CharField(_("penanggung jawab"), max_length=200)
    due_on = models.DateField(_("target selesai"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    result = models.TextField(_("hasil tindak lanjut"), blank=True)
    done_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )

    class Meta:
        verbose_name = _("tindak lanjut SKM")
        verbose_name_plural = _("tindak lanjut SKM")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["unit", "period"], name="followup_unit_period")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="done", done_on__isnull=False)
                | (~models.Q(status="done") & models.Q(done_on__isnull=True)),
                name="followupaction_done_on_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_element_display()} · {self.unit_id} · {self.get_status_display()}"

    @property
    def audit_chain(self) -> str:
        return f"followupaction:{self.pk}"

    @property
    def on_time(self) -> bool | None:
        """Done by its due date (None while not done)."""
        return None if self.done_on is None else self.done_on <= self.due_on
