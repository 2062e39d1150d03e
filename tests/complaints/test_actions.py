"""The one frame every action runs in (complaints/actions/step.py): what it saves, what it
records, what it leaves alone, and the gaps between doors it closed."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from satupintu.api import keys
from satupintu.complaints import actions
from satupintu.complaints.actions import inputs
from satupintu.complaints.models import Report, ReportEvent
from satupintu.core.errors import InvalidInput, NotFound, NotPermitted
from satupintu.core.models import AuditEntry
from satupintu.notifications.models import OutboxEvent
from tests.complaints.images import sideways_jpeg
from tests.conftest import City

pytestmark = pytest.mark.django_db


def _entries(report: Report) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(chain=f"report:{report.pk}").order_by("seq"))


def _changes(entry: AuditEntry) -> dict[str, Any]:
    return json.loads(entry.changes)


def test_a_step_saves_what_changed_and_records_it_old_and_new(city: City) -> None:
    report = city.dispatched()
    actions.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Kami tinjau.")
    resolved = actions.report_resolve(
        actor=city.officer_a, report_id=report.pk, answer="Sudah ditambal."
    )
    stored = Report.objects.get(pk=report.pk)
    assert stored.status == "resolved" and stored.version == resolved.version
    assert stored.resolved_at is not None and stored.autoclose_due is not None
    assert stored.next_due == stored.autoclose_due  # the deadline that now runs
    last = _changes(_entries(report)[-1])
    # Every field the step changed is on the record, the ones nobody listed by hand too.
    assert last["before"]["status"] == "in_progress" and last["after"]["status"] == "resolved"
    assert last["before"]["resolved_at"] is None and last["after"]["resolved_at"]
    assert last["after"]["answer"] == "Sudah ditambal."
    assert "secret_hash" not in last["after"] and "contact_encrypted" not in last["after"]


def test_a_step_that_changes_nothing_writes_nothing(city: City) -> None:
    report = city.dispatched()
    accepted = actions.report_accept(actor=city.officer_a, report_id=report.pk)
    counts = (len(_entries(report)), ReportEvent.objects.count(), OutboxEvent.objects.count())
    again = actions.report_accept(actor=city.officer_a, report_id=report.pk)
    assert again.version == accepted.version
    private = actions.report_set_privacy(
        actor=city.verifier, report_id=report.pk, is_anonymous=False
    )
    assert private.version == accepted.version
    assert (len(_entries(report)), ReportEvent.objects.count(), OutboxEvent.objects.count()) == (
        counts
    )


def test_a_step_that_fails_halfway_leaves_the_report_as_it_was(city: City) -> None:
    report = city.dispatched()
    before = Report.objects.get(pk=report.pk)
    with pytest.raises(InvalidInput):
        actions.report_forward(
            actor=city.officer_a, report_id=report.pk, to_agency=city.dpupr.code, reason="salah"
        )
    after = Report.objects.get(pk=report.pk)
    assert (after.version, after.status, after.current_agency_id, after.updated_at) == (
        before.version,
        before.status,
        before.current_agency_id,
        before.updated_at,
    )


# --------------------------------------------------------------------------- leak 2


@pytest.fixture
def dpupr_key(city: City, settings: Any, tmp_path: Any) -> str:
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    keys._cache.clear()
    return keys.apikey_create(
        actor="test", name="dpupr-sync", agency=city.dpupr.code, scopes=["read", "handle"]
    )[1]


def _changed_since(key: str, moment: str) -> list[str]:
    response = Client().get(
        "/api/v1/officer/reports",
        {"updated_after": moment},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200, response.content
    return [item["tracking_number"] for item in response.json()["items"]]


@pytest.mark.parametrize("change", ["note", "public_reply", "attachment"])
def test_notes_replies_and_files_move_the_report_on_for_clients_that_sync(
    city: City, dpupr_key: str, time_machine: Any, change: str
) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 3, 2, tzinfo=dt.UTC), tick=False)
    report = city.dispatched()
    version = Report.objects.get(pk=report.pk).version
    time_machine.move_to(dt.datetime(2025, 3, 5, 2, tzinfo=dt.UTC), tick=False)
    assert _changed_since(dpupr_key, "2025-03-04T00:00:00Z") == []
    if change == "attachment":
        actions.report_add_attachments(
            actor=city.officer_a,
            report_id=report.pk,
            files=[("foto.jpg", io.BytesIO(sideways_jpeg()))],
        )
    else:
        actions.report_add_note(
            actor=city.officer_a,
            report_id=report.pk,
            body="Tim sudah dijadwalkan.",
            public=change == "public_reply",
        )
    assert _changed_since(dpupr_key, "2025-03-04T00:00:00Z") == [report.tracking_number]
    stored = Report.objects.get(pk=report.pk)
    assert stored.version == version + 1
    assert stored.updated_at == dt.datetime(2025, 3, 5, 2, tzinfo=dt.UTC)


# --------------------------------------------------------------------------- leak 3


def test_asking_for_an_identity_never_tells_another_agency_that_a_report_exists(
    city: City,
) -> None:
    anonymous = city.dispatched(is_anonymous=True)  # held by DPUPR
    named = city.dispatched()
    for report in (anonymous, named):
        with pytest.raises(NotFound) as refused:
            actions.report_read_identity(
                actor=city.officer_b, report_id=report.pk, purpose="ingin tahu"
            )
        assert refused.value.message == "Laporan tidak ditemukan."
    with pytest.raises(NotFound):
        actions.report_read_identity(actor=city.officer_b, report_id=999_999, purpose="x")
    # The holding agency is told why (it sees the report and its anonymity anyway).
    with pytest.raises(NotPermitted):
        actions.report_read_identity(actor=city.officer_a, report_id=anonymous.pk, purpose="x")
    reads = AuditEntry.objects.filter(action="identity_read").count()
    assert reads == 0  # a refused read is not a read
    version = Report.objects.get(pk=named.pk).version
    actions.report_read_identity(actor=city.officer_a, report_id=named.pk, purpose="klarifikasi")
    assert AuditEntry.objects.filter(action="identity_read").count() == 1
    assert Report.objects.get(pk=named.pk).version == version  # a read keeps open forms fresh


# --------------------------------------------------------------------------- one e-mail rule


NOT_AN_ADDRESS = "siti di example.id"


def test_the_service_refuses_a_reporter_email_that_is_not_one(city: City) -> None:
    with pytest.raises(InvalidInput) as refused:
        city.file(contact=actions.Contact(name="Siti", email=NOT_AN_ADDRESS))
    assert refused.value.fields == {"email": "Masukkan alamat surel yang sah."}
    assert not Report.objects.exists()
    assert inputs.clean_email(" siti@example.id ") == "siti@example.id"
    assert inputs.clean_email("") == ""


def test_every_door_refuses_the_same_email(city: City, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    keys._cache.clear()
    key = keys.apikey_create(actor="test", name="gateway")[1]
    api = Client().post(
        "/api/v1/reports",
        json.dumps(
            {
                "title": "Jalan berlubang di depan sekolah",
                "description": "Lubang besar di Jl. Margonda Raya dekat halte, dua minggu.",
                "category": city.road.code,
                "reporter": {"name": "Siti", "email": NOT_AN_ADDRESS},
            }
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert api.status_code == 422, api.content
    assert api.json()["error"]["fields"] == {"email": "Masukkan alamat surel yang sah."}
    open311 = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": city.road.code,
            "lat": "-6.4025",
            "long": "106.818",
            "description": "Lubang besar di Jl. Margonda Raya dekat halte, dua minggu.",
            "email": NOT_AN_ADDRESS,
        },
    )
    assert open311.status_code == 400, open311.content
    assert "surel" in open311.json()[0]["description"]
    portal = Client().post(
        "/lapor/",
        {
            "report_type": "pengaduan",
            "title": "Jalan berlubang di depan sekolah",
            "description": "Lubang besar di Jl. Margonda Raya dekat halte, dua minggu.",
            "category": city.road.pk,
            "name": "Siti",
            "email": NOT_AN_ADDRESS,
        },
    )
    assert portal.status_code == 400, portal.status_code  # the form again, the field marked
    assert "Masukkan alamat email yang valid" in portal.content.decode()
    assert not Report.objects.exists()
