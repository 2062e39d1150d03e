"""Web-only middleware: the open interfaces skip sessions, CSRF and the rest; pages keep them."""

from __future__ import annotations

from django.test import Client

from tests.conftest import City


def test_the_api_sets_no_session_or_csrf_cookie_and_pages_still_do(city: City) -> None:
    client = Client(enforce_csrf_checks=True)
    api = client.get("/api/v1/categories")
    assert api.status_code == 200
    assert not api.cookies
    assert "Vary" not in api or "Cookie" not in api["Vary"]
    page = client.get("/lapor/")
    assert page.status_code == 200
    assert "csrftoken" in page.cookies
    # CSRF is still enforced on web forms.
    assert client.post("/lapor/", {"title": "x"}).status_code == 403


def test_an_api_write_needs_no_csrf_token(city: City) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/reports",
        '{"title": "Jalan rusak", "description": "Lubang besar di depan sekolah dasar."}',
        content_type="application/json",
    )
    assert response.status_code == 201
