"""``satupintu check``: the message doors' settings, each problem naming its variable."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register
def email_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """SATUPINTU_SMTP_URL, SATUPINTU_MAIL_FROM and SATUPINTU_IMAP_URL (channels/email.py)."""
    from satupintu.channels import email

    errors, warnings = email.configuration_problems()
    found: list[checks.CheckMessage] = [checks.Error(text, id="channels.E001") for text in errors]
    found += [checks.Warning(text, id="channels.W001") for text in warnings]
    return found
