from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Edited(models.Model):
    """Master data edited through the evaluator's pages: a version for optimistic locking
    (the form sends the one it showed) and who changed it last."""

    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diperbarui oleh"),
    )

    class Meta:
        abstract = True


class StoredFile(models.Model):
    """An uploaded file checked by its content (complaints/attachments.py) and stored under a
    name of its own: the uploader's file name is kept in the row, never in the path. Each
    subclass declares ``file`` with its own folder; complaints.attachments.keep() stores one."""

    original_name = models.CharField(_("nama berkas asli"), max_length=200)
    content_type = models.CharField(_("jenis berkas"), max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(_("diunggah"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class User(AbstractUser):
    """A person who signs in: an officer, leader, evaluator or administrator.

    Reporters (citizens) need no account; they follow a report by tracking number and secret.
    What a user may do comes from their memberships (agencies.Membership), not from this row.
    """

    nip = models.CharField(_("NIP"), max_length=32, blank=True, help_text=_("Nomor Induk Pegawai"))
    phone = models.CharField(_("telepon"), max_length=32, blank=True)

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined,misc]
        verbose_name = _("pengguna")
        verbose_name_plural = pgettext_lazy("plural", "pengguna")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditEntry(models.Model):
    """One append-only entry of the tamper-evident audit log (see core/audit.py).

    Entries form hash chains, one per audited object (``report:42``, ``agency:7``), so writers on
    unrelated objects never wait for each other. Each entry's ``hash`` is an HMAC over its content
    and the previous entry's hash, keyed with SATUPINTU_AUDIT_KEY.
    """

    chain = models.CharField(max_length=64)
    seq = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    changes = models.TextField(help_text="canonical JSON of {before, after}")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("entri audit")
        verbose_name_plural = _("log audit")
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_entry_chain_seq_uniq"),
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_entry_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.chain}/{self.seq} {self.action}"


class AuditHead(models.Model):
    """The last entry of each chain, with its own keyed MAC: removing a chain's tail shows."""

    chain = models.CharField(max_length=64, primary_key=True)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ujung rantai audit")
        verbose_name_plural = pgettext_lazy("plural", "ujung rantai audit")

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"
