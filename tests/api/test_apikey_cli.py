"""`satupintu apikey`: a key is printed once, stored as a hash, listed, revoked."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from satupintu.api.models import ApiKey
from satupintu.core.models import AuditEntry
from tests.api.conftest import Api, report_body
from tests.conftest import City


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("apikey", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_the_key_once_and_stores_its_hash(city: City) -> None:
    out, err = run(
        "create", "dpupr-app", "--agency", "dpupr", "--scope", "read", "--scope", "handle"
    )
    raw = out.strip()
    assert raw.startswith("sp_") and len(raw) > 40
    assert "shown once" in err
    key = ApiKey.objects.get()
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(key.__dict__)
    assert key.scopes == ["read", "handle"] and key.agency == city.dpupr
    assert not key.user.has_usable_password()
    assert AuditEntry.objects.filter(chain=f"apikey:{key.pk}", action="create").exists()
    assert Api(raw).get("/officer/queue").status_code == 200
    listed, _ = run("list")
    assert "dpupr-app" in listed and key.prefix in listed and raw not in listed


def test_revoke_takes_effect_at_once(city: City) -> None:
    raw = run("create", "gateway-sms")[0].strip()
    assert Api(raw).post("/reports", report_body()).status_code == 201
    out, _ = run("revoke", "gateway-sms")
    assert "revoked gateway-sms" in out
    assert Api(raw).post("/reports", report_body()).status_code == 401
    assert "revoked" in run("list")[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "Gateway SMS"), "lower-case letters"),
        (("create", "x", "--scope", "admin"), "Unknown scope: admin"),
        (("create", "x", "--scope", "handle"), "The handle scope needs an agency"),
        (("create", "x", "--agency", "nope"), 'Unknown agency "nope"'),
        (("create", "x", "--rate-limit", "-1"), "cannot be negative"),
        (("revoke", "nope"), 'There is no API key named "nope"'),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(city: City, args: Any, message: str) -> None:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert ApiKey.objects.count() == 0


def test_a_name_is_used_once(city: City) -> None:
    run("create", "gateway-sms")
    with pytest.raises(CommandError, match="already exists"):
        run("create", "gateway-sms")
    assert ApiKey.objects.count() == 1


def test_system_administrators_list_and_revoke_keys_in_the_admin(city: City) -> None:
    from django.test import Client

    raw = run("create", "gateway-sms")[0].strip()
    key = ApiKey.objects.get()
    admin = Client()
    city.sysadmin.is_staff = True
    city.sysadmin.save()
    admin.force_login(city.sysadmin)
    page = admin.get("/admin/api/apikey/")
    assert page.status_code == 200 and b"gateway-sms" in page.content
    assert raw.encode() not in admin.get(f"/admin/api/apikey/{key.pk}/change/").content
    admin.post("/admin/api/apikey/", {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert Api(raw).post("/reports", report_body()).status_code == 401
    outsider = Client()
    outsider.force_login(city.verifier)
    assert outsider.get("/admin/api/apikey/").status_code in {302, 403}
