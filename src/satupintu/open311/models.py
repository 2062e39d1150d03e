"""Federation: a report forwarded to an external agency that runs its own Open311 server.

One row per disposisi hop to such an agency (``Agency.is_federated``). The push job files the
report there and keeps the number the remote server gave it; the pull job then reads the remote
status and notes back onto our timeline (open311/federation.py). The rows are the outbox of this
conversation: written by the jobs, never inside an officer's request.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from satupintu.agencies.models import Agency
from satupintu.complaints.models import Disposition, Report


class RemoteForward(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        AWAITING_ID = "awaiting_id", _("Menunggu nomor dari server tujuan")
        FILED = "filed", _("Tercatat di server tujuan")
        DONE = "done", _("Selesai di server tujuan")
        STOPPED = "stopped", _("Dihentikan")

    disposition = models.OneToOneField(
        Disposition, on_delete=models.CASCADE, related_name="remote", verbose_name=_("disposisi")
    )
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="remote_forwards", verbose_name=_("laporan")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi tujuan")
    )
    state = models.CharField(
        _("keadaan"), max_length=12, choices=State.choices, default=State.PENDING
    )
    remote_id = models.CharField(_("nomor di server tujuan"), max_length=100, blank=True)
    remote_token = models.CharField(_("token dari server tujuan"), max_length=100, blank=True)
    remote_status = models.CharField(_("status di server tujuan"), max_length=12, blank=True)
    remote_notes = models.TextField(_("keterangan dari server tujuan"), blank=True)
    #: When the job next looks at the row (a send, a retry or a pull), and how often in a row
    #: it failed; a claimed row's time moves ahead by a lease so that two workers never share it.
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"))
    failures = models.PositiveSmallIntegerField(_("gagal berturut-turut"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"))
    filed_at = models.DateTimeField(_("tercatat di server tujuan"), null=True, blank=True)
    checked_at = models.DateTimeField(_("terakhir diperiksa"), null=True, blank=True)

    class Meta:
        verbose_name = _("penerusan ke server instansi lain")
        verbose_name_plural = pgettext_lazy("plural", "penerusan ke server instansi lain")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="remoteforward_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.remote_id or '—'}"
