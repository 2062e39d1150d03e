"""The one interface every provider adapter implements, and which ones are switched on.

An adapter sends one :class:`~satupintu.notifications.models.Message` and says how it went;
notifications/messages.py claims the row, calls :func:`send` and records the :class:`Outcome`.
A channel whose environment variables are unset is off: :func:`enabled` says so, and a message
for it is recorded as skipped, never retried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from satupintu.notifications.models import Message


@dataclass(frozen=True)
class Outcome:
    """What the provider answered: ``ok`` with its id, or an error and whether to retry."""

    ok: bool
    provider_id: str = ""
    error: str = ""
    retry: bool = True


#: channel → dotted path of the adapter's ``send(message, address) -> Outcome``.
SENDERS = {
    "whatsapp": "satupintu.channels.whatsapp.send",
    "sms": "satupintu.channels.sms.send",
    "email": "satupintu.channels.email.send",
}

#: channel → dotted path of the adapter's ``is_enabled() -> bool`` (its settings are set).
ENABLED = {
    "whatsapp": "satupintu.channels.whatsapp.is_enabled",
    "sms": "satupintu.channels.sms.is_enabled",
    "email": "satupintu.channels.email.is_enabled",
}


def enabled() -> dict[str, bool]:
    """Each channel and whether it is switched on (shown in the admin)."""
    return {name: bool(import_string(path)()) for name, path in ENABLED.items()}


def is_enabled(channel: str) -> bool:
    path = ENABLED.get(channel)
    return bool(path and import_string(path)())


def send(message: Message, address: str) -> Outcome:
    """Send ``message`` to ``address`` (decrypted by the caller) through its channel."""
    sender: Callable[[Message, str], Outcome] = import_string(SENDERS[message.channel])
    return sender(message, address)
