"""SKM fixtures: an evaluator of the Pemda, an evaluator of one OPD, periods and responses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from satupintu.agencies.models import Membership, Role
from satupintu.core.models import User
from satupintu.surveys.models import ANSWER_FIELDS, SkmResponse, SurveyPeriod
from tests.conftest import City


@dataclass
class Skm:
    city: City
    evaluator: User
    #: An evaluator of the Dinas Kesehatan only (and the Puskesmas below it).
    health_evaluator: User

    def period(self, name: str = "SKM 2025", **fields: Any) -> SurveyPeriod:
        values: dict[str, Any] = {
            "starts_on": dt.date(2025, 1, 1),
            "ends_on": dt.date(2025, 12, 31),
            "is_open": True,
            "opened_at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        }
        values.update(fields)
        return SurveyPeriod.objects.create(name=name, **values)

    def answers(
        self,
        period: SurveyPeriod,
        unit: Any,
        rows: list[tuple[int | None, ...]],
        *,
        suggestion: str = "",
        **profile: str,
    ) -> None:
        SkmResponse.objects.bulk_create(
            [
                SkmResponse(
                    period=period,
                    unit=unit,
                    channel="link",
                    suggestion=suggestion,
                    **profile,
                    **dict(zip(ANSWER_FIELDS, row, strict=True)),
                )
                for row in rows
            ]
        )


@pytest.fixture
def skm(city: City) -> Skm:
    evaluator = User.objects.create_user(
        username="evaluator", password="x-Pass-12345", first_name="Benny"
    )
    Membership.objects.create(user=evaluator, agency=city.pemda, role=Role.EVALUATOR)
    health = User.objects.create_user(
        username="health_evaluator", password="x-Pass-12345", first_name="Rina"
    )
    Membership.objects.create(user=health, agency=city.dinkes, role=Role.EVALUATOR)
    return Skm(city, evaluator, health)


@pytest.fixture
def login(db: Any) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
