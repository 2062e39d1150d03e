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


def test_the_language_follows_the_cookie_then_accept_language_and_the_answer_says_so(
    city: City, settings: object
) -> None:
    client = Client()
    english = client.get("/api/v1/reports/SP-NOPE", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert english.status_code == 404
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]
    assert english.json()["error"]["message"] == "Report not found."
    default = client.get("/api/v1/reports/SP-NOPE", HTTP_ACCEPT_LANGUAGE="fr")
    assert default["Content-Language"] == "id"
    assert default.json()["error"]["message"] == "Laporan tidak ditemukan."
    # A language chosen on the site (its cookie) wins over the browser's list.
    client.cookies["django_language"] = "en"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="id")
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()
