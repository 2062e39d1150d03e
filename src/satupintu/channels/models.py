"""What the message doors keep: each conversation's state and each inbound message once.

The conversation itself is pure code (domain/conversation.py); ``Conversation.state`` is its
state as JSON. ``InboundMessage`` is written before anything else happens to a provider's
message, unique per channel and provider id, so a provider that retries its webhook never files
twice.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from satupintu.complaints.models import Report


class Conversation(models.Model):
    """One sender on one channel (a WhatsApp ``wa_id``, a phone number for SMS)."""

    channel = models.CharField(_("kanal"), max_length=12)
    #: The sender's address, encrypted (core/crypto), with a blind index to find it again.
    address_encrypted = models.TextField(editable=False)
    address_index = models.CharField(max_length=32, editable=False)
    language = models.CharField(_("bahasa"), max_length=8, default="id")
    state = models.JSONField(_("keadaan"), default=dict, blank=True)
    #: The report this conversation last filed: later messages join its timeline.
    report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("laporan"),
    )
    #: The sender's last message: WhatsApp's 24-hour customer-service window runs from it.
    last_inbound_at = models.DateTimeField(_("pesan terakhir"), null=True, blank=True)
    updated_at = models.DateTimeField(_("diperbarui"))

    class Meta:
        verbose_name = _("percakapan")
        verbose_name_plural = pgettext_lazy("plural", "percakapan")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address_index"], name="conversation_one_per_sender"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}"


class InboundMessage(models.Model):
    """One message a provider delivered to us, stored before it is acted on."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        DONE = "done", _("Selesai")
        IGNORED = "ignored", _("Diabaikan")
        FAILED = "failed", _("Gagal")

    channel = models.CharField(_("kanal"), max_length=12)
    provider_id = models.CharField(_("id penyedia"), max_length=255)
    address_encrypted = models.TextField(editable=False)
    address_index = models.CharField(max_length=32, db_index=True, editable=False)
    #: text, image, document, location, email, or what the provider called an unknown kind.
    kind = models.CharField(_("jenis"), max_length=24)
    #: What the message said, without the sender's address (that is encrypted above).
    payload = models.JSONField(_("isi"), default=dict)
    received_at = models.DateTimeField(_("diterima"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    processed_at = models.DateTimeField(_("diproses"), null=True, blank=True)
    #: Until when a worker holds it (a short lease, like deliveries), while PENDING.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("galat"), max_length=500, blank=True)
    report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("laporan"),
    )

    class Meta:
        verbose_name = _("pesan masuk")
        verbose_name_plural = pgettext_lazy("plural", "pesan masuk")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_id"], name="inbound_once_per_provider_id"
            ),
        ]
        indexes = [
            models.Index(
                fields=["received_at"],
                name="inbound_pending_idx",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.provider_id}"
