"""core/errors.py: the HTTP status of every refusal at every door, in one table."""

from __future__ import annotations

import pytest

from satupintu.api.idempotency import IdempotencyInUse, IdempotencyMismatch
from satupintu.core.errors import (
    Conflict,
    Door,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotPermitted,
    SatupintuError,
    Stale,
    StaleReport,
    WindowClosed,
    http_status,
)
from satupintu.core.http import error_status

#: (web page, /api/v1, Open311): what clients have always been answered.
EXPECTED: dict[type[SatupintuError], tuple[int, int, int]] = {
    SatupintuError: (400, 400, 400),
    InvalidInput: (400, 422, 400),
    NotPermitted: (403, 403, 403),
    NotFound: (400, 404, 404),
    Conflict: (400, 409, 400),
    InvalidTransition: (409, 409, 400),
    Stale: (409, 409, 400),
    StaleReport: (409, 409, 400),
    WindowClosed: (400, 409, 400),
    IdempotencyInUse: (400, 409, 400),
    IdempotencyMismatch: (400, 422, 400),
}


@pytest.mark.parametrize("cls", list(EXPECTED), ids=lambda cls: cls.__name__)
def test_status_of_each_refusal_at_each_door(cls: type[SatupintuError]) -> None:
    exc = cls("refused")
    got = (http_status(exc, Door.PAGE), http_status(exc, Door.API), http_status(exc, Door.OPEN311))
    assert got == EXPECTED[cls]
    assert error_status(exc) == EXPECTED[cls][0]


def test_the_servers_own_error_pages_render_alone_in_the_visitors_language() -> None:
    # Rendered without a request or database (handler500, an outage): no context processor.
    from django.template import loader
    from django.utils import translation

    pages = {"500.html": "Terjadi kesalahan", "503.html": "Layanan sementara tidak tersedia"}
    for name, title in pages.items():
        html = loader.get_template(name).render({})
        assert f"<title>{title}</title>" in html
        assert 'href="/"' in html and "Ke beranda" in html
    with translation.override("en"):
        html = loader.get_template("503.html").render({})
    assert '<html lang="en">' in html and "Ke beranda" not in html
