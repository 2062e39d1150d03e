"""Every desk page renders for the personas that have it, escapes user text, carries CSRF."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from satupintu.complaints import services
from satupintu.core.models import User
from tests.conftest import City

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def test_desk_needs_a_signed_in_user(city: City) -> None:
    report = city.dispatched()
    for url in (
        reverse("desk:home"),
        reverse("desk:verify_queue"),
        reverse("desk:inbox", args=["dpupr"]),
        reverse("desk:overdue", args=["dpupr"]),
        reverse("desk:city"),
        reverse("desk:report", args=[report.pk]),
        reverse("desk:counter"),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("desk:login"))


def test_home_links_the_queues_each_role_has(city: City, login: Login) -> None:
    city.dispatched()
    verifier = login(city.verifier).get(reverse("desk:home")).content.decode()
    assert reverse("desk:verify_queue") in verifier
    assert reverse("desk:inbox", args=["dpupr"]) not in verifier

    officer = login(city.officer_a).get(reverse("desk:home")).content.decode()
    assert reverse("desk:inbox", args=["dpupr"]) in officer
    assert reverse("desk:verify_queue") not in officer
    assert reverse("desk:overdue", args=["dpupr"]) not in officer  # liaison, not head
    assert reverse("desk:city") not in officer

    head = login(city.head_a).get(reverse("desk:home")).content.decode()
    assert reverse("desk:overdue", args=["dpupr"]) in head

    leader = login(city.leader).get(reverse("desk:home")).content.decode()
    assert reverse("desk:city") in leader
    assert reverse("desk:verify_queue") not in leader

    outsider = login(city.outsider).get(reverse("desk:home")).content.decode()
    assert "belum memiliki peran" in outsider


def test_home_counts_per_queue(city: City, login: Login) -> None:
    for _ in range(3):
        city.dispatched()
    city.file()
    page = login(city.officer_a).get(reverse("desk:home"))
    assert page.context["menu"].agencies[0].count == 3
    page = login(city.verifier).get(reverse("desk:home"))
    assert page.context["menu"].verify == (1, False)


def test_user_text_is_escaped_everywhere(city: City, login: Login) -> None:
    evil = '<script>alert("x")</script>'
    report = city.dispatched(title=f"Judul {evil}", description=f"Isi laporan panjang {evil}")
    services.report_add_note(actor=city.officer_a, report_id=report.pk, body=f"Catatan {evil}")
    client = login(city.officer_a)
    for url in (
        reverse("desk:report", args=[report.pk]),
        reverse("desk:inbox", args=["dpupr"]),
    ):
        html = client.get(url).content.decode()
        assert evil not in html
        assert "&lt;script&gt;" in html


def test_every_form_carries_a_csrf_token_and_posts_without_one_are_refused(
    city: City, login: Login
) -> None:
    report = city.dispatched()
    client = login(city.officer_a)
    html = client.get(reverse("desk:report", args=[report.pk])).content.decode()
    assert html.count("<form") == html.count('name="csrfmiddlewaretoken"')
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(city.officer_a)
    url = reverse("desk:report_action", args=[report.pk, "follow_up"])
    response = strict.post(url, {"follow_up-body": "x", "follow_up-expected_version": 2})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == "dispatched"


@pytest.mark.parametrize(
    ("persona", "name", "args"),
    [
        ("verifier", "desk:verify_queue", []),
        ("verifier", "desk:city", []),
        ("leader", "desk:city", []),
        ("officer_a", "desk:inbox", ["dpupr"]),
        ("head_a", "desk:overdue", ["dpupr"]),
        ("officer_a", "desk:counter", []),
        ("officer_health", "desk:inbox", ["pkm-pancoran-mas"]),
    ],
)
def test_pages_render(city: City, login: Login, persona: str, name: str, args: list[Any]) -> None:
    city.dispatched()
    city.file()
    response = login(getattr(city, persona)).get(reverse(name, args=args))
    assert response.status_code == 200


def test_officers_see_the_answers_to_the_categorys_questions(
    city: City, login: Login, road_questions: dict[str, Any]
) -> None:
    attributes = {
        "kerusakan": "amblas",
        "dampak": ["macet", "genangan"],
        "sejak": "2025-02-10T00:45:00Z",
        "lebar_cm": "120.5",
        "ruas": "Jl. <b>Margonda</b>",
    }
    report, secret = city.file(attributes=attributes)
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    page = login(city.officer_a).get(reverse("desk:report", args=[report.pk])).content.decode()
    start = page.index("Jawaban pertanyaan kategori")
    answers = page[page.index('<dl class="facts answers">', start) : page.index("</dl>", start)]
    rows = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", answers)
    # Labelled, in the questions' order, choices by their names, the moment in WIB, escaped.
    assert rows == [
        ("Nama ruas jalan", "Jl. &lt;b&gt;Margonda&lt;/b&gt;"),
        ("Jenis kerusakan", "Amblas"),
        ("Akibatnya", "Macet, Genangan"),
        ("Perkiraan lebar (cm)", "120.5"),
        ("Sejak kapan?", '<time datetime="2025-02-10T07:45:00+07:00">10 Feb 2025 07:45</time>'),
    ]

    # Answers may be personal: neither the public page nor the reporter's own page show them.
    public = Client().get(f"/laporan/{report.tracking_number}/").content.decode()
    own = Client().get(f"/lacak/{report.tracking_number}/?kunci={secret}", follow=True)
    assert report.title in public and report.title in own.content.decode()
    for other_page in (public, own.content.decode()):
        assert "Amblas" not in other_page and "Jenis kerusakan" not in other_page

    # After the verifier moves the report to a category without these questions, the answers
    # are kept and labelled by their code.
    other, _ = city.file(attributes={"kerusakan": "retak"})
    services.report_dispatch(actor=city.verifier, report_id=other.pk, category=city.waste)
    page = login(city.verifier).get(reverse("desk:report", args=[other.pk])).content.decode()
    assert "<dt>kerusakan</dt><dd>retak</dd>" in page


def test_no_answers_no_list(city: City, login: Login) -> None:
    report = city.dispatched()
    page = login(city.officer_a).get(reverse("desk:report", args=[report.pk])).content.decode()
    assert "Jawaban pertanyaan kategori" not in page
