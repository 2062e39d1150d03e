"""Setting up a Pemda from the command line: regions, agencies, officers, calendar."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency, CalendarDay, Membership, Region
from satupintu.core import audit
from satupintu.core.models import AuditEntry, User

EXAMPLE_CSV = Path(__file__).resolve().parents[2] / "docs" / "examples" / "agencies.csv"
HEADER = "code,name,short_name,kind,parent_code,external_type,region_code,email,phone\n"


def run(*args: str, stdin: Any = None) -> str:
    out = StringIO()
    extra = {"stdin": stdin} if stdin is not None else {}
    call_command(*args, stdout=out, stderr=StringIO(), **extra)
    return out.getvalue()


def fails(*args: str, stdin: Any = None) -> str:
    """Run a command that must refuse its input with exit status 2; its message."""
    with pytest.raises(CommandError) as caught:
        run(*args, stdin=stdin)
    assert caught.value.returncode == 2, str(caught.value)
    return str(caught.value)


def entries(object_type: str, pk: object) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(chain=f"{object_type}:{pk}").order_by("seq"))


def changes(entry: AuditEntry) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(entry.changes)
    return data


# --------------------------------------------------------------------------- regions


def test_regions_load_depok_is_complete_and_idempotent(db: Any) -> None:
    out = run("regions", "load", "32.76")
    assert out == "32.76 Kota Depok: 76 regions (76 created, 0 updated, 0 unchanged)\n"
    assert Region.objects.filter(level=Region.Level.DISTRICT, parent="32.76").count() == 11
    assert (
        Region.objects.filter(level=Region.Level.VILLAGE, code__startswith="32.76.").count() == 63
    )
    assert Region.objects.get(code="32").name == "Jawa Barat"
    assert Region.objects.get(code="32.76.01").parent_id == "32.76"
    assert [e.action for e in entries("region", "32.76")] == ["import"]

    again = run("regions", "load", "32.76.")
    assert again == "32.76 Kota Depok: 76 regions (0 created, 0 updated, 76 unchanged)\n"
    assert Region.objects.count() == 76
    assert len(entries("region", "32.76")) == 1  # nothing changed, nothing audited

    Region.objects.filter(code="32.76.01").update(name="PANCORAN MAS (lama)")
    fixed = run("regions", "load", "32.76")
    assert "(0 created, 1 updated, 75 unchanged)" in fixed
    assert Region.objects.get(code="32.76.01").name == "Pancoran Mas"
    (update,) = entries("region", "32.76.01")
    assert changes(update) == {
        "before": {"name": "PANCORAN MAS (lama)"},
        "after": {"name": "Pancoran Mas"},
    }
    assert audit.verify().ok


def test_regions_load_several_and_show(db: Any) -> None:
    out = run("regions", "load", "32.76", "33.74")
    assert "33.74 Kota Semarang:" in out
    assert out.splitlines()[-1].startswith("total: ")
    shown = run("regions", "show", "32.76")
    assert shown.splitlines() == [
        "32.76  Kota Depok  (kabupaten/kota)",
        "in: 32 Jawa Barat",
        "children: 11 kecamatan",
    ]
    assert "region 32.75 is not loaded" in fails("regions", "show", "32.75")
    assert "unknown region code '99'" in fails("regions", "show", "99")


def test_regions_load_refuses_unknown_prefixes(db: Any) -> None:
    message = fails("regions", "load", "32.76", "99.99", "kota-depok")
    assert "'99.99'" in message
    assert "'kota-depok'" in message
    assert not Region.objects.exists()
    assert "--all" in fails("regions", "load")
    assert "not both" in fails("regions", "load", "32", "--all")


# --------------------------------------------------------------------------- agencies


@pytest.fixture
def jabar(db: Any) -> None:
    """Jawa Barat (code 32), referenced by the example file's provincial government."""
    run("regions", "load", "32.76")


def test_agencies_import_example_then_again_changes_nothing(jabar: None) -> None:
    out = run("agencies", "import", str(EXAMPLE_CSV))
    assert out.endswith(": 11 rows: 11 created, 0 updated, 0 unchanged\n")
    assert Agency.objects.count() == 11
    assert Agency.objects.filter(kind="opd").count() == 6
    assert Agency.objects.filter(kind="unit").count() == 2
    assert Agency.objects.filter(kind="external").count() == 2
    pkm = Agency.objects.get(code="PKM-SUKAMAJU")
    assert pkm.parent is not None and pkm.parent.code == "DINKES"
    assert pkm.parent.parent is not None and pkm.parent.parent.code == "PEMKAB"
    province = Agency.objects.get(code="PEMPROV-JABAR")
    assert (province.external_type, province.region_id) == ("provinsi", "32")
    (created,) = entries("agency", pkm.pk)
    assert created.action == "create"
    assert created.actor_label.startswith("cli:")
    assert changes(created)["after"]["parent_id"] == pkm.parent.pk

    audited = AuditEntry.objects.count()
    again = run("agencies", "import", str(EXAMPLE_CSV))
    assert again.endswith(": 11 rows: 0 created, 0 updated, 11 unchanged\n")
    assert AuditEntry.objects.count() == audited

    tree = run("agencies", "list").splitlines()
    assert tree[0].startswith("PEMKAB ")
    assert any(line.startswith("  DINKES ") for line in tree)
    assert any(line.startswith("    PKM-SUKAMAJU ") for line in tree)
    assert tree[-2].startswith("PEMPROV-JABAR ")  # external agencies last, by name
    assert tree[-1].startswith("PLN-UP3 ")
    units = run("agencies", "list", "--kind", "unit").splitlines()
    assert len(units) == 2
    assert all("[Unit layanan; under " in line for line in units)
    assert audit.verify().ok


def test_agencies_import_updates_only_changed_fields(jabar: None, tmp_path: Path) -> None:
    run("agencies", "import", str(EXAMPLE_CSV))
    changed = tmp_path / "changed.csv"
    changed.write_text(
        "code;name;kind;parent_code;email\n"  # semicolons, as Indonesian spreadsheets save
        "DLH;Dinas Lingkungan Hidup dan Kebersihan;opd;PEMKAB;dlh@sukamajukab.example\n"
        "UPTD-TPA;UPTD Tempat Pemrosesan Akhir Sampah;unit;DLH;\n",
        encoding="utf-8",
    )
    preview = run("agencies", "import", str(changed), "--dry-run")
    assert "  create UPTD-TPA" in preview
    assert "  update DLH: name" in preview
    assert "dry run, nothing written; would be 1 created, 1 updated, 0 unchanged" in preview
    assert not Agency.objects.filter(code="UPTD-TPA").exists()

    out = run("agencies", "import", str(changed))
    assert out.endswith(": 2 rows: 1 created, 1 updated, 0 unchanged\n")
    dlh = Agency.objects.get(code="DLH")
    assert dlh.name == "Dinas Lingkungan Hidup dan Kebersihan"
    assert dlh.short_name == "DLH"  # the column was left out: kept
    create, update = entries("agency", dlh.pk)
    assert update.action == "update"
    assert changes(update) == {
        "before": {"name": "Dinas Lingkungan Hidup"},
        "after": {"name": "Dinas Lingkungan Hidup dan Kebersihan"},
    }


def test_agencies_import_reports_every_bad_row_and_writes_nothing(db: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "PEMKAB,Pemerintah Kabupaten Sukamaju,,pemda,,,,,\n"  # line 2
        + "DINKES,Dinas Kesehatan,Dinkes,dinas,PEMKAB,,,,\n"  # line 3: bad kind
        + "DISDIK,Dinas Pendidikan,Disdik,opd,PEMKAB,,,,\n"  # line 4: fine
        + "PKM-X,Puskesmas X,,unit,DINKES-LAMA,,,,\n"  # line 5: unknown parent
        + "\n"  # line 6: blank, skipped
        + "dinas sosial,Dinas Sosial,,opd,PEMKAB,bumn,99,not-an-email,\n",  # line 7
        encoding="utf-8",
    )
    message = fails("agencies", "import", str(bad))
    assert "3 of 5 rows are wrong, nothing was written" in message
    assert "line 3: kind 'dinas' is not one of pemda, opd, unit, external" in message
    assert "line 5: parent 'DINKES-LAMA' is neither in the database nor in the file" in message
    line7 = next(line for line in message.splitlines() if "line 7:" in line)
    assert "letters, digits" in line7
    assert "external_type is only for kind external" in line7
    assert "'99' is not a Kepmendagri region code" in line7
    assert "not a valid e-mail address" in line7
    assert "line 2" not in message and "line 4" not in message
    assert not Agency.objects.exists()
    assert not AuditEntry.objects.exists()


def test_agencies_import_file_problems(db: Any, tmp_path: Path) -> None:
    assert "cannot read" in fails("agencies", "import", str(tmp_path / "missing.csv"))
    headerless = tmp_path / "headerless.csv"
    headerless.write_text("PEMKAB,Pemkab,,pemda,,,,,\n", encoding="utf-8")
    assert "line 1 (header): unknown column(s)" in fails("agencies", "import", str(headerless))
    later = tmp_path / "later.csv"
    later.write_text(
        HEADER + "DINKES,Dinas Kesehatan,,opd,PEMKAB,,,,\nPEMKAB,Pemkab,,pemda,,,,,\n",
        encoding="utf-8",
    )
    message = fails("agencies", "import", str(later))
    assert "line 2: parent 'PEMKAB' comes later in the file (line 3)" in message
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        HEADER.encode() + "PEMKAB,Pemerintah Kabupaten Bantèn,,pemda,,,,,\n".encode("latin-1")
    )
    assert "is not UTF-8 text" in fails("agencies", "import", str(latin))
    assert not Agency.objects.exists()


def test_agencies_import_refuses_a_cycle(db: Any, tmp_path: Path) -> None:
    pemda = Agency.objects.create(code="PEMKAB", name="Pemkab", kind="pemda")
    opd = Agency.objects.create(code="DINKES", name="Dinkes", kind="opd", parent=pemda)
    Agency.objects.create(code="UPT", name="UPT", kind="unit", parent=opd)
    cyclic = tmp_path / "cyclic.csv"
    cyclic.write_text(HEADER + "DINKES,Dinkes,,opd,UPT,,,,\n", encoding="utf-8")
    assert "makes a cycle: DINKES → UPT → DINKES" in fails("agencies", "import", str(cyclic))


# --------------------------------------------------------------------------- officers


def test_officers_add_with_generated_password(city: Any) -> None:
    out = run(
        "officers",
        "add",
        "budi",
        "--name",
        "Budi  Santoso Putra",
        "--email",
        "budi@depok.example",
        "--nip",
        "198503122010011004",
        "--role",
        "verifier@pemkot-depok",
        "--role",
        "liaison@dpupr",
    )
    first, second = out.splitlines()
    assert (
        first == "created budi (Budi Santoso Putra) with roles verifier@pemkot-depok, liaison@dpupr"
    )
    password = second.rsplit(": ", 1)[1]
    assert len(password) >= 20
    user = User.objects.get(username="budi")
    assert (user.first_name, user.last_name, user.nip) == (
        "Budi",
        "Santoso Putra",
        "198503122010011004",
    )
    assert user.check_password(password)
    assert not user.is_staff
    assert sorted(user.memberships.values_list("agency__code", "role")) == [
        ("dpupr", "liaison"),
        ("pemkot-depok", "verifier"),
    ]
    (created,) = entries("user", user.pk)
    assert "password" not in changes(created)["after"]
    for membership in user.memberships.all():
        (entry,) = entries("membership", membership.pk)
        assert entry.object_type == "membership"
        assert entry.action == "create"
        assert changes(entry)["after"]["role"] == membership.role
    assert audit.verify().ok


def test_officers_add_sysadmin_with_password_from_stdin(city: Any) -> None:
    out = run(
        "officers",
        "add",
        "sari",
        "--name",
        "Sari Dewi",
        "--role",
        "sysadmin@pemkot-depok",
        "--password-stdin",
        stdin=StringIO("Kopi-Tubruk-Pagi-2025\n"),
    )
    assert "password" not in out
    sari = User.objects.get(username="sari")
    assert sari.is_staff
    assert sari.check_password("Kopi-Tubruk-Pagi-2025")
    weak = fails(
        "officers",
        "add",
        "weak",
        "--name",
        "Weak",
        "--role",
        "liaison@dpupr",
        "--password-stdin",
        stdin=StringIO("12345\n"),
    )
    assert weak.startswith("password rejected: ")
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.parametrize(
    ("username", "role", "expected"),
    [
        ("budi", "kepala@dpupr", "unknown role 'kepala' in 'kepala@dpupr': expected one of"),
        ("budi", "liaison@dinas-x", "unknown agency 'dinas-x' in 'liaison@dinas-x'"),
        ("budi", "liaison", "invalid role 'liaison': expected ROLE@AGENCY_CODE"),
        ("Verifier", "liaison@dpupr", "username 'Verifier' is already taken"),
        ("budi santoso", "liaison@dpupr", "invalid username 'budi santoso'"),
    ],
)
def test_officers_add_refuses_bad_input(city: Any, username: str, role: str, expected: str) -> None:
    users, memberships = User.objects.count(), Membership.objects.count()
    message = fails(
        "officers",
        "add",
        username,
        "--name",
        "Budi",
        "--role",
        "verifier@pemkot-depok",
        "--role",
        role,
    )
    assert expected in message
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert not AuditEntry.objects.exists()


def test_officers_grant_revoke_and_list(city: Any) -> None:
    officer = city.officer_b  # liaison at dlhk
    assert (
        run("officers", "grant", "officer_b", "agency_head@dlhk")
        == "granted agency_head@dlhk to officer_b\n"
    )
    head = Membership.objects.get(user=officer, agency=city.dlhk, role="agency_head")
    assert [e.action for e in entries("membership", head.pk)] == ["create"]
    assert "already holds" in run("officers", "grant", "officer_b", "agency_head@dlhk")

    assert (
        run("officers", "revoke", "officer_b", "agency_head@dlhk")
        == "revoked agency_head@dlhk from officer_b\n"
    )
    head.refresh_from_db()
    assert not head.is_active
    revoked = entries("membership", head.pk)[-1]
    assert (revoked.object_type, revoked.action) == ("membership", "update")
    assert changes(revoked) == {"before": {"is_active": True}, "after": {"is_active": False}}
    assert "already revoked" in run("officers", "revoke", "officer_b", "agency_head@dlhk")

    assert "granted again (reactivated)" in run(
        "officers", "grant", "officer_b", "agency_head@dlhk"
    )
    head.refresh_from_db()
    assert head.is_active
    assert len(entries("membership", head.pk)) == 3

    # sysadmin carries is_staff, and loses it with the last sysadmin role
    run("officers", "grant", "officer_b", "sysadmin@pemkot-depok")
    officer.refresh_from_db()
    assert officer.is_staff
    assert "admin access removed" in run("officers", "revoke", "officer_b", "sysadmin@pemkot-depok")
    officer.refresh_from_db()
    assert not officer.is_staff
    assert [e.action for e in entries("user", officer.pk)] == ["update", "update"]

    assert "unknown user 'nobody'" in fails("officers", "grant", "nobody", "liaison@dlhk")
    assert "officer_a does not hold leader@dpupr" in fails(
        "officers", "revoke", "officer_a", "leader@dpupr"
    )
    assert "unknown agency 'dlh'" in fails("officers", "revoke", "officer_b", "liaison@dlh")

    listing = run("officers", "list", "--agency", "dlhk").splitlines()
    assert len(listing) == 1
    assert listing[0].startswith("officer_b  officer_b  ")
    assert listing[0].endswith("agency_head@dlhk, liaison@dlhk")
    everyone = run("officers", "list", "--all")
    assert "sysadmin@pemkot-depok (revoked)" in everyone
    assert "sysadmin@pemkot-depok (revoked)" not in run("officers", "list")
    assert "unknown agency 'nope'" in fails("officers", "list", "--agency", "nope")
    assert audit.verify().ok


# --------------------------------------------------------------------------- calendar


def test_calendar_add_holiday_shifts_deadlines(db: Any) -> None:
    tuesday = dt.date(2025, 3, 4)
    assert workcal.calendar().add(tuesday, 1) == dt.date(2025, 3, 5)  # cached now
    out = run(
        "calendar", "add-holiday", "2025-03-05", "Hari Jadi Kabupaten", "--decree", "Perbup 7/2025"
    )
    assert out == "added 2025-03-05 local holiday: Hari Jadi Kabupaten\n"
    # The post_save signal dropped the cached calendar: the new row counts at once.
    assert workcal.calendar().add(tuesday, 1) == dt.date(2025, 3, 6)
    row = CalendarDay.objects.get(date=dt.date(2025, 3, 5))
    (created,) = entries("calendarday", row.pk)
    assert created.object_type == "calendarday"
    assert changes(created)["after"] == {
        "date": "2025-03-05",
        "kind": "holiday",
        "name": "Hari Jadi Kabupaten",
        "decree": "Perbup 7/2025",
    }

    assert run("calendar", "remove", "2025-03-05").startswith("removed 2025-03-05 (holiday")
    assert workcal.calendar().add(tuesday, 1) == dt.date(2025, 3, 5)
    assert [e.action for e in entries("calendarday", row.pk)] == ["create", "delete"]
    assert audit.verify().ok


def test_calendar_add_workday_and_list(db: Any) -> None:
    # Cuti bersama Natal 2025 (Friday 26 December) cancelled by decree.
    assert workcal.calendar().add(dt.date(2025, 12, 24), 1) == dt.date(2025, 12, 29)
    run(
        "calendar",
        "add-workday",
        "2025-12-26",
        "Cuti bersama dibatalkan",
        "--decree",
        "SKB 3 Menteri",
    )
    assert workcal.calendar().add(dt.date(2025, 12, 24), 1) == dt.date(2025, 12, 26)
    run("calendar", "add-holiday", "2025-08-19", "Hari Jadi Kabupaten")
    lines = run("calendar", "list", "2025").splitlines()
    assert "2025-08-17  national      Hari Kemerdekaan Republik Indonesia" in lines
    assert "2025-08-18  cuti_bersama  Cuti Bersama Hari Kemerdekaan Republik Indonesia" in lines
    assert "2025-08-19  local         Hari Jadi Kabupaten" in lines
    assert (
        "2025-12-26  cuti_bersama  Cuti Bersama Hari Raya Natal  (overridden: working day)" in lines
    )
    assert "2025-12-26  workday       Cuti bersama dibatalkan  (SKB 3 Menteri)" in lines
    assert lines == sorted(lines)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("add-holiday", "2025-02-30", "X"), "invalid date '2025-02-30'"),
        (("add-holiday", "05-03-2025", "X"), "expected YYYY-MM-DD"),
        (("add-holiday", "2025-12-25", "Natal"), "sudah hari libur nasional atau cuti bersama"),
        (("add-workday", "2025-03-05", "Rabu"), "sudah hari kerja menurut kalender nasional"),
        (("add-holiday", "2025-03-05", " "), "cannot add 2025-03-05 as a holiday: name:"),
        (("remove", "2025-03-05"), "no local row on 2025-03-05"),
        (("list", "tahun"), "invalid year 'tahun'"),
    ],
)
def test_calendar_refuses_bad_input(db: Any, args: tuple[str, ...], expected: str) -> None:
    assert expected in fails("calendar", *args)
    assert not CalendarDay.objects.exists()
    assert not AuditEntry.objects.exists()


def test_calendar_refuses_a_second_row_for_a_date(db: Any) -> None:
    run("calendar", "add-holiday", "2025-03-05", "Hari Jadi")
    message = fails("calendar", "add-workday", "2025-03-05", "Koreksi")
    assert "2025-03-05 already has a row (holiday: Hari Jadi)" in message
    assert CalendarDay.objects.count() == 1
