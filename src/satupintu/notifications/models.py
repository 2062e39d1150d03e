"""The event outbox and the webhooks that read it (style.md, convention 6).

``OutboxEvent`` rows are written by complaints.actions inside the transaction that changes the
report (notifications/outbox.py), so an event exists exactly when its change was committed.
After commit, the worker fans each event out to one ``WebhookDelivery`` per subscribed
``WebhookEndpoint`` and posts the deliveries that are due (notifications/delivery.py); every
attempt is kept as a ``DeliveryAttempt`` with the receiver's answer.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from satupintu.agencies.models import Agency
from satupintu.complaints.models import Report


class EventType(models.TextChoices):
    CREATED = "created", _("Laporan masuk")
    DISPATCHED = "dispatched", _("Didisposisikan")
    FORWARDED = "forwarded", _("Diteruskan ke instansi lain")
    RESOLVED = "resolved", _("Diselesaikan")
    CLOSED = "closed", _("Ditutup atau diarsipkan")
    OVERDUE = "overdue", _("Melewati tenggat (eskalasi)")
    # Added later: webhook endpoints receive them only when they list them (docs/webhooks.md).
    FOLLOWED_UP = "followed_up", _("Tindak lanjut pertama")
    ASSIGNED = "assigned", _("Ditugaskan ke petugas")
    REOPENED = "reopened", _("Dibuka kembali (banding)")
    HELD = "held", _("Ditunda: menunggu kelengkapan")


class OutboxEvent(models.Model):
    """One change of a report that other systems may hear about, written with the change.

    ``payload`` is public-safe (outbox.py builds it: never the reporter's identity or contact;
    no texts of a confidential report). The codes of the holding agency and the category are
    read by the same INSERT, so the row is a snapshot of the moment of the change.
    """

    event_type = models.CharField(_("jenis peristiwa"), max_length=16, choices=EventType.choices)
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="+", verbose_name=_("laporan")
    )
    # The agency holding the report after the change and, when it changed (a forward), the one
    # that held it before: an endpoint's agency filter matches either.
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("instansi pemegang"),
    )
    previous_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("instansi sebelumnya"),
    )
    agency_code = models.CharField(_("kode instansi"), max_length=32, blank=True)
    category_code = models.CharField(_("kode kategori"), max_length=40, blank=True)
    occurred_at = models.DateTimeField(_("waktu"))
    payload = models.JSONField(_("isi"), default=dict)
    #: Set when the fan-out created this event's deliveries; NULL rows are still to do.
    processed_at = models.DateTimeField(_("diproses"), null=True, blank=True)
    #: Set when notifications/people.py queued this event's messages to people; NULL rows are
    #: still to do (a cursor of its own, apart from the webhooks' ``processed_at``).
    notified_at = models.DateTimeField(_("diberitahukan"), null=True, blank=True)
    #: Set when dashboard/upkeep.py folded this event's report into the operations room's
    #: rollups; NULL rows are still to do (the dashboard's own cursor).
    rolled_up_at = models.DateTimeField(_("direkap"), null=True, blank=True)

    class Meta:
        verbose_name = _("peristiwa keluar")
        verbose_name_plural = pgettext_lazy("plural", "peristiwa keluar")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["id"],
                name="outbox_unprocessed_idx",
                condition=Q(processed_at__isnull=True),
            ),
            models.Index(
                fields=["id"],
                name="outbox_unnotified_idx",
                condition=Q(notified_at__isnull=True),
            ),
            models.Index(
                fields=["id"],
                name="outbox_not_rolled_up_idx",
                condition=Q(rolled_up_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event_type}"


class WebhookEndpoint(models.Model):
    """A receiver that another system runs: where to POST which events, signed with a secret."""

    name = models.SlugField(
        _("nama"),
        max_length=60,
        unique=True,
        help_text=_("Huruf, angka, tanda hubung atau garis bawah, mis. aplikasi-kota."),
    )
    url = models.URLField(_("alamat URL"), max_length=500)
    #: The signing secret, encrypted with core/crypto (SATUPINTU_FIELD_KEY); shown only once.
    secret_encrypted = models.TextField(editable=False)
    #: After a rotation, the secret it replaced (encrypted the same way, "" when none): it signs
    #: every delivery too, beside the current one, until ``previous_secret_expires_at``.
    previous_secret_encrypted = models.TextField(blank=True, default="", editable=False)
    previous_secret_expires_at = models.DateTimeField(
        _("rahasia lama berlaku sampai"), null=True, blank=True, editable=False
    )
    secret_rotated_at = models.DateTimeField(
        _("rahasia terakhir diganti"), null=True, blank=True, editable=False
    )
    event_types = models.JSONField(_("jenis peristiwa"), default=list)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hanya instansi"),
        help_text=_(
            "Kosongkan untuk semua laporan; jika diisi, hanya laporan yang dipegang instansi "
            "ini atau unit di bawahnya."
        ),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("penerima webhook")
        verbose_name_plural = pgettext_lazy("plural", "penerima webhook")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event for one endpoint, posted until it succeeds or runs out of attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SUCCEEDED = "succeeded", _("Berhasil")
        FAILED = "failed", _("Gagal")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("penerima webhook"),
    )
    event = models.ForeignKey(
        OutboxEvent,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("peristiwa"),
    )
    replay_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replays",
        verbose_name=_("pengiriman ulang dari"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("jumlah percobaan"), default=0)
    #: When a pending delivery is next due; while one is being posted, the end of its lease.
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"))
    last_attempt_at = models.DateTimeField(_("percobaan terakhir"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("kode jawaban"), null=True, blank=True)
    error = models.CharField(_("galat"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = pgettext_lazy("plural", "pengiriman webhook")
        ordering = ["-id"]
        constraints = [
            # The fan-out creates one delivery per event and endpoint, however many run at once.
            models.UniqueConstraint(
                fields=["endpoint", "event"],
                condition=Q(replay_of__isnull=True),
                name="delivery_one_per_event_endpoint",
            ),
        ]
        indexes = [
            # Each receiver's due rows in order (delivery.py claims per receiver).
            models.Index(
                fields=["endpoint", "next_attempt_at", "id"],
                name="delivery_endpoint_due_idx",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class DeliveryAttempt(models.Model):
    """One POST of a delivery and what the receiver answered (or why there was no answer)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("percobaan ke"))
    started_at = models.DateTimeField(_("waktu"))
    duration_ms = models.PositiveIntegerField(_("durasi (md)"))
    response_status = models.PositiveSmallIntegerField(_("kode jawaban"), null=True, blank=True)
    response_body = models.TextField(_("cuplikan jawaban"), blank=True)
    error = models.CharField(_("galat"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("percobaan pengiriman")
        verbose_name_plural = pgettext_lazy("plural", "percobaan pengiriman")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="attempt_delivery_number_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.delivery_id}.{self.number}"


# --------------------------------------------------------------------------- messages to people
#
# Webhooks above are for machines; what follows is for people: a reporter told through the door
# they came by, an officer reminded of work. notifications/messages.py turns outbox events into
# ``Message`` rows; channels/ sends them through a provider (WhatsApp, SMS, e-mail).


class MessageChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Surel")


class Subscription(models.Model):
    """How the reporter of one report is told of its steps: the door they came by.

    The address (a WhatsApp ``wa_id``, a phone number, an e-mail address) is stored encrypted
    (core/crypto) with a blind index for look-ups ("STOP" from this number); no officer screen
    ever shows it, so an anonymous reporter's identity never reaches an agency (domain.md §1.8).
    """

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="subscription", verbose_name=_("laporan")
    )
    channel = models.CharField(_("kanal"), max_length=12, choices=MessageChannel.choices)
    address_encrypted = models.TextField(editable=False)
    address_index = models.CharField(max_length=32, db_index=True, editable=False)
    language = models.CharField(_("bahasa"), max_length=8, default="id")
    #: The secret of the opt-out link (/berhenti/<token>/).
    token = models.CharField(max_length=43, unique=True, editable=False)
    opted_out_at = models.DateTimeField(_("berhenti berlangganan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"))

    class Meta:
        verbose_name = _("langganan kabar pelapor")
        verbose_name_plural = pgettext_lazy("plural", "langganan kabar pelapor")

    def __str__(self) -> str:
        return f"{self.report_id} {self.channel}"


class MessageTemplate(models.Model):
    """The words of one kind of message, per channel and language, edited in the admin.

    ``body`` (and ``subject`` for e-mail) are Django template text over the context that
    notifications/messages.py documents. For WhatsApp outside the 24-hour customer-service
    window, ``wa_template`` names the template approved by Meta and ``wa_parameters`` lists
    the context keys sent as its body parameters, in order.
    """

    purpose = models.CharField(_("keperluan"), max_length=32)
    channel = models.CharField(_("kanal"), max_length=12, choices=MessageChannel.choices)
    language = models.CharField(_("bahasa"), max_length=8, default="id")
    subject = models.CharField(_("subjek"), max_length=200, blank=True)
    body = models.TextField(_("isi"))
    wa_template = models.CharField(_("templat WhatsApp"), max_length=100, blank=True)
    wa_parameters = models.JSONField(_("parameter templat WhatsApp"), default=list, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("templat pesan")
        verbose_name_plural = pgettext_lazy("plural", "templat pesan")
        ordering = ["purpose", "channel", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "channel", "language"], name="message_template_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} / {self.channel} / {self.language}"


class Message(models.Model):
    """One message to one person through one channel, sent until it succeeds or runs out.

    ``dedupe_key`` makes creating it safe to run twice (the event and the recipient, or the
    provider's inbound message id for a conversation's answer). A send claims the row with a
    short lease in ``next_attempt_at`` (like webhook deliveries), and the provider gets
    ``pk`` as its idempotency key where its API takes one, so a killed worker re-sends at most
    what was in flight and the person still gets it once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim ke penyedia")
        DELIVERED = "delivered", _("Sampai")
        READ = "read", _("Dibaca")
        FAILED = "failed", _("Gagal")
        SKIPPED = "skipped", _("Tidak dikirim")

    channel = models.CharField(_("kanal"), max_length=12, choices=MessageChannel.choices)
    purpose = models.CharField(_("keperluan"), max_length=32)
    language = models.CharField(_("bahasa"), max_length=8, default="id")
    report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("laporan"),
    )
    event = models.ForeignKey(
        OutboxEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        verbose_name=_("peristiwa"),
    )
    #: An officer recipient; NULL for a reporter or an unknown sender (address only).
    user = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("petugas"),
    )
    address_encrypted = models.TextField(editable=False)
    address_index = models.CharField(max_length=32, db_index=True, editable=False)
    subject = models.CharField(_("subjek"), max_length=255, blank=True)
    body = models.TextField(_("isi"))
    html = models.TextField(blank=True)
    #: WhatsApp: the approved template and its parameters, when outside the 24-hour window.
    template = models.JSONField(default=dict, blank=True)
    #: E-mail threading: the Message-ID this one answers (In-Reply-To / References).
    in_reply_to = models.CharField(max_length=255, blank=True)
    dedupe_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("jumlah percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    #: The provider's id (WhatsApp ``wamid``, the SMS gateway's id, the e-mail Message-ID).
    provider_id = models.CharField(_("id penyedia"), max_length=255, blank=True, db_index=True)
    error = models.CharField(_("galat"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dibuat"))
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("pesan")
        verbose_name_plural = pgettext_lazy("plural", "pesan")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="message_due_idx",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.channel} {self.purpose}"


class OfficerPreference(models.Model):
    """Which channels an officer is reminded through (their profile page)."""

    user = models.OneToOneField(
        "core.User", on_delete=models.CASCADE, related_name="notification_preference"
    )
    channels = models.JSONField(_("kanal"), default=list, blank=True)
    phone = models.CharField(_("nomor WhatsApp/SMS"), max_length=20, blank=True)
    daily_digest = models.BooleanField(_("ringkasan harian"), default=True)
    language = models.CharField(_("bahasa"), max_length=8, default="id")

    class Meta:
        verbose_name = _("preferensi pemberitahuan petugas")
        verbose_name_plural = pgettext_lazy("plural", "preferensi pemberitahuan petugas")

    def __str__(self) -> str:
        return str(self.user_id)
