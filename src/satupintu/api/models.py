"""API keys of the systems that integrate with satupintu, and the idempotency records of their
writes.

An API key stands for one system (a city's app, an SMS or WhatsApp gateway, a 112 call centre,
another government's complaint system). Only the SHA-256 of the key is stored; the key itself is
printed once when it is created (``satupintu apikey create``). Each key has a service account
(a ``User`` that cannot sign in) so that everything it does is on the report's timeline and in
the audit log under its own name, and its scopes give that account its roles (api/keys.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from satupintu.agencies.models import Agency


class ApiKey(models.Model):
    name = models.SlugField(_("nama"), max_length=60, unique=True)
    description = models.CharField(_("keterangan"), max_length=200, blank=True)
    prefix = models.CharField(_("awalan kunci"), max_length=12, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_key",
        verbose_name=_("akun layanan"),
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_keys",
        verbose_name=_("instansi"),
    )
    scopes = models.JSONField(_("cakupan"), default=list)
    #: Requests per minute this key may make to write endpoints (0: the site default).
    rate_limit = models.PositiveIntegerField(_("batas permintaan per menit"), default=0)
    created_at = models.DateTimeField(_("dibuat"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("kunci API")
        verbose_name_plural = pgettext_lazy("plural", "kunci API")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The stored answer to a write sent with an ``Idempotency-Key`` header.

    Written in the same transaction as the write itself, so a retried request either finds the
    answer of the first one (and gets it again) or runs as if it were the first.
    """

    owner = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("catatan idempotensi")
        verbose_name_plural = pgettext_lazy("plural", "catatan idempotensi")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_uniq"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_idx")]

    def __str__(self) -> str:
        return f"{self.owner}:{self.key}"
