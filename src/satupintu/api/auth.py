"""How callers of the API authenticate: an API key, or nobody at all where that is allowed.

A key is sent as ``Authorization: Bearer sp_...`` or ``X-API-Key: sp_...`` (Open311 clients send
``api_key``, read in open311/). A key that is present but unknown or revoked is refused with 401
even where anonymous access is allowed, so a misconfigured gateway notices at once.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader, HttpBearer

from satupintu.api import keys
from satupintu.core.errors import NotPermitted


class Anonymous:
    """The caller without a key (a citizen's app that files reports without an account)."""

    def __bool__(self) -> bool:
        return True

    def has(self, scope: str) -> bool:
        return False


ANONYMOUS = Anonymous()


class BearerKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> keys.KeyActor | None:
        return keys.authenticate(token)


class HeaderKey(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> keys.KeyActor | None:
        return keys.authenticate(key)


def anonymous(request: HttpRequest) -> Anonymous | None:
    """Succeeds only when the request carries no key at all."""
    meta = request.META
    if meta.get("HTTP_AUTHORIZATION") or meta.get("HTTP_X_API_KEY"):
        return None
    return ANONYMOUS


KEY = [BearerKey(), HeaderKey()]
KEY_OR_ANONYMOUS = [*KEY, anonymous]


def require(request: HttpRequest, scope: str) -> keys.KeyActor:
    """The request's key if it has ``scope``; NotPermitted (403) otherwise."""
    caller: Any = getattr(request, "auth", None)
    if isinstance(caller, keys.KeyActor) and caller.has(scope):
        return caller
    raise NotPermitted(
        _("Kunci API ini tidak memiliki cakupan %(scope)s.") % {"scope": scope},
        detail=f"missing scope {scope}",
    )
