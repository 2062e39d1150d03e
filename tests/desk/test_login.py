"""Sign-in throttling: 5 failures for one user name and address within 15 minutes lock further
attempts for 15 minutes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import City

pytestmark = pytest.mark.django_db

PASSWORD = "x-Pass-12345"  # tests/conftest.py


def attempt(password: str, *, username: str = "officer_a", ip: str = "10.0.0.7") -> Any:
    client = Client(REMOTE_ADDR=ip)
    return client.post(reverse("desk:login"), {"username": username, "password": password}), client


def test_sign_in_works_and_lands_on_the_desk(city: City) -> None:
    response, client = attempt(PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("desk:home")
    assert client.get(reverse("desk:home")).status_code == 200


def test_five_failures_lock_the_user_name_from_that_address(city: City, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 5, 2, 0, tzinfo=dt.UTC), tick=False)
    for n in range(4):
        response, _ = attempt("wrong")
        assert response.status_code == 200, n
        assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    response, _ = attempt("wrong")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()

    # Even the right password is refused while locked, without being checked.
    response, client = attempt(PASSWORD)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert "_auth_user_id" not in client.session

    # Another address, or another user name, is not affected.
    assert attempt(PASSWORD, ip="10.0.0.8")[0].status_code == 302
    assert attempt(PASSWORD, username="officer_b")[0].status_code == 302

    time_machine.move_to(dt.datetime(2025, 3, 5, 2, 14, tzinfo=dt.UTC), tick=False)
    assert attempt(PASSWORD)[0].status_code == 429
    time_machine.move_to(dt.datetime(2025, 3, 5, 2, 15, 1, tzinfo=dt.UTC), tick=False)
    assert attempt(PASSWORD)[0].status_code == 302


def test_failures_spread_over_more_than_15_minutes_do_not_lock(
    city: City, time_machine: Any
) -> None:
    start = dt.datetime(2025, 3, 5, 2, 0, tzinfo=dt.UTC)
    for minute in (0, 4, 8, 12, 16):  # only four of them within any 15 minutes
        time_machine.move_to(start + dt.timedelta(minutes=minute), tick=False)
        assert attempt("wrong")[0].status_code == 200
    assert attempt(PASSWORD)[0].status_code == 302


def test_user_name_case_does_not_dodge_the_lock(city: City) -> None:
    for name in ("officer_a", "OFFICER_A", "Officer_A", "officer_A", " officer_a"):
        attempt("wrong", username=name)
    assert attempt(PASSWORD)[0].status_code == 429


def test_a_successful_sign_in_clears_the_failures(city: City) -> None:
    for _ in range(4):
        attempt("wrong")
    assert attempt(PASSWORD)[0].status_code == 302
    for _ in range(4):
        attempt("wrong")
    assert attempt(PASSWORD)[0].status_code == 302
