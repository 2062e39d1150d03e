"""What the public sees (complaints/public.py), asked of every door: the portal's public page,
``/api/v1``'s public reports and Open311's requests give the same answer about the same
reports: found or not, the same masked text, the same public timeline and the same photos."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from satupintu.api import keys
from satupintu.complaints import public, services
from satupintu.complaints.models import Attachment, Report
from tests.conftest import City
from tests.portal.conftest import jpeg

pytestmark = pytest.mark.django_db

NIK, PHONE, EMAIL = "3276010101010001", "081234567890", "siti.aminah@example.id"
REPLY_PHONE, REPLY_EMAIL, REPLY_NIK = "0813-1111-2222", "budi@example.id", "3276 0101 0101 0002"
PERSONAL = (NIK, PHONE, EMAIL, REPLY_PHONE, REPLY_EMAIL, REPLY_NIK, "Siti Aminah")
TITLE = f"Lubang jalan, hubungi {PHONE}"
DESCRIPTION = f"Lubang besar di depan rumah saya. NIK {NIK}, HP {PHONE}, surel {EMAIL}."
REPLY = f"Petugas kami, Pak Budi ({REPLY_PHONE}, {REPLY_EMAIL}), datang besok. NIK {REPLY_NIK}."
NOTE = "Catatan internal: pelapor tetangga kepala dinas."


#: The public timeline of each public report after its receipt.
PUBLIC_STEPS = {
    "held": ["held"],
    "anonymous": ["dispatched"],
    "forwarded": ["dispatched", "forwarded"],
    "normal": ["dispatched", "follow_up"],
    "personal": ["dispatched", "public_reply"],  # not the internal note
}


@pytest.fixture(autouse=True)
def _clean(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    keys._cache.clear()
    yield
    cache.clear()
    keys._cache.clear()


@dataclass
class Seeded:
    reports: dict[str, Report]
    secrets: dict[str, str]
    #: The files the public may see, by report name, in upload order.
    photos: dict[str, list[int]] = field(default_factory=dict)
    #: Files nobody but officers and the reporter may download.
    hidden_files: list[int] = field(default_factory=list)

    @property
    def public(self) -> set[str]:
        return set(PUBLIC_STEPS)


def _file(city: City, **kwargs: Any) -> Report:
    return city.file(**kwargs)[0]


def _photo(name: str) -> list[tuple[str, Any]]:
    return [(name, jpeg(name))]


def _dispatch(city: City, report: Report) -> Report:
    return services.report_dispatch(actor=city.verifier, report_id=report.pk)


@pytest.fixture
def seeded(city: City) -> Seeded:
    archived = _file(city, attachments=_photo("a.jpg"))
    services.report_archive(actor=city.verifier, report_id=archived.pk, reason="Bukan aduan.")
    held = _file(city)
    services.report_hold(actor=city.verifier, report_id=held.pk, message="Mohon foto lokasinya.")
    confidential = _dispatch(city, _file(city, is_confidential=True, attachments=_photo("c.jpg")))
    anonymous = _dispatch(city, _file(city, is_anonymous=True, attachments=_photo("wajah.jpg")))
    forwarded = _dispatch(city, _file(city, title="Tiang listrik miring"))
    services.report_forward(
        actor=city.officer_a, report_id=forwarded.pk, to_agency=city.pln, reason="Aset PLN."
    )
    normal = _dispatch(city, _file(city, attachments=_photo("lubang.jpg")))
    services.report_follow_up(actor=city.officer_a, report_id=normal.pk, body="Kami tinjau.")
    personal, secret = city.file(title=TITLE, description=DESCRIPTION)
    _dispatch(city, personal)
    services.report_add_note(actor=city.officer_a, report_id=personal.pk, body=NOTE)
    reply = services.report_add_note(
        actor=city.officer_a, report_id=personal.pk, body=REPLY, public=True
    )
    # An officer's photo posted with the public reply is public, one on its own is not.
    with_reply, internal = services.report_add_attachments(
        actor=city.officer_a,
        report_id=personal.pk,
        files=_photo("sesudah.jpg") + _photo("denah.jpg"),
    )
    Attachment.objects.filter(pk=with_reply.pk).update(event=reply)
    reports = {
        "archived": archived,
        "held": held,
        "confidential": confidential,
        "anonymous": anonymous,
        "forwarded": forwarded,
        "normal": normal,
        "personal": personal,
    }
    return Seeded(
        reports={name: Report.objects.get(pk=r.pk) for name, r in reports.items()},
        secrets={"personal": secret},
        photos={
            "normal": [normal.attachments.get().pk],
            "personal": [with_reply.pk],
        },
        hidden_files=[anonymous.attachments.get().pk, internal.pk]
        + [a.pk for r in (archived, confidential) for a in r.attachments.all()],
    )


# --------------------------------------------------------------------------- the three doors


@dataclass
class Answer:
    """One door's answer about one report."""

    found: bool
    text: str = ""  # the whole answer, to look for what must never be in it
    timeline: list[str] = field(default_factory=list)  # public event kinds, oldest first
    photos: list[int] = field(default_factory=list)


def _attachment_ids(text: str) -> list[int]:
    return list(dict.fromkeys(int(pk) for pk in re.findall(r"/lampiran/(\d+)/", text)))


def portal(client: Client, number: str) -> Answer:
    response = client.get(f"/laporan/{number}/")
    if response.status_code == 404:
        return Answer(found=False)
    assert response.status_code == 200
    page = response.content.decode()
    return Answer(
        found=True,
        text=html.unescape(page),
        timeline=re.findall(r'<li class="timeline__(\w+)">', page),
        photos=_attachment_ids(page),
    )


def api(client: Client, number: str) -> Answer:
    response = client.get(f"/api/v1/reports/{number}")
    if response.status_code == 404:
        return Answer(found=False)
    assert response.status_code == 200
    data = json.loads(response.content)
    return Answer(
        found=True,
        text=json.dumps(data, ensure_ascii=False),
        timeline=[e["kind"] for e in data["timeline"]],
    )


def open311(client: Client, number: str, **params: Any) -> Answer:
    response = client.get(f"/open311/v2/requests/{number}.json", params)
    xml = client.get(f"/open311/v2/requests/{number}.xml", params)
    assert xml.status_code == response.status_code
    if response.status_code == 404:
        return Answer(found=False)
    assert response.status_code == 200
    [item] = json.loads(response.content)
    media = item["media_url"]
    return Answer(
        found=True,
        text=json.dumps(item, ensure_ascii=False) + xml.content.decode(),
        photos=_attachment_ids(media) if media else [],
    )


def download(client: Client, pk: int) -> int:
    """The status of the portal's answer to a request for the file ``pk``."""
    response = client.get(f"/lampiran/{pk}/")
    if response.streaming:
        # Read to the end, as a server would: that closes the file (not close(), which would
        # also close the test's database connection).
        b"".join(response.streaming_content)
    return int(response.status_code)


def listed(client: Client) -> dict[str, set[str]]:
    """The tracking numbers each door's public lists and look-ups name."""
    api_list = json.loads(client.get("/api/v1/reports", {"limit": 100}).content)["items"]
    portal_list = client.get("/laporan/").content.decode()
    o311 = json.loads(client.get("/open311/v2/requests.json").content)
    numbers = ",".join(Report.objects.values_list("tracking_number", flat=True))
    by_id = json.loads(
        client.get("/open311/v2/requests.json", {"service_request_id": numbers}).content
    )
    return {
        "portal list": set(re.findall(r'href="/laporan/([0-9A-Z]{10})/"', portal_list)),
        "api list": {i["tracking_number"] for i in api_list},
        "open311 list": {i["service_request_id"] for i in o311},
        "open311 by id": {i["service_request_id"] for i in by_id},
    }


# --------------------------------------------------------------------------- tests


def test_the_three_doors_agree_on_what_the_public_sees(city: City, seeded: Seeded) -> None:
    client = Client()
    numbers = {name: r.tracking_number for name, r in seeded.reports.items()}
    public_numbers = {numbers[name] for name in seeded.public}
    for door, found in listed(client).items():
        assert found == public_numbers, door
    list_pages = (
        client.get("/laporan/").content.decode() + client.get("/api/v1/reports").content.decode()
    )
    for name, number in numbers.items():
        answers = {
            "portal": portal(client, number),
            "api": api(client, number),
            "open311": open311(client, number),
        }
        for door, answer in answers.items():
            assert answer.found is (name in seeded.public), (name, door)
            for secret in PERSONAL:
                assert secret not in answer.text, (name, door, secret)
        if name not in seeded.public:
            continue
        # The same public timeline (never the internal note) on the portal and the API.
        kinds = ["received", *PUBLIC_STEPS[name]]
        assert answers["portal"].timeline == answers["api"].timeline == kinds, name
        assert NOTE not in answers["portal"].text + answers["api"].text
        # The same photos: the portal lists what the public may download, Open311 links the
        # first of them.
        expected = seeded.photos.get(name, [])
        assert answers["portal"].photos == expected, name
        assert answers["open311"].photos == expected[:1], name
        for pk in expected:
            assert download(client, pk) == 200
    for pk in seeded.hidden_files:
        assert download(client, pk) == 404
    for secret in PERSONAL:
        assert secret not in list_pages

    # The same masked text through every door.
    title, text, reply = (public.mask(t) for t in (TITLE, DESCRIPTION, REPLY))
    assert title != TITLE and text != DESCRIPTION and reply != REPLY
    number = numbers["personal"]
    page = portal(client, number).text
    assert title in page and text in page and reply in page
    detail = json.loads(client.get(f"/api/v1/reports/{number}").content)
    assert (detail["title"], detail["description"]) == (title, text)
    assert [e["body"] for e in detail["timeline"] if e["kind"] == "public_reply"] == [reply]
    [item] = json.loads(client.get(f"/open311/v2/requests/{number}.json").content)
    assert item["description"] == f"{title}\n\n{text}"
    assert item["status_notes"] == f"Terdisposisi: {reply}"
    [row] = [
        i
        for i in json.loads(client.get("/api/v1/reports").content)["items"]
        if i["tracking_number"] == number
    ]
    assert (row["title"], row["description"]) == (title, text)
    # The anonymous report's photo may show its reporter: no door shows it.
    anonymous = numbers["anonymous"]
    assert portal(client, anonymous).photos == open311(client, anonymous).photos == []


def test_a_search_for_personal_data_finds_nothing(city: City, seeded: Seeded) -> None:
    client = Client()
    number = seeded.reports["personal"].tracking_number
    for query in (PHONE, NIK, EMAIL, "1234567890", "siti.aminah@"):
        assert number not in client.get("/laporan/", {"q": query}).content.decode(), query
        found = json.loads(client.get("/api/v1/reports", {"q": query}).content)["items"]
        assert found == [], query
    # Words still find it, and so does its tracking number.
    assert number in client.get("/laporan/", {"q": "Lubang besar"}).content.decode()
    found = json.loads(client.get("/api/v1/reports", {"q": number}).content)["items"]
    assert [i["tracking_number"] for i in found] == [number]


def test_officers_and_the_reporter_read_the_text_whole(
    city: City, seeded: Seeded, login: Any
) -> None:
    report = seeded.reports["personal"]
    number = report.tracking_number
    # The reporter, with the secret: the portal's private page and the API's reporter endpoint.
    secret = seeded.secrets["personal"]
    browser = Client()
    assert browser.get(f"/lacak/{number}/?kunci={secret}").status_code == 302
    page = html.unescape(browser.get(f"/lacak/{number}/").content.decode())
    assert TITLE in page and DESCRIPTION in page and REPLY in page
    own = json.loads(
        Client()
        .get(f"/api/v1/reporter/reports/{number}", headers={"X-Report-Secret": secret})
        .content
    )
    assert own["description"] == DESCRIPTION
    assert REPLY in [e["body"] for e in own["timeline"]]
    # An officer, through an API key that reads every report.
    raw = keys.apikey_create(actor="test", name="dasbor", scopes=["read"])[1]
    detail = json.loads(
        Client()
        .get(f"/api/v1/officer/reports/{number}", headers={"Authorization": f"Bearer {raw}"})
        .content
    )
    assert (detail["title"], detail["description"]) == (TITLE, DESCRIPTION)
    assert REPLY in [e["body"] for e in detail["timeline"]]
    # The stored text is untouched by the public views.
    report.refresh_from_db()
    assert (report.title, report.description) == (TITLE, DESCRIPTION)


def test_published_after_verification_the_reporter_and_the_filing_key_still_see_it(
    city: City, settings: Any
) -> None:
    settings.SATUPINTU_PUBLISH_AFTER_VERIFICATION = True
    raw = keys.apikey_create(actor="test", name="gateway-sms")[1]
    gateway = Client(headers={"Authorization": f"Bearer {raw}"})
    filed = gateway.post(
        "/api/v1/reports",
        json.dumps(
            {
                "title": TITLE,
                "description": DESCRIPTION,
                "category": city.road.code,
                "channel": "sms",
            }
        ),
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    receipt = json.loads(filed.content)
    number, secret = receipt["tracking_number"], receipt["secret"]
    report = Report.objects.get(tracking_number=number)
    services.report_add_attachments(
        actor=city.reporter(report), report_id=report.pk, files=[("a.jpg", jpeg("a.jpg"))]
    )
    photo = report.attachments.get().pk
    held = _file(city)
    services.report_hold(actor=city.verifier, report_id=held.pk, message="Lengkapi.")
    dispatched = _dispatch(city, _file(city))

    anyone = Client()
    hidden = {number, held.tracking_number}
    for door, found in listed(anyone).items():
        assert found == {dispatched.tracking_number}, door
    for door in (portal, api, open311):
        for n in hidden:
            assert not door(anyone, n).found, (door.__name__, n)
        assert door(anyone, dispatched.tracking_number).found, door.__name__
    assert download(anyone, photo) == 404

    # The reporter, with the tracking number and the secret.
    assert anyone.get(f"/lacak/{number}/?kunci={secret}").status_code == 302
    page = html.unescape(anyone.get(f"/lacak/{number}/").content.decode())
    assert DESCRIPTION in page
    assert download(anyone, photo) == 200
    # The key that filed it, through Open311, reads it whole; another key does not find it.
    [item] = json.loads(anyone.get(f"/open311/v2/requests/{number}.json", {"api_key": raw}).content)
    assert item["description"] == f"{TITLE}\n\n{DESCRIPTION}"
    other = keys.apikey_create(actor="test", name="lain")[1]
    assert not open311(Client(), number, api_key=other).found

    # Once a verifier dispatches it, it is public (masked).
    _dispatch(city, report)
    for door in (portal, api, open311):
        answer = door(Client(), number)
        assert answer.found and PHONE not in answer.text, door.__name__
    assert download(Client(), photo) == 200
