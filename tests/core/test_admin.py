"""The Django admin: master data is audited, reports and the audit log are read-only."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from satupintu.agencies import calendar as workcal
from satupintu.agencies.admin import CalendarDayForm
from satupintu.agencies.models import Agency, CalendarDay, Membership, Region, Role
from satupintu.complaints.models import Category, Report, SlaPolicy
from satupintu.core import audit
from satupintu.core.models import AuditEntry, User


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    # CalendarDay rows vanish with the test's rollback, which sends no signal: drop the cache.
    workcal.invalidate()
    yield
    workcal.invalidate()


@pytest.fixture(autouse=True)
def _static_root(settings: Any) -> None:
    # WhiteNoise warns (an error here) when STATIC_ROOT is missing, as before `collectstatic`.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def superuser(db: Any) -> User:
    return User.objects.create_superuser(username="root", password="x-Pass-12345")


@pytest.fixture
def client_(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


@pytest.fixture
def report(city: Any) -> Report:
    filed: Report = city.dispatched()
    filed.refresh_from_db()
    return filed


def url(model: type[Any], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def entries_for(obj: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(chain=f"{obj._meta.model_name}:{obj.pk}").order_by("seq"))


def changes(entry: AuditEntry) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(entry.changes)
    return data


# --------------------------------------------------------------------------- every page renders


def test_every_changelist_and_change_page_renders(client_: Client, report: Report) -> None:
    SlaPolicy.objects.create()
    CalendarDay.objects.create(date=dt.date(2025, 8, 19), kind="holiday", name="Libur daerah")
    failures = []
    for model in admin.site._registry:
        response = client_.get(url(model, "changelist"))
        if response.status_code != 200:
            failures.append((model.__name__, "changelist", response.status_code))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            response = client_.get(url(model, "change", obj.pk))
            if response.status_code != 200:
                failures.append((model.__name__, "change", response.status_code))
    assert failures == []
    registered = {model.__name__ for model in admin.site._registry}
    assert {
        "User",
        "AuditEntry",
        "AuditHead",
        "Agency",
        "Membership",
        "Region",
        "CalendarDay",
        "SlaPolicy",
        "Category",
        "Report",
    } <= registered


def test_changelist_search_and_filters(client_: Client, report: Report) -> None:
    found = client_.get(url(Report, "changelist"), {"q": report.tracking_number})
    assert found.status_code == 200
    assert report.tracking_number in found.content.decode()
    filtered = client_.get(url(Report, "changelist"), {"status__exact": "dispatched"})
    assert report.tracking_number in filtered.content.decode()
    assert (
        client_.get(url(Agency, "changelist"), {"q": "dpupr", "kind__exact": "opd"}).status_code
        == 200
    )
    regions = client_.get(url(Region, "changelist"), {"q": "32.76"})
    assert "KOTA DEPOK" in regions.content.decode()


# --------------------------------------------------------------------------- reports are read-only


def test_report_page_shows_no_contact_data(client_: Client, report: Report) -> None:
    stored = Report.objects.get(pk=report.pk)
    assert stored.contact_encrypted and stored.contact_index and stored.secret_hash
    page = client_.get(url(Report, "change", report.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert report.tracking_number in html
    assert "Dinas PUPR" in html  # the disposition inline
    for secret in (
        "Siti Aminah",
        "siti@example.id",
        "081234567890",
        stored.contact_encrypted[:24],
        stored.contact_index,
        stored.secret_hash,
        "contact_encrypted",
        "contact_index",
        "secret_hash",
    ):
        assert secret not in html, secret


def test_report_admin_refuses_add_change_and_delete(client_: Client, report: Report) -> None:
    assert client_.get(url(Report, "add")).status_code == 403
    assert client_.post(url(Report, "add"), {"title": "x"}).status_code == 403
    assert client_.post(url(Report, "delete", report.pk), {"post": "yes"}).status_code == 403
    changed = client_.post(url(Report, "change", report.pk), {"status": "closed"})
    assert changed.status_code == 403
    bulk = client_.post(
        url(Report, "changelist"),
        {"action": "delete_selected", "_selected_action": [report.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    report.refresh_from_db()
    assert report.status == "dispatched"
    assert Report.objects.filter(pk=report.pk).exists()


def test_audit_log_is_read_only(client_: Client, report: Report) -> None:
    entry = AuditEntry.objects.order_by("pk").first()
    assert entry is not None
    assert client_.get(url(AuditEntry, "add")).status_code == 403
    assert client_.post(url(AuditEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    assert client_.post(url(AuditEntry, "change", entry.pk), {"action": "x"}).status_code == 403
    assert audit.verify().ok


# --------------------------------------------------------------------------- master data is audited


def agency_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "code": "bpbd",
        "name": "Badan Penanggulangan Bencana Daerah",
        "short_name": "BPBD",
        "kind": "opd",
        "external_type": "",
        "parent": "",
        "region": "",
        "email": "",
        "phone": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_adding_an_agency_writes_an_audit_entry(
    client_: Client, city: Any, superuser: User
) -> None:
    response = client_.post(url(Agency, "add"), agency_form(parent=city.pemda.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    agency = Agency.objects.get(code="bpbd")
    (entry,) = entries_for(agency)
    assert (entry.action, entry.object_type, entry.object_id) == (
        "create",
        "agency",
        str(agency.pk),
    )
    assert (entry.actor_id, entry.actor_label) == (superuser.pk, "root")
    data = changes(entry)
    assert data["before"] == {}
    assert data["after"]["name"] == "Badan Penanggulangan Bencana Daerah"
    assert data["after"]["parent_id"] == city.pemda.pk
    assert audit.verify().ok


def test_changing_an_agency_records_only_the_changed_fields(client_: Client, city: Any) -> None:
    form = agency_form(
        code="dpupr",
        name="Dinas Pekerjaan Umum dan Penataan Ruang",
        short_name="",
        parent=city.pemda.pk,
    )
    response = client_.post(url(Agency, "change", city.dpupr.pk), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    (entry,) = entries_for(city.dpupr)
    assert entry.action == "update"
    assert changes(entry) == {
        "before": {"name": "Dinas PUPR"},
        "after": {"name": "Dinas Pekerjaan Umum dan Penataan Ruang"},
    }
    # Saving again without changes writes nothing.
    client_.post(url(Agency, "change", city.dpupr.pk), form)
    assert len(entries_for(city.dpupr)) == 1


def test_agency_cannot_become_its_own_ancestor(client_: Client, city: Any) -> None:
    response = client_.post(
        url(Agency, "change", city.dinkes.pk),
        agency_form(code="dinkes", name="Dinas Kesehatan", short_name="", parent=city.puskesmas.pk),
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    city.dinkes.refresh_from_db()
    assert city.dinkes.parent == city.pemda
    assert entries_for(city.dinkes) == []


def test_deleting_an_agency_audits_it_and_its_memberships(client_: Client, city: Any) -> None:
    agency = Agency.objects.create(code="bpbd", name="BPBD", kind="opd", parent=city.pemda)
    membership = Membership.objects.create(user=city.officer_b, agency=agency, role=Role.LIAISON)
    response = client_.post(url(Agency, "delete", agency.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Agency.objects.filter(pk=agency.pk).exists()
    (gone,) = entries_for(agency)
    assert gone.action == "delete"
    assert changes(gone)["before"]["code"] == "bpbd"
    (member_gone,) = entries_for(membership)
    assert member_gone.action == "delete"
    assert changes(member_gone)["before"]["role"] == "liaison"
    assert audit.verify().ok


def test_bulk_delete_action_is_audited(client_: Client, city: Any) -> None:
    first = Category.objects.create(code="a", name="A", default_agency=city.dpupr)
    second = Category.objects.create(code="b", name="B", default_agency=city.dpupr)
    response = client_.post(
        url(Category, "changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert [e.action for e in entries_for(first) + entries_for(second)] == ["delete", "delete"]


def test_membership_add_and_user_inline_are_audited(client_: Client, city: Any) -> None:
    response = client_.post(
        url(Membership, "add"),
        {
            "user": city.outsider.pk,
            "agency": city.dlhk.pk,
            "role": Role.VERIFIER,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=city.outsider)
    (entry,) = entries_for(membership)
    assert changes(entry)["after"] == {
        "agency_id": city.dlhk.pk,
        "is_active": True,
        "role": "verifier",
        "user_id": city.outsider.pk,
    }


def test_user_page_edits_memberships_inline_with_audit(client_: Client, city: Any) -> None:
    user = city.officer_b
    membership = user.memberships.get()
    page = client_.get(url(User, "change", user.pk))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "username": user.username,
            "nip": "198001012005011001",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "08:00:00",
            "last_login_0": "",
            "last_login_1": "",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": membership.pk,
            "memberships-0-user": user.pk,
            "memberships-0-agency": city.dlhk.pk,
            "memberships-0-role": Role.AGENCY_HEAD,
            "memberships-0-is_active": "on",
        }
    )
    for key in ("groups", "user_permissions", "password", "date_joined"):
        data.pop(key, None)
    data["is_active"] = "on"
    response = client_.post(url(User, "change", user.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    (member_entry,) = entries_for(membership)
    assert changes(member_entry) == {
        "before": {"role": "liaison"},
        "after": {"role": "agency_head"},
    }
    (user_entry,) = entries_for(user)
    assert changes(user_entry)["after"]["nip"] == "198001012005011001"
    assert "password" not in user_entry.changes


def test_sla_policy_is_a_singleton(client_: Client) -> None:
    assert client_.get(url(SlaPolicy, "add")).status_code == 200
    response = client_.post(
        url(SlaPolicy, "add"),
        {
            "verify_days": 2,
            "followup_days": 5,
            "autoclose_days": 10,
            "hold_days": 10,
            "appeal_days": 10,
            "aspiration_days": 5,
            "information_days": 5,
            "complaint_days": 14,
            "supervisory_complaint_days": 60,
        },
    )
    assert response.status_code == 302
    policy = SlaPolicy.objects.get()
    assert entries_for(policy)[0].action == "create"
    assert client_.get(url(SlaPolicy, "add")).status_code == 403


# --------------------------------------------------------------------------- the calendar form


@pytest.mark.parametrize(
    ("day", "kind", "ok"),
    [
        (dt.date(2024, 4, 16), "holiday", True),  # an ordinary Tuesday: a local holiday
        (dt.date(2024, 4, 10), "holiday", False),  # already Idul Fitri
        (dt.date(2024, 4, 8), "workday", True),  # cancel a cuti bersama
        (dt.date(2024, 4, 13), "workday", True),  # a replacement working Saturday
        (dt.date(2024, 4, 17), "workday", False),  # already a working day: corrects nothing
    ],
)
def test_calendar_day_form(db: Any, day: dt.date, kind: str, ok: bool) -> None:
    form = CalendarDayForm(data={"date": day.isoformat(), "kind": kind, "name": "x", "decree": ""})
    assert form.is_valid() is ok, form.errors


def test_calendar_day_added_through_admin_is_audited(client_: Client) -> None:
    response = client_.post(
        url(CalendarDay, "add"),
        {"date": "2024-04-16", "kind": "holiday", "name": "Hari Jadi Kota", "decree": "Perwali 1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarDay.objects.get()
    (entry,) = entries_for(day)
    assert changes(entry)["after"]["date"] == "2024-04-16"
    assert workcal.calendar().add(dt.date(2024, 4, 5), 3) == dt.date(2024, 4, 19)


def test_adding_a_user_with_a_membership_is_audited(client_: Client, city: Any) -> None:
    response = client_.post(
        url(User, "add"),
        {
            "username": "petugas_baru",
            "usable_password": "true",
            "password1": "x-Pass-12345-long",
            "password2": "x-Pass-12345-long",
            "first_name": "Budi",
            "last_name": "",
            "email": "",
            "nip": "199001012015011002",
            "phone": "",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-agency": city.dpupr.pk,
            "memberships-0-role": Role.LIAISON,
            "memberships-0-is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="petugas_baru")
    assert user.nip == "199001012015011002"
    assert user.check_password("x-Pass-12345-long")
    (user_entry,) = entries_for(user)
    assert user_entry.action == "create"
    assert "password" not in user_entry.changes
    assert "pbkdf2" not in user_entry.changes
    (member_entry,) = entries_for(user.memberships.get())
    assert changes(member_entry)["after"]["agency_id"] == city.dpupr.pk


def test_staff_without_sysadmin_role_cannot_read_reports_in_admin(
    client: Client, city: Any, report: Report
) -> None:
    from django.contrib.auth.models import Permission

    staff = city.verifier
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_report"))
    client.force_login(staff)
    assert client.get(url(Report, "changelist")).status_code == 403
    assert client.get(url(Report, "change", report.pk)).status_code == 403


def test_sysadmin_role_without_superuser_maintains_master_data(client: Client, city: Any) -> None:
    admin_user = city.sysadmin
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    for model in (Agency, Category, CalendarDay, Membership, User):
        assert client.get(url(model, "changelist")).status_code == 200, model
    assert client.get(url(Agency, "add")).status_code == 200
    assert client.get(url(User, "change", city.officer_a.pk)).status_code == 200
    response = client.post(url(Agency, "add"), agency_form(code="dishub", name="Dinas Perhubungan"))
    assert response.status_code == 302
    assert Agency.objects.filter(code="dishub").exists()
    # Staff without the role get nothing.
    client.force_login(city.officer_a)
    city.officer_a.is_staff = True
    city.officer_a.save()
    assert client.get(url(Agency, "changelist")).status_code == 403
