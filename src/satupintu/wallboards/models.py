"""A wallboard: a revocable link to the operations room's big screen, opened without a login.

Only the SHA-256 of the link's token is stored; the token itself appears once, in the URL
``satupintu wallboard create`` prints.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Wallboard(models.Model):
    name = models.SlugField(_("nama"), max_length=64, unique=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("terakhir dilihat"), null=True, blank=True)

    class Meta:
        verbose_name = _("layar ruang kendali")
        verbose_name_plural = _("layar ruang kendali")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name
