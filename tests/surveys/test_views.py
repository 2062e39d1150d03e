"""The citizen SKM questionnaire at /survei/<period>/<unit>/ (views, tokens, limits, QR)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import segno
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satupintu.surveys import views
from satupintu.surveys.models import SkmResponse, SurveyPeriod
from tests.conftest import City

TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def period(city: City) -> SurveyPeriod:
    today = dt.date.today()
    return SurveyPeriod.objects.create(
        name="Semester II",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
        is_open=True,
    )


def url(period: SurveyPeriod, city: City, suffix: str = "") -> str:
    return reverse("surveys:form", args=[period.pk, city.dpupr.code]) + suffix


def token(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200
    match = TOKEN.search(response.content.decode())
    assert match
    return match.group(1)


def answers(**extra: str) -> dict[str, str]:
    data = {f"u{i}": str(1 + i % 4) for i in range(1, 10)}
    data.update(extra)
    return data


def test_form_lists_the_nine_questions(client: Client, city: City, period: SurveyPeriod) -> None:
    response = client.get(url(period, city))
    assert response.status_code == 200
    html = response.content.decode()
    assert "kesesuaian persyaratan pelayanan dengan jenis pelayanannya?" in html
    assert html.count('type="radio"') == 36
    for label in ("Sangat mahal", "Gratis", "Sangat baik", "Tidak sesuai"):
        assert label in html
    assert 'name="gender"' in html and 'name="suggestion"' in html


def test_full_response_is_saved_with_channel_link(
    client: Client, city: City, period: SurveyPeriod
) -> None:
    address = url(period, city)
    data = answers(
        token=token(client, address),
        gender="P",
        age_band="30-39",
        education="s1",
        occupation="wirausaha",
        suggestion="  Antrian lebih tertib.  ",
    )
    response = client.post(address, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks", args=[period.pk, city.dpupr.code])
    saved = SkmResponse.objects.get()
    assert saved.channel == SkmResponse.Channel.LINK
    assert saved.unit == city.dpupr and saved.period == period
    assert saved.answers() == (2, 3, 4, 1, 2, 3, 4, 1, 2)
    assert (saved.gender, saved.age_band, saved.education, saved.occupation) == (
        "P",
        "30-39",
        "s1",
        "wirausaha",
    )
    assert saved.suggestion == "Antrian lebih tertib."
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "http-equiv" not in thanks.content.decode()


def test_partial_answers_are_stored_as_blank(
    client: Client, city: City, period: SurveyPeriod
) -> None:
    address = url(period, city)
    response = client.post(address, {"u1": "4", "u8": "3", "token": token(client, address)})
    assert response.status_code == 302
    saved = SkmResponse.objects.get()
    assert saved.answers() == (4, None, None, None, None, None, None, 3, None)


def test_qr_channel(client: Client, city: City, period: SurveyPeriod) -> None:
    address = url(period, city, "?via=qr")
    response = client.post(address, answers(token=token(client, address)))
    assert response.status_code == 302
    assert SkmResponse.objects.get().channel == SkmResponse.Channel.QR


def test_channel_comes_from_the_signed_token(
    client: Client, city: City, period: SurveyPeriod
) -> None:
    """The channel is fixed when the form is shown: editing the address later changes nothing."""
    tok = token(client, url(period, city, "?via=qr"))
    client.post(url(period, city, "?kiosk=1"), answers(token=tok))
    assert SkmResponse.objects.get().channel == SkmResponse.Channel.QR


def test_kiosk_channel_returns_to_an_empty_form(
    client: Client, city: City, period: SurveyPeriod
) -> None:
    address = url(period, city, "?kiosk=1")
    form = client.get(address)
    assert 'autocomplete="off"' in form.content.decode()
    response = client.post(address, answers(token=token(client, address), suggestion="Bagus"))
    assert response.status_code == 302
    assert response["Location"].endswith("terima-kasih/?kiosk=1")
    assert SkmResponse.objects.get().channel == SkmResponse.Channel.KIOSK
    thanks = client.get(response["Location"]).content.decode()
    assert f'<meta http-equiv="refresh" content="5;url={address}">' in thanks
    fresh = client.get(address).content.decode()
    assert "checked" not in fresh and "Bagus" not in fresh


def test_no_answers_re_renders_with_error_and_keeps_values(
    client: Client, city: City, period: SurveyPeriod
) -> None:
    address = url(period, city)
    tok = token(client, address)
    data = {"token": tok, "gender": "L", "suggestion": "Ruang tunggu panas"}
    response = client.post(address, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Isi paling sedikit satu unsur" in html
    assert 'role="alert"' in html
    assert "Ruang tunggu panas" in html
    assert re.search(r'<option value="L" selected>', html)
    assert not SkmResponse.objects.exists()
    # Nothing stored: the same form (token) may be corrected and sent.
    assert client.post(address, {**data, "u3": "3"}).status_code == 302
    assert SkmResponse.objects.count() == 1


def test_invalid_choice_is_shown_next_to_the_field(
    client: Client, city: City, period: SurveyPeriod
) -> None:
    address = url(period, city)
    response = client.post(address, answers(token=token(client, address), u2="7", u5="2"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="q-u2"' in html and "field--error" in html
    assert '<input type="radio" name="u5" value="2" id="id_u5_1" checked>' in html


def test_replayed_token_is_refused(client: Client, city: City, period: SurveyPeriod) -> None:
    address = url(period, city)
    data = answers(token=token(client, address))
    assert client.post(address, data).status_code == 302
    again = client.post(address, data)
    assert again.status_code == 409
    assert "Formulir ini sudah pernah dikirim" in again.content.decode()
    assert SkmResponse.objects.count() == 1


def test_forged_token_is_refused_and_answers_kept(
    client: Client, city: City, period: SurveyPeriod
) -> None:
    address = url(period, city)
    other = views.make_token(period.pk, city.dlhk.code, "link")  # signed for another unit
    for bad in ("tampered", other):
        response = client.post(address, answers(token=bad, suggestion="Tetap ada"))
        assert response.status_code == 400
        html = response.content.decode()
        assert "sudah kedaluwarsa" in html and "Tetap ada" in html
    assert not SkmResponse.objects.exists()


def test_rate_limit_per_address_and_unit(client: Client, city: City, period: SurveyPeriod) -> None:
    address = url(period, city)
    for _ in range(views.RATE_LIMIT):
        assert client.post(address, answers(token=token(client, address))).status_code == 302
    response = client.post(address, answers(token=token(client, address)))
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "terlalu banyak survei" in response.content.decode()
    assert SkmResponse.objects.count() == views.RATE_LIMIT
    # Another unit and another address each have their own budget.
    other = reverse("surveys:form", args=[period.pk, city.dlhk.code])
    assert client.post(other, answers(token=token(client, other))).status_code == 302
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert elsewhere.post(address, answers(token=token(elsewhere, address))).status_code == 302


@pytest.mark.parametrize(
    "problem", ["closed", "ended", "unknown_period", "unknown_unit", "external"]
)
def test_closed_or_unknown_survey_is_404(
    client: Client, city: City, period: SurveyPeriod, problem: str
) -> None:
    period_id, unit_code = period.pk, city.dpupr.code
    if problem == "closed":
        SurveyPeriod.objects.filter(pk=period.pk).update(is_open=False)
    elif problem == "ended":
        SurveyPeriod.objects.filter(pk=period.pk).update(
            starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 6, 30)
        )
    elif problem == "unknown_period":
        period_id += 1000
    elif problem == "unknown_unit":
        unit_code = "tidak-ada"
    else:
        unit_code = city.pln.code
    address = reverse("surveys:form", args=[period_id, unit_code])
    response = client.get(address)
    assert response.status_code == 404
    assert "Survei tidak tersedia" in response.content.decode()
    assert client.post(address, answers()).status_code == 404


def test_period_closed_while_the_form_was_open(
    client: Client, city: City, period: SurveyPeriod
) -> None:
    address = url(period, city)
    tok = token(client, address)
    SurveyPeriod.objects.filter(pk=period.pk).update(is_open=False)
    assert client.post(address, answers(token=tok)).status_code == 404
    assert not SkmResponse.objects.exists()


def test_qr_code_is_a_png_of_the_survey_address(
    client: Client, city: City, period: SurveyPeriod, rf: Any, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["layanan.depok.go.id", "testserver"]
    response = client.get(reverse("surveys:qr", args=[period.pk, city.dpupr.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    request = rf.get("/", HTTP_HOST="layanan.depok.go.id")
    assert views.qr_target_url(request, period.pk, city.dpupr.code) == (
        f"http://layanan.depok.go.id/survei/{period.pk}/dpupr/?via=qr"
    )


def test_qr_code_encodes_that_address(
    client: Client, city: City, period: SurveyPeriod, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoded: list[str] = []
    real_make = segno.make

    def spy(content: str, **kwargs: Any) -> Any:
        encoded.append(content)
        return real_make(content, **kwargs)

    monkeypatch.setattr(segno, "make", spy)
    client.get(reverse("surveys:qr", args=[period.pk, city.dpupr.code]))
    assert encoded == [f"http://testserver/survei/{period.pk}/dpupr/?via=qr"]


def test_qr_code_unknown_unit_is_404(client: Client, city: City, period: SurveyPeriod) -> None:
    assert client.get(reverse("surveys:qr", args=[period.pk, "tidak-ada"])).status_code == 404


def test_form_page_query_count_is_bounded(client: Client, city: City, period: SurveyPeriod) -> None:
    client.get(url(period, city))  # warm up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(period, city)).status_code == 200
    assert len(queries) <= 3, [q["sql"] for q in queries]


def test_form_in_english(client: Client, city: City, period: SurveyPeriod) -> None:
    response = client.get(url(period, city), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
