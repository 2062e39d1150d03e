"""Reports (laporan), their disposisi hops and their timeline.

Words used here: *disposisi* (routing a report to an agency), *tindak lanjut* (follow-up),
*bukan wewenang* (not this agency's competence: the report is returned for re-routing).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from satupintu.agencies.models import Agency, Region
from satupintu.core.models import StoredFile
from satupintu.domain.attributes import AttributeSpec, Datatype
from satupintu.domain.lifecycle import OWES_WORK, ReportType, Status

#: Reports that owe work (domain.lifecycle.OWES_WORK), for partial indexes.
OWES_WORK_Q = Q(status__in=sorted(s.value for s in OWES_WORK))


class ReportTypeChoices(models.TextChoices):
    ASPIRATION = ReportType.ASPIRATION.value, _("Aspirasi")
    INFORMATION = ReportType.INFORMATION.value, _("Permintaan informasi")
    COMPLAINT = ReportType.COMPLAINT.value, _("Pengaduan")
    SUPERVISORY_COMPLAINT = (
        ReportType.SUPERVISORY_COMPLAINT.value,
        _("Pengaduan berkadar pengawasan"),
    )


class StatusChoices(models.TextChoices):
    RECEIVED = Status.RECEIVED.value, _("Diterima")
    ON_HOLD = Status.ON_HOLD.value, _("Ditunda")
    ARCHIVED = Status.ARCHIVED.value, _("Diarsipkan")
    DISPATCHED = Status.DISPATCHED.value, _("Terdisposisi")
    IN_PROGRESS = Status.IN_PROGRESS.value, _("Ditindaklanjuti")
    RESOLVED = Status.RESOLVED.value, _("Selesai")
    REOPENED = Status.REOPENED.value, _("Dibuka kembali")
    CLOSED = Status.CLOSED.value, _("Ditutup")


class Channel(models.TextChoices):
    WEB = "web", _("Portal web")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    EMAIL = "email", _("Surel")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SOCIAL = "social", _("Media sosial")
    COUNTER = "counter", _("Loket / Mal Pelayanan Publik")
    PHONE = "phone", _("Telepon")
    CALL_112 = "call112", _("Call center 112")
    FORWARDED = "forwarded", _("Terusan instansi lain")


class SlaPolicy(models.Model):
    """The Pemda's deadlines in working days (one row). Defaults: domain.md §1.6."""

    verify_days = models.PositiveSmallIntegerField(_("verifikasi"), default=3)
    followup_days = models.PositiveSmallIntegerField(_("tindak lanjut pertama"), default=5)
    autoclose_days = models.PositiveSmallIntegerField(_("tutup otomatis"), default=10)
    hold_days = models.PositiveSmallIntegerField(
        _("batas tunda"), default=10, help_text=_("Nilai bawaan (belum dikonfirmasi regulasi)")
    )
    appeal_days = models.PositiveSmallIntegerField(
        _("masa banding"), default=10, help_text=_("Nilai bawaan (belum dikonfirmasi regulasi)")
    )
    aspiration_days = models.PositiveSmallIntegerField(_("penyelesaian aspirasi"), default=5)
    information_days = models.PositiveSmallIntegerField(
        _("penyelesaian permintaan informasi"), default=5
    )
    complaint_days = models.PositiveSmallIntegerField(_("penyelesaian pengaduan"), default=14)
    supervisory_complaint_days = models.PositiveSmallIntegerField(
        _("penyelesaian pengaduan berkadar pengawasan"), default=60
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kebijakan tenggat")
        verbose_name_plural = pgettext_lazy("plural", "kebijakan tenggat")

    def __str__(self) -> str:
        return str(_("Kebijakan tenggat (hari kerja)"))


class Category(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    description = models.TextField(_("uraian"), blank=True)
    report_type = models.CharField(
        _("jenis laporan bawaan"),
        max_length=24,
        choices=ReportTypeChoices.choices,
        default=ReportTypeChoices.COMPLAINT,
    )
    default_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="default_categories",
        verbose_name=_("instansi penanggung jawab"),
    )
    completion_days = models.PositiveSmallIntegerField(
        _("tenggat penyelesaian (hari kerja)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai tenggat bawaan jenis laporan."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = pgettext_lazy("plural", "kategori")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CategoryAttribute(models.Model):
    """An extra question a category asks (domain/attributes.py), e.g. "nomor tiang lampu"."""

    class DatatypeChoices(models.TextChoices):
        STRING = Datatype.STRING.value, _("Teks satu baris")
        TEXT = Datatype.TEXT.value, _("Teks panjang")
        NUMBER = Datatype.NUMBER.value, _("Angka")
        DATETIME = Datatype.DATETIME.value, _("Tanggal dan waktu")
        SINGLE = Datatype.SINGLE.value, _("Pilih satu")
        MULTI = Datatype.MULTI.value, _("Pilih beberapa")

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="attributes", verbose_name=_("kategori")
    )
    code = models.SlugField(_("kode"), max_length=40)
    label = models.CharField(_("pertanyaan"), max_length=200)
    help_text = models.CharField(_("keterangan"), max_length=300, blank=True)
    datatype = models.CharField(_("jenis isian"), max_length=16, choices=DatatypeChoices.choices)
    required = models.BooleanField(_("wajib"), default=False)
    variable = models.BooleanField(
        _("diisi pelapor"),
        default=True,
        help_text=_("Kosongkan tanda ini bila atribut hanya berupa informasi bagi pelapor."),
    )
    values = models.JSONField(
        _("pilihan"),
        default=list,
        blank=True,
        help_text=_('Untuk jenis pilihan: daftar [{"key": "...", "name": "..."}].'),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("atribut kategori")
        verbose_name_plural = pgettext_lazy("plural", "atribut kategori")
        ordering = ["category", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="categoryattribute_category_code_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.code}/{self.code}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        items = self.values if isinstance(self.values, list) else None
        if items is None or not all(
            isinstance(item, dict) and str(item.get("key", "")).strip() for item in items
        ):
            raise ValidationError(
                {"values": _('Tulis daftar seperti [{"key": "rusak", "name": "Rusak"}].')}
            )
        keys = [str(item["key"]).strip() for item in items]
        if len(set(keys)) != len(keys):
            raise ValidationError({"values": _("Setiap kunci pilihan harus berbeda.")})
        is_list = self.datatype in {Datatype.SINGLE.value, Datatype.MULTI.value}
        if is_list and not keys:
            raise ValidationError(
                {"values": _("Jenis pilihan memerlukan paling sedikit satu pilihan.")}
            )
        if not is_list and keys:
            raise ValidationError(
                {"values": _("Hanya jenis pilihan yang memiliki daftar pilihan.")}
            )

    def choices(self) -> list[tuple[str, str]]:
        return [
            (str(item.get("key", "")), str(item.get("name", item.get("key", ""))))
            for item in self.values or []
            if isinstance(item, dict)
        ]

    def spec(self) -> AttributeSpec:
        return AttributeSpec(
            code=self.code,
            datatype=Datatype(self.datatype),
            required=self.required,
            variable=self.variable,
            values=tuple(self.choices()),
        )


class Report(models.Model):
    tracking_number = models.CharField(_("nomor pelacakan"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    report_type = models.CharField(_("jenis"), max_length=24, choices=ReportTypeChoices.choices)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("kategori")
    )
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("isi laporan"))
    channel = models.CharField(_("kanal"), max_length=12, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=StatusChoices.choices, default=Status.RECEIVED.value
    )
    is_anonymous = models.BooleanField(_("anonim"), default=False)
    is_confidential = models.BooleanField(_("rahasia"), default=False)
    # Reporter identity, encrypted at rest (core/crypto.py); never read directly: see
    # actions.report_read_identity, which audits every read.
    contact_encrypted = models.TextField(blank=True, editable=False)
    contact_index = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("kelurahan")
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    received_at = models.DateTimeField(_("diterima"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dicatat oleh petugas"),
    )
    external_ref = models.CharField(_("rujukan kanal asal"), max_length=100, blank=True)
    #: Answers to the category's extra questions (CategoryAttribute), by attribute code.
    attributes = models.JSONField(_("atribut"), default=dict, blank=True)
    current_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_reports",
        verbose_name=_("instansi pemegang"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_reports",
        verbose_name=_("petugas yang ditugasi"),
    )
    # Deadlines (working days, domain.md §1.6), stored when a step starts.
    verify_due = models.DateField(_("tenggat verifikasi"), null=True, blank=True)
    hold_due = models.DateField(_("tenggat tunda"), null=True, blank=True)
    followup_due = models.DateField(_("tenggat tindak lanjut pertama"), null=True, blank=True)
    complete_due = models.DateField(_("tenggat penyelesaian"), null=True, blank=True)
    autoclose_due = models.DateField(_("tenggat tutup otomatis"), null=True, blank=True)
    appeal_until = models.DateField(_("batas banding"), null=True, blank=True)
    next_due = models.DateField(_("tenggat berjalan"), null=True, blank=True)
    escalated_due = models.DateField(_("tenggat yang dieskalasi"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)
    dispatched_at = models.DateTimeField(_("didisposisikan"), null=True, blank=True)
    first_followup_at = models.DateTimeField(_("tindak lanjut pertama"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("penilaian"), null=True, blank=True)
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    appeal_count = models.PositiveSmallIntegerField(_("jumlah banding"), default=0)
    hop_count = models.PositiveSmallIntegerField(_("jumlah disposisi"), default=0)
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = pgettext_lazy("plural", "laporan")
        indexes = [
            # The overdue query (selectors.overdue_reports) reads only reports that owe work:
            # a partial index on exactly those keeps it an index-only range scan.
            models.Index(fields=["next_due"], name="report_owed_due_idx", condition=OWES_WORK_Q),
            models.Index(
                fields=["current_agency", "next_due"],
                name="report_agency_owed_due_idx",
                condition=OWES_WORK_Q,
            ),
            # The SLA sweep's auto-close and hold-expiry look-ups.
            models.Index(fields=["status", "next_due"], name="report_status_due_idx"),
            models.Index(fields=["status", "received_at"], name="report_status_received_idx"),
            models.Index(fields=["received_at"], name="report_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="report_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.title}"

    @property
    def audit_chain(self) -> str:
        return f"report:{self.pk}"


class Disposition(models.Model):
    """One hop of a report between agencies (disposisi): from, to, by, when, reason, outcome."""

    class Kind(models.TextChoices):
        DISPATCH = "dispatch", _("Disposisi")
        FORWARD = "forward", _("Diteruskan")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Berjalan")
        FORWARDED = "forwarded", _("Diteruskan ke instansi lain")
        RETURNED = "returned", _("Dikembalikan: bukan wewenang")
        RESOLVED = "resolved", _("Diselesaikan")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="dispositions")
    seq = models.PositiveSmallIntegerField(_("urutan"))
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    from_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dari instansi"),
    )
    to_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="dispositions",
        verbose_name=_("ke instansi"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("oleh"),
    )
    created_at = models.DateTimeField(_("waktu"))
    reason = models.TextField(_("alasan / instruksi"), blank=True)
    followup_due = models.DateField(_("tenggat tindak lanjut"))
    complete_due = models.DateField(_("tenggat penyelesaian"))
    accepted_at = models.DateTimeField(_("diterima instansi"), null=True, blank=True)
    ended_at = models.DateTimeField(_("berakhir"), null=True, blank=True)
    outcome = models.CharField(
        _("hasil"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN
    )
    outcome_reason = models.TextField(_("keterangan hasil"), blank=True)

    class Meta:
        verbose_name = _("disposisi")
        verbose_name_plural = pgettext_lazy("plural", "disposisi")
        ordering = ["report", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["report", "seq"], name="disposition_report_seq_uniq"),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(outcome="open"),
                name="disposition_one_open_per_report",
            ),
        ]
        indexes = [models.Index(fields=["to_agency", "outcome"], name="disposition_to_outcome_idx")]

    def __str__(self) -> str:
        return f"#{self.seq}"


class ReportEvent(models.Model):
    """The report's timeline. ``is_public`` entries are what the reporter and the public see."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Laporan diterima")
        HELD = "held", _("Ditunda: menunggu kelengkapan")
        ARCHIVED = "archived", _("Diarsipkan")
        DISPATCHED = "dispatched", _("Didisposisikan")
        ACCEPTED = "accepted", _("Diterima instansi")
        FOLLOW_UP = "follow_up", _("Tindak lanjut")
        FORWARDED = "forwarded", _("Diteruskan")
        RETURNED = "returned", _("Dikembalikan: bukan wewenang")
        NOTE = "note", _("Catatan internal")
        PUBLIC_REPLY = "public_reply", _("Tanggapan")
        RESOLVED = "resolved", _("Diselesaikan")
        REPORTER_REPLY = "reporter_reply", _("Tanggapan pelapor")
        CONFIRMED = "confirmed", _("Dikonfirmasi pelapor")
        APPEALED = "appealed", _("Banding pelapor")
        AUTO_CLOSED = "auto_closed", _("Ditutup otomatis")
        ESCALATED = "escalated", _("Eskalasi: melewati tenggat")
        PRIVACY = "privacy", _("Pengaturan privasi diubah")
        ASSIGNED = "assigned", _("Ditugaskan ke petugas")
        REMOTE_UPDATE = "remote_update", _("Kabar dari sistem instansi tujuan")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("isi"), blank=True)
    is_public = models.BooleanField(_("publik"), default=False)
    created_at = models.DateTimeField(_("waktu"))
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("riwayat laporan")
        verbose_name_plural = pgettext_lazy("plural", "riwayat laporan")
        ordering = ["report", "created_at", "pk"]
        indexes = [
            models.Index(fields=["report", "created_at"], name="event_report_created_idx"),
            models.Index(fields=["kind", "created_at"], name="event_kind_created_idx"),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored under a random name: the original name is kept in the row, never in the path.
    return f"lampiran/{instance.report_id}/{instance.sha256[:32]}{instance.extension}"


class Attachment(StoredFile):
    """A photo or PDF attached to a report or to one of its timeline events.

    Files are checked by content, not by name, and images are re-encoded so that metadata
    such as GPS coordinates never reaches storage (complaints/attachments.py).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        ReportEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(_("berkas"), upload_to=attachment_path, max_length=200)
    by_reporter = models.BooleanField(_("dari pelapor"), default=False)

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = pgettext_lazy("plural", "lampiran")
        ordering = ["report", "uploaded_at", "pk"]
