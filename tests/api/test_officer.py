"""Officer and integration endpoints: scopes, the policy of each step, the queue."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.complaints import services
from satupintu.complaints.models import Report
from tests.api.conftest import Api, Keys
from tests.conftest import City


def test_the_whole_path_through_the_api(city: City, api_keys: Keys) -> None:
    report, _secret = city.file()
    number = report.tracking_number
    verifier, dpupr, dlhk = Api(api_keys.verifier), Api(api_keys.dpupr), Api(api_keys.dlhk)

    queue = verifier.get("/officer/queue").json()["items"]
    assert [r["tracking_number"] for r in queue] == [number]
    dispatched = verifier.post(
        f"/officer/reports/{number}/dispatch", {"instruction": "Mohon dicek", "expected_version": 1}
    )
    assert dispatched.status_code == 200, dispatched.content
    assert dispatched.json()["agency"]["code"] == "dpupr"
    assert dispatched.json()["status"] == "dispatched"
    # DLHK cannot see what DPUPR holds: the same 404 as for a report that does not exist.
    assert dlhk.post(f"/officer/reports/{number}/follow-ups", {"body": "x"}).status_code == 404
    assert dpupr.post(f"/officer/reports/{number}/accept", {}).json()["status"] == "dispatched"
    followed = dpupr.post(f"/officer/reports/{number}/follow-ups", {"body": "Dijadwalkan"})
    assert followed.json()["status"] == "in_progress"
    forwarded = dpupr.post(
        f"/officer/reports/{number}/forward", {"to_agency": "dlhk", "reason": "Soal sampah"}
    )
    assert forwarded.json()["agency"]["code"] == "dlhk"
    assert forwarded.json()["hop_count"] == 2
    # DPUPR held it once, so it still reads it, but can no longer act on it.
    assert dpupr.get(f"/officer/reports/{number}").status_code == 200
    refused = dpupr.post(f"/officer/reports/{number}/resolve", {"answer": "x"})
    assert refused.status_code == 403
    resolved = dlhk.post(f"/officer/reports/{number}/resolve", {"answer": "Sudah diangkut"})
    assert resolved.json()["status"] == "resolved"
    detail = verifier.get(f"/officer/reports/{number}").json()
    assert [d["outcome"] for d in detail["dispositions"]] == ["forwarded", "resolved"]
    assert [e["actor"] for e in detail["timeline"]][-1] == "api.dlhk-app"
    report.refresh_from_db()
    assert report.status == "resolved"


def test_scopes_decide_what_a_key_may_do(city: City, api_keys: Keys) -> None:
    report, _ = city.file()
    number = report.tracking_number
    gateway = Api(api_keys.gateway)
    refused = gateway.get("/officer/queue")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert Api().get("/officer/queue").status_code == 401
    watcher = Api(api_keys.watcher)
    assert watcher.get(f"/officer/reports/{number}").status_code == 200
    assert watcher.post(f"/officer/reports/{number}/dispatch", {}).status_code == 403
    # A liaison key cannot verify; the policy says why.
    denied = Api(api_keys.dpupr).post(f"/officer/reports/{number}/dispatch", {})
    assert denied.status_code in {403, 404}
    assert Report.objects.get(pk=report.pk).status == "received"


def test_a_stale_version_and_a_wrong_status_are_conflicts(city: City, api_keys: Keys) -> None:
    report = city.dispatched()
    dpupr = Api(api_keys.dpupr)
    stale = dpupr.post(
        f"/officer/reports/{report.tracking_number}/follow-ups",
        {"body": "x", "expected_version": 1},
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale"
    wrong = Api(api_keys.verifier).post(
        f"/officer/reports/{report.tracking_number}/hold", {"message": "Lengkapi"}
    )
    assert wrong.status_code == 409
    assert wrong.json()["error"]["code"] == "invalid_transition"
    empty = dpupr.post(f"/officer/reports/{report.tracking_number}/follow-ups", {"body": "  "})
    assert empty.status_code == 422
    assert empty.json()["error"]["fields"] == {"body": "Wajib diisi."}


def test_hold_archive_return_and_notes(city: City, api_keys: Keys) -> None:
    verifier, dpupr = Api(api_keys.verifier), Api(api_keys.dpupr)
    first, _ = city.file()
    held = verifier.post(f"/officer/reports/{first.tracking_number}/hold", {"message": "Foto?"})
    assert held.json()["status"] == "on_hold"
    archived = verifier.post(
        f"/officer/reports/{first.tracking_number}/archive", {"reason": "Tidak jelas"}
    )
    assert archived.json()["status"] == "archived"
    second = city.dispatched()
    returned = dpupr.post(
        f"/officer/reports/{second.tracking_number}/return", {"reason": "Bukan wewenang"}
    )
    assert returned.json()["status"] == "received"
    assert returned.json()["agency"] is None
    note = verifier.post(
        f"/officer/reports/{second.tracking_number}/notes", {"body": "Cek ulang", "public": False}
    )
    assert note.status_code == 200
    public = Api().get(f"/reports/{second.tracking_number}").json()
    assert "Cek ulang" not in str(public)


def test_the_queue_is_nearest_deadline_first_and_filters_overdue(
    city: City, api_keys: Keys, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 3, 2, tzinfo=dt.UTC), tick=False)
    old = city.dispatched(title="Lama sekali")
    time_machine.move_to(dt.datetime(2025, 3, 20, 2, tzinfo=dt.UTC), tick=False)
    new = city.dispatched(title="Baru saja")
    city.dispatched(category=city.waste)  # DLHK's, not DPUPR's
    dpupr = Api(api_keys.dpupr)
    items = dpupr.get("/officer/queue").json()["items"]
    assert [i["tracking_number"] for i in items] == [old.tracking_number, new.tracking_number]
    assert [i["overdue"] for i in items] == [True, False]
    overdue = dpupr.get("/officer/queue", overdue="true").json()["items"]
    assert [i["tracking_number"] for i in overdue] == [old.tracking_number]
    page = dpupr.get("/officer/queue", limit=1).json()
    rest = dpupr.get("/officer/queue", limit=1, cursor=page["next_cursor"]).json()
    assert rest["items"][0]["tracking_number"] == new.tracking_number
    assert rest["next_cursor"] is None


def _cursor(value: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, 1]).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T23:59:59.999999-12:00",  # past year 9999 in UTC
        "0001-01-01T00:00:00+05:00",  # before year 1 in UTC
        "2025-13-01T00:00:00Z",
    ],
)
@pytest.mark.parametrize("path", ["/reports", "/officer/reports"])
def test_a_cursor_holding_a_time_out_of_range_is_422_naming_the_cursor(
    city: City, api_keys: Keys, path: str, moment: str
) -> None:
    city.file()
    response = Api(api_keys.verifier).get(path, cursor=_cursor(moment))
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"] == {"cursor": "Kursor tidak sah."}


def test_a_cursor_near_either_end_of_time_is_a_page(city: City, api_keys: Keys) -> None:
    report = city.file()[0]
    api = Api(api_keys.verifier)
    for path in ("/reports", "/officer/reports"):
        after_all = api.get(path, cursor=_cursor("9999-12-31T23:59:59.999999+00:00")).json()
        assert [i["tracking_number"] for i in after_all["items"]] == [report.tracking_number]
        before_all = api.get(path, cursor=_cursor("0001-01-01T00:00:00-05:00")).json()
        assert before_all["items"] == []


def test_reports_since_a_time_for_syncing(city: City, api_keys: Keys, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 3, 2, tzinfo=dt.UTC), tick=False)
    report = city.dispatched()
    city.dispatched()
    time_machine.move_to(dt.datetime(2025, 3, 5, 2, tzinfo=dt.UTC), tick=False)
    services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Jalan")
    changed = (
        Api(api_keys.dpupr)
        .get("/officer/reports", updated_after="2025-03-04T00:00:00+07:00")
        .json()["items"]
    )
    assert [r["tracking_number"] for r in changed] == [report.tracking_number]
    # The same moment written with an offset PostgreSQL would not take (beyond ±15:59).
    far = Api(api_keys.dpupr).get("/officer/reports", updated_after="2025-03-03T03:00:00-21:00")
    assert far.status_code == 200
    assert [r["tracking_number"] for r in far.json()["items"]] == [report.tracking_number]
    absurd = Api(api_keys.dpupr).get("/officer/reports", updated_after="0001-01-01T00:00:00+05:00")
    assert absurd.status_code == 422


def test_officer_lists_cost_a_fixed_number_of_queries(city: City, api_keys: Keys) -> None:
    city.dispatched()
    api = Api(api_keys.dpupr)
    api.get("/officer/reports")  # warm the key cache
    with CaptureQueriesContext(connection) as few:
        api.get("/officer/reports")
    for _ in range(5):
        city.dispatched()
    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/officer/reports").json()["items"]) == 6
    assert len(many) == len(few) <= 3
    with CaptureQueriesContext(connection) as queue:
        api.get("/officer/queue")
    assert len(queue) <= 3
