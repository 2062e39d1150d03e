"""The operations room's stored aggregates: per-report facts and the rollups built from them.

A ``ReportFact`` is what one report currently contributes to the figures (its dimension values
and measures, computed by dashboard/facts.py); a ``HopFact`` is one wrong-door hop of a report
(domain/wrongdoor.py). The rollups are sums of the facts at a few grains, so that every panel
reads a small table:

=====================  ========================================================  ==============
table                  key                                                       read by
=====================  ========================================================  ==============
``DailyRollup``        received day × agency × category × kelurahan × channel ×  partial months,
                       status (kecamatan alongside, for its filter)              headlines, map
``MonthlyRollup``      received month × agency × category × kecamatan × channel  whole months,
                                                                                 trends
``DailySummary``,      received day or month × agency × category: the same      the panels
``MonthlySummary``     measures with fewer rows, for the (usual) views without   without a
                       a kecamatan or channel filter                             place/channel
``AreaRollup``         received month × kelurahan × agency × category            the map
``DailyArea``          received day × kelurahan (the whole Pemda)                the map
``BacklogRollup``      agency × category × kecamatan × channel × status ×        backlog,
                       running deadline (open reports only); ``BacklogSummary``  overdue today
                       the same without kecamatan and channel
``DurationHistogram``  received month × agency × category × kind × working days  median, p90
``WrongDoorRollup``    hop month × wrong agency × category                       wrong doors
=====================  ========================================================  ==============

Keys never hold NULL (a unique key treats NULLs as distinct): "no agency" (a report with the
verifiers) is agency 0, "no category" category 0, no place "", no running deadline
``NO_DUE``. Upkeep (dashboard/upkeep.py) adds each report's new contribution and subtracts its
old one with additive upserts; ``satupintu dashboard rebuild`` rebuilds everything from the raw
tables (dashboard/rebuild.py). docs/dashboard.md has the SQL that reproduces every figure.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The backlog's key for an open report without a running deadline.
NO_DUE = dt.date(9999, 12, 31)

MEASURES = (
    "reports",
    "open",
    "resolved",
    "resolved_on_time",
    "followed_up",
    "followed_up_on_time",
    "rated",
    "rating_sum",
    "confidential",
)


class DashboardState(models.Model):
    """One row: the upkeep's lock and bookkeeping (``select_for_update`` on it serialises
    upkeep runs and the rebuild, so two never apply the same report's change twice)."""

    #: Side scan of the timeline (changes with no outbox event: returns, privacy, a reporter's
    #: reply on hold): events from this moment on are still to look at.
    timeline_from = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    rebuild_seconds = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("status ruang kendali")
        verbose_name_plural = pgettext_lazy("plural", "status ruang kendali")

    def __str__(self) -> str:
        return f"{self.rebuilt_at}"


class WorkdayNumber(models.Model):
    """Every date numbered by the working days since an epoch (the Pemda's calendar), so the
    working days in (start, end] are the difference of two numbers in SQL."""

    day = models.DateField(primary_key=True)
    ordinal = models.IntegerField()

    class Meta:
        verbose_name = _("nomor hari kerja")
        verbose_name_plural = pgettext_lazy("plural", "nomor hari kerja")

    def __str__(self) -> str:
        return f"{self.day} {self.ordinal}"


class ReportFact(models.Model):
    """What one report contributes to the figures now (dashboard/facts.py)."""

    report = models.OneToOneField(
        "complaints.Report",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    day = models.DateField()  # received, local date
    agency_id = models.IntegerField()  # holding agency, 0 when none (with the verifiers)
    category_id = models.IntegerField()  # 0 when none
    kelurahan = models.CharField(max_length=13)
    kecamatan = models.CharField(max_length=13)
    channel = models.CharField(max_length=12)
    status = models.CharField(max_length=12)
    is_open = models.BooleanField()
    #: The running deadline of an open report (NO_DUE when none); of a final one, NO_DUE.
    next_due = models.DateField()
    followup_days = models.IntegerField(null=True)
    followup_on_time = models.BooleanField(null=True)
    resolution_days = models.IntegerField(null=True)
    resolved_on_time = models.BooleanField(null=True)
    rating = models.SmallIntegerField(null=True)
    is_confidential = models.BooleanField()

    class Meta:
        verbose_name = _("fakta laporan")
        verbose_name_plural = pgettext_lazy("plural", "fakta laporan")

    def __str__(self) -> str:
        return str(self.report_id)


class HopFact(models.Model):
    """One wrong-door hop (domain/wrongdoor.py), keyed by its disposisi."""

    disposition = models.OneToOneField(
        "complaints.Disposition",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    report_id = models.BigIntegerField(db_index=True)
    month = models.DateField()  # first day of the local month of the wrong agency's receipt
    agency_id = models.IntegerField()  # the wrong agency
    category_id = models.IntegerField()  # the report's category now, 0 when none
    outcome = models.CharField(max_length=10)
    days_lost = models.IntegerField()

    class Meta:
        verbose_name = _("fakta salah pintu")
        verbose_name_plural = pgettext_lazy("plural", "fakta salah pintu")

    def __str__(self) -> str:
        return str(self.disposition_id)


class Measures(models.Model):
    reports = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    followed_up = models.IntegerField(default=0)
    followed_up_on_time = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)
    confidential = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DailyRollup(Measures):
    day = models.DateField()
    agency_id = models.IntegerField()
    category_id = models.IntegerField()
    kecamatan = models.CharField(max_length=13)
    kelurahan = models.CharField(max_length=13)
    channel = models.CharField(max_length=12)
    status = models.CharField(max_length=12)

    KEY = ("day", "agency_id", "category_id", "kecamatan", "kelurahan", "channel", "status")

    class Meta:
        verbose_name = _("rekap harian")
        verbose_name_plural = pgettext_lazy("plural", "rekap harian")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "day",
                    "agency_id",
                    "category_id",
                    "kecamatan",
                    "kelurahan",
                    "channel",
                    "status",
                ],
                name="dashboard_daily_key",
            )
        ]
        # The unique key serves a period; a filter on one dimension reads its own index.
        indexes = [
            models.Index(fields=["agency_id", "day"], name="dashboard_daily_agency_idx"),
            models.Index(fields=["category_id", "day"], name="dashboard_daily_category_idx"),
            models.Index(fields=["kecamatan", "day"], name="dashboard_daily_kecamatan_idx"),
            models.Index(fields=["channel", "day"], name="dashboard_daily_channel_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day}"


class MonthlyRollup(Measures):
    month = models.DateField()
    agency_id = models.IntegerField()
    category_id = models.IntegerField()
    kecamatan = models.CharField(max_length=13)
    channel = models.CharField(max_length=12)

    KEY = ("month", "agency_id", "category_id", "kecamatan", "channel")

    class Meta:
        verbose_name = _("rekap bulanan")
        verbose_name_plural = pgettext_lazy("plural", "rekap bulanan")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency_id", "category_id", "kecamatan", "channel"],
                name="dashboard_monthly_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month}"


class DailySummary(Measures):
    day = models.DateField()
    agency_id = models.IntegerField()
    category_id = models.IntegerField()

    KEY = ("day", "agency_id", "category_id")

    class Meta:
        verbose_name = _("ringkasan harian")
        verbose_name_plural = pgettext_lazy("plural", "ringkasan harian")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency_id", "category_id"], name="dashboard_daily_summary_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day}"


class MonthlySummary(Measures):
    month = models.DateField()
    agency_id = models.IntegerField()
    category_id = models.IntegerField()

    KEY = ("month", "agency_id", "category_id")

    class Meta:
        verbose_name = _("ringkasan bulanan")
        verbose_name_plural = pgettext_lazy("plural", "ringkasan bulanan")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency_id", "category_id"], name="dashboard_monthly_summary_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month}"


class AreaRollup(models.Model):
    month = models.DateField()
    kelurahan = models.CharField(max_length=13)
    kecamatan = models.CharField(max_length=13)
    agency_id = models.IntegerField()
    category_id = models.IntegerField()
    reports = models.IntegerField(default=0)
    open = models.IntegerField(default=0)

    KEY = ("month", "kelurahan", "kecamatan", "agency_id", "category_id")

    class Meta:
        verbose_name = _("rekap kelurahan")
        verbose_name_plural = pgettext_lazy("plural", "rekap kelurahan")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kelurahan", "kecamatan", "agency_id", "category_id"],
                name="dashboard_area_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.kelurahan}"


class DailyArea(models.Model):
    """Reports per received day and kelurahan: the map of the whole Pemda, day by day."""

    day = models.DateField()
    kecamatan = models.CharField(max_length=13)
    kelurahan = models.CharField(max_length=13)
    reports = models.IntegerField(default=0)
    open = models.IntegerField(default=0)

    KEY = ("day", "kecamatan", "kelurahan")

    class Meta:
        verbose_name = _("rekap kelurahan harian")
        verbose_name_plural = pgettext_lazy("plural", "rekap kelurahan harian")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kecamatan", "kelurahan"], name="dashboard_daily_area_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kelurahan}"


class BacklogRollup(models.Model):
    agency_id = models.IntegerField()
    category_id = models.IntegerField()
    kecamatan = models.CharField(max_length=13)
    channel = models.CharField(max_length=12)
    status = models.CharField(max_length=12)
    due = models.DateField()
    reports = models.IntegerField(default=0)

    KEY = ("agency_id", "category_id", "kecamatan", "channel", "status", "due")

    class Meta:
        verbose_name = _("rekap tunggakan")
        verbose_name_plural = pgettext_lazy("plural", "rekap tunggakan")
        constraints = [
            models.UniqueConstraint(
                fields=["agency_id", "category_id", "kecamatan", "channel", "status", "due"],
                name="dashboard_backlog_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["due"], name="dashboard_backlog_due_idx", condition=Q(reports__gt=0)
            )
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.due}"


class BacklogSummary(models.Model):
    agency_id = models.IntegerField()
    category_id = models.IntegerField()
    status = models.CharField(max_length=12)
    due = models.DateField()
    reports = models.IntegerField(default=0)

    KEY = ("agency_id", "category_id", "status", "due")

    class Meta:
        verbose_name = _("ringkasan tunggakan")
        verbose_name_plural = pgettext_lazy("plural", "ringkasan tunggakan")
        constraints = [
            models.UniqueConstraint(
                fields=["agency_id", "category_id", "status", "due"],
                name="dashboard_backlog_summary_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.due}"


class DurationHistogram(models.Model):
    class Kind(models.TextChoices):
        FOLLOWUP = "followup", _("Tindak lanjut pertama")
        RESOLUTION = "resolution", _("Penyelesaian")

    month = models.DateField()
    agency_id = models.IntegerField()
    category_id = models.IntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    days = models.IntegerField()
    reports = models.IntegerField(default=0)

    KEY = ("month", "agency_id", "category_id", "kind", "days")

    class Meta:
        verbose_name = _("sebaran durasi")
        verbose_name_plural = pgettext_lazy("plural", "sebaran durasi")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency_id", "category_id", "kind", "days"],
                name="dashboard_duration_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.kind} {self.days}"


class WrongDoorRollup(models.Model):
    month = models.DateField()
    agency_id = models.IntegerField()  # the wrong agency
    category_id = models.IntegerField()
    hops = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    forwarded = models.IntegerField(default=0)
    days_lost = models.IntegerField(default=0)

    KEY = ("month", "agency_id", "category_id")

    class Meta:
        verbose_name = _("rekap salah pintu")
        verbose_name_plural = pgettext_lazy("plural", "rekap salah pintu")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency_id", "category_id"], name="dashboard_wrongdoor_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.agency_id}"
